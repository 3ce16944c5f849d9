#!/usr/bin/env bash
# Runs exactly the I/O-path configuration whose figures docs/performance.md publishes ("The I/O
# path"), and prints the machine it ran on, the images it measured, the ntio/floor ratios, the
# per-stack-location cost and whether the 2 million reads per second target is met. About 2 min
# 20 s on 2 cores.
#
#   ntio-bench/run-io.sh [output-directory]     (default: ntio-bench/target/jmh-io)
#
# Build first, from the repository root: mvn -B package -pl ntio-bench -am -DskipTests
set -euo pipefail
source "$(dirname "$0")/machine.sh"
out=${1:-$(dirname "$0")/target/jmh-io}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")"
jar=target/benchmarks.jar
require_jar "$jar"

{
  machine_lines
  for image in Null Echo Filter; do
    echo "image:   $image.jar sha256 $(unzip -p "$jar" "ntio/bench/$image.jar" | sha256sum | cut -d' ' -f1)"
  done
} | tee "$out/machine.txt"

# Time per operation, with the GC profiler (bytes allocated per operation): Null's zero-length
# read and Echo's 4 KiB write+read at stack depths 1, 2 and 4, each with its floor. 2 forks, each
# 3 x 1 s warm-up then 5 x 1 s measured iterations.
java -jar "$jar" 'ntio\.bench\.(NullRead|EchoRoundTrip)\.' -f 2 -wi 3 -i 5 -w 1s -r 1s -prof gc \
  -rf json -rff "$out/time.json" | tee "$out/time.txt"

# Operations per second of the same zero-length read and its floor: what the target is stated in.
java -jar "$jar" 'ntio\.bench\.NullRead\.' -bm thrpt -tu s -f 2 -wi 3 -i 5 -w 1s -r 1s \
  -rf json -rff "$out/rate.json" | tee "$out/rate.txt"

echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after the run)" | tee -a "$out/machine.txt"

# JMH's summary lines read "Benchmark [params] Mode Cnt Score ± Error Units", with the parameter
# column only when some benchmark of the run has parameters: the score and error are found around
# the "±", wherever it is.
awk -v target=2000000 '
  function score() { for (i = 3; i < NF; i++) if ($i == "±") { err = $(i + 1); return $(i - 1) } err = 0; return $(NF - 1) }
  FNR == 1 { file++ }
  file == 1 && $1 == "NullRead.ntio"        { null_ns = score(); null_ns_err = err }
  file == 1 && $1 == "NullRead.floor"       { null_floor_ns = score(); null_floor_ns_err = err }
  file == 1 && $1 == "EchoRoundTrip.ntio"   { echo_ns[$2] = score(); echo_err[$2] = err }
  file == 1 && $1 == "EchoRoundTrip.floor"  { echo_floor_ns = score(); echo_floor_err = err }
  file == 1 && $1 == "NullRead.ntio:gc.alloc.rate.norm"       { null_bytes = score() }
  file == 1 && $1 == "EchoRoundTrip.ntio:gc.alloc.rate.norm"  { echo_bytes[$2] = score() }
  file == 1 && $1 == "EchoRoundTrip.floor:gc.alloc.rate.norm" { echo_floor_bytes = score() }
  file == 2 && $1 == "NullRead.ntio"        { null_rate = score(); null_rate_err = err }
  file == 2 && $1 == "NullRead.floor"       { null_floor_rate = score(); null_floor_rate_err = err }
  END {
    printf "NullRead:      ntio %.1f ± %.1f ns/op, %.0f ± %.0f ops/s, %.0f B/op\n", null_ns, null_ns_err, null_rate, null_rate_err, null_bytes
    printf "               floor %.2f ± %.2f ns/op, %.0f ± %.0f ops/s; ntio/floor = %.0fx\n",
      null_floor_ns, null_floor_ns_err, null_floor_rate, null_floor_rate_err, null_ns / null_floor_ns
    if (null_rate >= target) {
      printf "target:        >= %d zero-length reads/s at depth 1: MET, by %.0f %%\n", target, 100 * (null_rate / target - 1)
    } else {
      printf "target:        >= %d zero-length reads/s at depth 1: MISSED, by %.0f %% (%.0f ops/s short)\n",
        target, 100 * (1 - null_rate / target), target - null_rate
    }
    printf "EchoRoundTrip: floor %.0f ± %.0f ns/op (1e9/mean: %.0f round trips/s), %.0f B/op\n",
      echo_floor_ns, echo_floor_err, 1e9 / echo_floor_ns, echo_floor_bytes
    for (d = 1; d <= 4; d *= 2) {
      printf "               depth %d: ntio %.0f ± %.0f ns/op (1e9/mean: %.0f round trips/s), %.0f B/op; ntio/floor = %.1fx\n",
        d, echo_ns[d], echo_err[d], 1e9 / echo_ns[d], echo_bytes[d], echo_ns[d] / echo_floor_ns
    }
    printf "per stack location: (depth 4 - depth 1) / 3 = %.0f ns per write+read round trip (two IRPs), %.0f ns per IRP\n",
      (echo_ns[4] - echo_ns[1]) / 3, (echo_ns[4] - echo_ns[1]) / 6
  }
' "$out/time.txt" "$out/rate.txt" | tee "$out/summary.txt"
