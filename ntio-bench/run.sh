#!/usr/bin/env bash
# Runs exactly the configuration whose figures docs/performance.md publishes, and prints the
# machine it ran on and the ntio/floor ratios. About 70 s on 2 cores.
#
#   ntio-bench/run.sh [output-directory]     (default: ntio-bench/target/jmh)
#
# Build first, from the repository root: mvn -B package -pl ntio-bench -am -DskipTests
set -euo pipefail
source "$(dirname "$0")/machine.sh"
cd "$(dirname "$0")"
jar=target/benchmarks.jar
out=${1:-target/jmh}
require_jar "$jar"
mkdir -p "$out"

{
  machine_lines
} | tee "$out/machine.txt"

# Warm steady state: 3 forks, each 5 x 1 s warm-up then 5 x 1 s measured iterations, with the
# GC profiler (allocation per cycle, collections).
java -jar "$jar" 'ntio.bench.LoadUnloadCycle' -f 3 -wi 5 -i 5 -w 1s -r 1s -prof gc \
  -rf json -rff "$out/warm.json" | tee "$out/warm.txt"

# Cold first cycle: 10 fresh JVMs per benchmark, one timed cycle each, no warm-up.
java -jar "$jar" 'ntio.bench.FirstCycle' -f 10 -wi 0 -i 1 \
  -rf json -rff "$out/cold.json" | tee "$out/cold.txt"

echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after the run)" | tee -a "$out/machine.txt"

# The ratios, from JMH's summary lines ("Benchmark [params] Mode Cnt Score ± Error Units": the
# score is the fourth field from the end whatever parameter columns come first).
ratio() {
  awk -v cls="$1" '
    $1 == cls ".ntio"  { ntio = $(NF-3); unit = $NF }
    $1 == cls ".floor" { floor = $(NF-3) }
    END { if (floor > 0) printf "%s: ntio %.3f %s, floor %.3f %s, ntio/floor = %.2fx\n", cls, ntio, unit, floor, unit, ntio / floor }
  ' "$2"
}
ratio LoadUnloadCycle "$out/warm.txt" | tee "$out/ratio.txt"
ratio FirstCycle "$out/cold.txt" | tee -a "$out/ratio.txt"
