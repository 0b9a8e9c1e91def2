#!/usr/bin/env bash
# Installs what the admin console's browser tests need: Debian's Chromium and its ChromeDriver.
# Run by the plugin module's build before its tests (so `mvn -B verify` works on a fresh Debian machine);
# does nothing when both are present. Fails loudly otherwise: those tests must not be skipped silently.
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
    exit 0
fi
if [[ $(id -u) -eq 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo -n)
else
    echo "ensure-test-browser: chromium and chromium-driver are missing; install them (apt-get install chromium chromium-driver) or run as root" >&2
    exit 1
fi
echo "ensure-test-browser: installing chromium and chromium-driver from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
/usr/bin/chromium --version
