#!/usr/bin/env bash
# Runs exactly the socket configuration whose figures docs/performance.md publishes ("The socket:
# a client's round trip"), and prints the machine it ran on, the frame sizes, the ntio/floor ratio,
# whether the <= 1.5x target is met, and what 64 concurrent clients did. About 2 min 10 s on 2
# cores.
#
#   ntio-bench/run-socket.sh [output-directory] [many-clients-seconds]
#                              (defaults: ntio-bench/target/jmh-socket, 10)
#
# Build first, from the repository root: mvn -o -q package -DskipTests -pl ntio-bench -am
set -euo pipefail
source "$(dirname "$0")/machine.sh"
out=${1:-$(dirname "$0")/target/jmh-socket}
seconds=${2:-10}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")"
jar=target/benchmarks.jar
require_jar "$jar"

{
  machine_lines
  echo "image:   Null.jar sha256 $(unzip -p "$jar" ntio/bench/Null.jar | sha256sum | cut -d' ' -f1)"
} | tee "$out/machine.txt"

# Time per round trip: ntio through RemoteNt and the daemon, the raw echo, and the raw echo with
# a reader-thread hand-off. 2 forks, each 3 x 1 s warm-up then 5 x 1 s measured iterations.
java -jar "$jar" 'ntio\.bench\.SocketRead\.' -f 2 -wi 3 -i 5 -w 1s -r 1s \
  -rf json -rff "$out/time.json" | tee "$out/time.txt"

# The same on one vCPU (taskset -c 0): every hand-off between threads is then a context switch
# on the same CPU, never the wake-up of another, idle one. On a VM that wake-up is dear (the raw
# echo takes ~45 us across two vCPUs, ~5 us on one), so this run shows what ntio itself costs.
if command -v taskset >/dev/null; then
  taskset -c 0 java -jar "$jar" 'ntio\.bench\.SocketRead\.' -f 2 -wi 3 -i 5 -w 1s -r 1s \
    -rf json -rff "$out/time-one-cpu.json" | tee "$out/time-one-cpu.txt"
else
  echo "taskset is not installed: no run on one vCPU" | tee "$out/time-one-cpu.txt"
fi

# 64 clients, each on its own thread and connection, for $seconds s after 2 s of warm-up. Its
# exit status says whether every client progressed without an error; the summary reports it.
many_status=0
java -Xms512m -Xmx512m -cp "$jar" ntio.bench.ManyClients "$seconds" | tee "$out/many.txt" || many_status=$?

echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after the run)" | tee -a "$out/machine.txt"

# JMH's summary lines read "Benchmark Mode Cnt Score ± Error Units": the score and error are
# found around the "±".
awk -v many_status="$many_status" '
  function score() { for (i = 3; i < NF; i++) if ($i == "±") { err = $(i + 1); return $(i - 1) } err = 0; return $(NF - 1) }
  FNR == 1 { file++ }
  file == 1 && /socket echo:/ && !sizes { sizes = $0; sub(/.*socket echo: /, "", sizes) }
  file == 1 && $1 == "SocketRead.ntio"         { ntio = score(); ntio_err = err }
  file == 1 && $1 == "SocketRead.floor"        { floor = score(); floor_err = err }
  file == 1 && $1 == "SocketRead.floorHandOff" { handoff = score(); handoff_err = err }
  file == 2 && $1 == "SocketRead.ntio"         { one_ntio = score(); one_ntio_err = err }
  file == 2 && $1 == "SocketRead.floor"        { one_floor = score(); one_floor_err = err }
  file == 2 && $1 == "SocketRead.floorHandOff" { one_handoff = score(); one_handoff_err = err }
  file == 3 && $1 == "throughput:" { throughput = $2 }
  file == 3 && $1 == "latency:"    { sub(/^latency: */, ""); latency = $0 }
  file == 3 && $1 == "per"         { sub(/^per client: */, ""); per_client = $0 }
  file == 3 && $1 == "errors:"     { sub(/^errors: */, ""); errors = $0 }
  file == 3 && $1 == "result:"     { many_result = $2 }
  END {
    printf "frames:        %s\n", sizes
    printf "SocketRead:    ntio %.2f ± %.2f us/op; floor %.2f ± %.2f us/op; floorHandOff %.2f ± %.2f us/op\n",
      ntio, ntio_err, floor, floor_err, handoff, handoff_err
    printf "ratio:         ntio/floor = %.2fx; floorHandOff/floor = %.2fx; ntio/floorHandOff = %.2fx\n",
      ntio / floor, handoff / floor, ntio / handoff
    if (ntio <= 1.5 * floor) {
      printf "target:        <= 1.5x the floor per round trip on one connection: MET (%.2fx)\n", ntio / floor
    } else {
      printf "target:        <= 1.5x the floor per round trip on one connection: MISSED (%.2fx, %.2f us over)\n",
        ntio / floor, ntio - 1.5 * floor
    }
    if (one_floor > 0) {
      printf "one vCPU:      ntio %.2f ± %.2f us/op; floor %.2f ± %.2f us/op; floorHandOff %.2f ± %.2f us/op; ntio/floor = %.2fx\n",
        one_ntio, one_ntio_err, one_floor, one_floor_err, one_handoff, one_handoff_err, one_ntio / one_floor
    }
    printf "64 clients:    %s reads/s; %s\n", throughput, latency
    printf "               per client %s; errors %s\n", per_client, errors
    printf "               %s (every client progressed, no error: %s)\n", many_result == "" ? "NOT RUN" : many_result,
      many_status == 0 ? "yes" : "NO"
  }
' "$out/time.txt" "$out/time-one-cpu.txt" "$out/many.txt" | tee "$out/summary.txt"
exit "$many_status"
