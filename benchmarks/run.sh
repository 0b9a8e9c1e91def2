#!/usr/bin/env bash
# Runs the data-path JMH benchmarks with short settings, writes target/jmh-result.json and prints
# JMH's table, then a summary with MB/s and bytes allocated per stanza.
#
#   benchmarks/run.sh                          # everything, short settings, with -prof gc
#   benchmarks/run.sh Framer -p kind=mix,roster  # extra arguments go to JMH (regex, -p, -prof ...)
#   JMH_OPTS='-f 2 -wi 5 -i 10 -prof gc' benchmarks/run.sh   # replaces the default settings
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
jar=$here/target/benchmarks.jar
result=$here/target/jmh-result.json
# Short on purpose: the machine is shared. Use JMH_OPTS for numbers worth comparing.
defaults='-f 1 -wi 2 -w 2s -i 3 -r 3s -prof gc'

# Rebuild when the jar is missing or older than anything it is built from.
sources=("$root/pom.xml" "$here/pom.xml" "$here/src"
         "$root/shared-protocol/pom.xml" "$root/shared-protocol/src/main"
         "$root/transport-mina/pom.xml" "$root/transport-mina/src/main")
if [[ ! -f $jar ]] || [[ -n $(find "${sources[@]}" -newer "$jar" -print -quit) ]]; then
    echo "Building $jar ..."
    (cd "$root" && mvn -q -B package -pl benchmarks -am -DskipTests)
fi

read -r -a opts <<< "${JMH_OPTS:-$defaults}"
java -jar "$jar" "${opts[@]}" "$@" -rf json -rff "$result"

if ! command -v python3 > /dev/null; then
    echo "python3 not found: no summary (raw results in $result)"
    exit 0
fi
sizes=$(java -cp "$jar" org.xmppcm.bench.Corpus)
python3 - "$result" "$sizes" <<'PY'
import json, math, sys

results = json.load(open(sys.argv[1]))
sizes = json.loads(sys.argv[2])

def input_bytes(cls, method, kind):
    """Bytes of input per op: one op is one stanza in every benchmark."""
    if cls == "RouteSplicerBenchmark":
        return sizes[method]
    if method == "afterTrim":
        return sizes["first." + kind]
    return sizes["stanza." + kind]

def num(x, fmt):
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "-"
    return "-" if math.isnan(v) else format(v, fmt)  # NaN: the error of a single iteration

rows = []
for r in results:
    cls, method = r["benchmark"].split(".")[-2:]
    kind = r.get("params", {}).get("kind", "")
    pm = r["primaryMetric"]
    nbytes = input_bytes(cls, method, kind or "mix")
    alloc = next((m["score"] for k, m in r.get("secondaryMetrics", {}).items()
                  if k.lstrip("\u00b7") == "gc.alloc.rate.norm"), None)
    raw = [v for fork in pm.get("rawData", []) for v in fork]
    spread = f"{num(min(raw), ',.0f')}..{num(max(raw), ',.0f')}" if raw else "-"
    rows.append((f"{cls}.{method}", kind, num(pm["score"], ",.0f"), spread,
                 f"{pm['score'] * nbytes / 1e6:,.1f}", f"{nbytes:,.0f}",
                 num(alloc, ",.0f")))

head = ("benchmark (1 thread)", "kind", "stanzas/s", "iterations min..max", "MB/s in", "B in/stanza", "B alloc/stanza")
widths = [max(len(str(x[i])) for x in rows + [head]) for i in range(len(head))]
print()
print("Summary (one op = one stanza; MB/s = stanzas/s x input bytes per stanza; alloc needs -prof gc)")
for row in [head] + rows:
    print("  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
PY
