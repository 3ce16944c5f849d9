#!/usr/bin/env bash
# The one command behind docs/performance.md's peer table and scale curves: builds the benchmarks,
# runs the peer comparison (compare.sh: ntio with the verifier off and on, PF4J, Felix and the
# class-loader floor, warm and cold) and the scale curves (scale.sh), and collects both into one
# directory. About 5 minutes on 2 cores; at most 15 (compare.sh's budget is 6, scale.sh's 7).
#
#   ntio-bench/reproduce.sh [output-directory]     (default: ntio-bench/target/reproduce)
#
# Writes <out>/peers/ (peers.md, JMH's JSON and logs), <out>/scale/ (scale.md, the CSVs and the
# PNG charts) and <out>/duration.txt. Run it on a machine doing nothing else: the figures are
# wall-clock times, and another job's load changes them.
set -euo pipefail
out=${1:+$(realpath -m "$1")}
cd "$(dirname "$0")"
out=${out:-$PWD/target/reproduce}
started=$(date +%s)
(cd .. && mvn -B -q package -pl ntio-bench -am -DskipTests)
./compare.sh "$out/peers"
./scale.sh "$out/scale"
took=$(( $(date +%s) - started ))
echo "reproduce.sh: ${took} s in all, build included" | tee "$out/duration.txt"
echo "peer table:   $out/peers/peers.md"
echo "scale curves: $out/scale/scale.md and $out/scale/scale-*.png"
