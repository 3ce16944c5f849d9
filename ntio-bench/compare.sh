#!/usr/bin/env bash
# ntio and its peers, side by side: the load -> start/open -> stop/close -> unload cycle of an
# equivalent trivial unit in ntio (verifier off and on), PF4J and Apache Felix, next to the bare
# URLClassLoader floor, warm and cold, in one go. Writes JMH's JSON, the machine it ran on, and
# peers.md, the Markdown table docs/performance.md publishes.
#
#   ntio-bench/compare.sh [output-directory]     (default: ntio-bench/target/compare)
#
# Build first, from the repository root: mvn -B package -pl ntio-bench -am -DskipTests
#
# Budget: at most 6 minutes on 2 cores (234 s measured while another benchmark job ran; the script
# records how long it took in machine.txt).
#   warm: 5 systems x 2 modes (avgt, sample) x 2 forks x (4 + 4) 1-second iterations = 160 s,
#         plus about 1 s a fork to start the JVM and set up (boot the kernel, start Felix)
#   cold: 5 systems x 15 fresh JVMs, one timed cycle each, under 1 s a JVM = 75 s at most
# More forks narrow the errors; the budget, not the statistics, set these.
set -euo pipefail
source "$(dirname "$0")/machine.sh"
out=${1:+$(realpath -m "$1")}   # a directory given is relative to where the script was called from
cd "$(dirname "$0")"
jar=target/benchmarks.jar
out=${out:-target/compare}
require_jar "$jar"
mkdir -p "$out"
started=$(date +%s)

{
  machine_lines
} | tee "$out/machine.txt"

# Warm steady state: every system in its own forks, the mean (avgt) and the distribution (sample:
# median, p90), with the GC profiler for the bytes allocated per cycle. The forks' stderr goes to
# warm.txt too: the verified kernel's tear-down prints its class-loader probes' verdicts there.
java -jar "$jar" 'ntio\.bench\.peers\.PeerCycle\.' -bm avgt,sample -f 2 -wi 4 -i 4 -w 1s -r 1s -prof gc \
  -rf json -rff "$out/warm.json" 2>&1 | tee "$out/warm.txt"

# Cold first cycle: 15 fresh JVMs per system, one timed cycle each, no warm-up.
java -jar "$jar" 'ntio\.bench\.peers\.PeerFirstCycle\.' -bm ss -f 15 -wi 0 -i 1 -bs 1 \
  -rf json -rff "$out/cold.json" 2>&1 | tee "$out/cold.txt"

{
  echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after the run)"
  echo "took:    $(( $(date +%s) - started )) s (budget: 360 s)"
} | tee -a "$out/machine.txt"

java -cp "$jar" ntio.bench.report.PeerTable "$out"
echo "compare.sh: wrote $out/peers.md"
