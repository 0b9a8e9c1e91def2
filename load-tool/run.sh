#!/usr/bin/env bash
# Manual load runs of the connection manager. Never run by CI (CI runs the module's tiny JUnit test).
#
#   load-tool/run.sh smoke            1k clients, pingpong, ~30 s: does the whole thing work here?
#   load-tool/run.sh moderate         10k idle clients, pingpong ~10k stanzas/s, and the relay baseline
#   load-tool/run.sh full             250k idle clients at max login rate, pingpong 20k/s, max rate, baseline
#   load-tool/run.sh custom OPTIONS   only your options (see: load-tool/run.sh custom --help)
#
# Extra options after the preset name override the preset's (the last one wins). JVM flags:
#   GEN_JVM     the load generator (this script's java)   default -Xmx2g -XX:+UseG1GC
#   CM_JVM      the CM child and the relay child           default -Xmx4g -XX:+UseG1GC (the distribution's)
#   SERVER_JVM  the engine + demo host child               default -Xmx4g -XX:+UseG1GC
# Every run stops by itself (--max-seconds watchdog) and kills its child processes on exit.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/load-tool/target/load-tool.jar"
if [[ ! -f "$jar" || "${REBUILD:-0}" == 1 ]]; then
    (cd "$root" && mvn -q -B package -pl load-tool -am -DskipTests)
fi

# One socket per client in the generator and in the CM (two per client in the relay): lift the
# descriptor limit for this shell and its children. Raising the hard limit needs root; otherwise
# take what the hard limit allows.
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

GEN_JVM=${GEN_JVM:-"-Xmx2g -XX:+UseG1GC"}
CM_JVM=${CM_JVM:-"-Xmx4g -XX:+UseG1GC"}
SERVER_JVM=${SERVER_JVM:-"-Xmx4g -XX:+UseG1GC"}

preset=${1:-smoke}
shift || true
case "$preset" in
    smoke)
        args=(--clients 1000 --ramp 500 --pattern pingpong --rates 2000 --duration 10 --idle-seconds 3
              --max-seconds 180 --label smoke) ;;
    moderate)
        args=(--clients 10000 --ramp 1000 --pattern pingpong --rates 2000,5000,10000 --duration 20
              --idle-seconds 10 --baseline --max-seconds 900 --label moderate) ;;
    full)
        # Logins as fast as 2000 in flight allow (logins/s), then 250k held idle (heap per client),
        # pingpong at 20k stanzas/s (latency), then closed loop (max rate); then all of it again
        # through the byte relay. Needs a big machine: 250k sockets in each process.
        args=(--clients 250000 --ramp 0 --max-inflight 2000 --pattern pingpong --rates 20000,max
              --duration 60 --idle-seconds 30 --login-timeout 300 --baseline --max-seconds 5400 --label full) ;;
    custom)
        args=() ;;
    *)
        echo "usage: $0 smoke|moderate|full|custom [load-tool options]" >&2
        exit 2 ;;
esac

cd "$root/load-tool"
# shellcheck disable=SC2086 # the JVM flag variables are word lists on purpose
exec java $GEN_JVM -jar "$jar" --cm-jvm "$CM_JVM" --server-jvm "$SERVER_JVM" "${args[@]}" "$@"
