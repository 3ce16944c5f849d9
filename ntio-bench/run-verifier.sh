#!/usr/bin/env bash
# Runs the configuration whose figures docs/performance.md publishes under "The verifier's pool
# path": ExAllocatePoolWithTag + ExFreePoolWithTag made by a driver image's own code, unverified and
# verified with /standard, in the same run, and prints the verified/unverified ratio against the
# 3x target. About 20 s on 2 cores.
#
#   ntio-bench/run-verifier.sh [output-directory]     (default: ntio-bench/target/jmh-verifier)
#
# Build first, from the repository root: mvn -B package -pl ntio-bench -am -DskipTests.
set -euo pipefail
source "$(dirname "$0")/machine.sh"
out=${1:-$(dirname "$0")/target/jmh-verifier}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")"
jar=target/benchmarks.jar
require_jar "$jar"

machine_lines | tee "$out/machine.txt"

# 1 fork, 3 x 1 s warm-up, 5 x 1 s measured, with the GC profiler (bytes per allocate+free).
java -jar "$jar" 'ntio\.bench\.VerifierPool\.' -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc \
  -rf json -rff "$out/time.json" | tee "$out/time.txt"

awk '
  function score() { for (i = 3; i < NF; i++) if ($i == "±") { err = $(i + 1); return $(i - 1) } err = 0; return $(NF - 1) }
  $1 == "VerifierPool.allocateAndFree" && $2 == "off"      { off = score(); off_err = err }
  $1 == "VerifierPool.allocateAndFree" && $2 == "standard" { on = score(); on_err = err }
  $1 == "VerifierPool.allocateAndFree:gc.alloc.rate.norm" && $2 == "off"      { off_bytes = score() }
  $1 == "VerifierPool.allocateAndFree:gc.alloc.rate.norm" && $2 == "standard" { on_bytes = score() }
  END {
    printf "unverified: %.0f ± %.0f ns per allocate+free, %.0f B\n", off, off_err, off_bytes
    printf "/standard:  %.0f ± %.0f ns per allocate+free, %.0f B\n", on, on_err, on_bytes
    printf "ratio:      %.2fx (target <= 3x: %s)\n", on / off, on / off <= 3 ? "MET" : "MISSED"
  }
' "$out/time.txt" | tee "$out/summary.txt"
