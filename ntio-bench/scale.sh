#!/usr/bin/env bash
# Runs the scale curves whose figures docs/performance.md publishes ("How the cost grows"): how
# ntio's cost grows with service keys, auto-start drivers, loaded drivers, device objects and open
# handles. Each curve runs in a JVM of its own; then ScaleReport draws the charts and writes the
# table. About 35 s on 2 cores; the budget is 7 minutes, and the script fails past it.
#
#   ntio-bench/scale.sh [output-directory]     (default: ntio-bench/target/scale)
#
# Writes, into the output directory: <curve>.csv (the points), <curve>.txt (each run's log),
# scale-*.png (the charts), scale.md (the table and the verdicts) and machine.txt.
#
# Build first, from the repository root: mvn -q package -pl ntio-bench -am -DskipTests
set -euo pipefail
source "$(dirname "$0")/machine.sh"
out=${1:-$(dirname "$0")/target/scale}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")"
jar=target/benchmarks.jar
require_jar "$jar"

budget=420
started=$(date +%s)
{
  machine_lines
} | tee "$out/machine.txt"

# One JVM per curve, as JMH forks: a fixed heap (the memory figures are heap readings after a
# full collection) and G1, as every benchmark of this module runs.
for curve in services autostart drivers devices handles; do
  java -Xms1g -Xmx1g -XX:+UseG1GC -cp "$jar" ntio.bench.scale.ScaleCurves "$curve" --out "$out" \
    | tee "$out/$curve.txt"
done

elapsed=$(( $(date +%s) - started ))
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after the run)" | tee -a "$out/machine.txt"
echo "elapsed: ${elapsed} s (budget ${budget} s)" | tee -a "$out/machine.txt"

note="Run of \`ntio-bench/scale.sh\`, $(sed -n 's/^date: *//p' "$out/machine.txt"), $(nproc) cores,"
note+=" $(java -version 2>&1 | head -1); load average $(sed -n 's/^load: *\([^ ]*\).*before.*/\1/p' "$out/machine.txt")"
note+=" before and $(cut -d' ' -f1 /proc/loadavg) after; the curves took ${elapsed} s."
java -Djava.awt.headless=true -cp "$jar" ntio.bench.scale.ScaleReport "$out" "$note" > /dev/null
echo "scale.sh: $out/scale.md and the charts written"

if (( elapsed > budget )); then
  echo "scale.sh: the curves took ${elapsed} s, over the ${budget} s budget" >&2
  exit 1
fi
