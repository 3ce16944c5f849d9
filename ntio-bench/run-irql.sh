#!/usr/bin/env bash
# Issue 19's performance check: the IRP round trip (NullRead.ntio, a synchronous zero-length
# NtReadFile of \Device\Null) of the current build next to the same benchmark built from a
# baseline git ref (default: the tag pre-irql, the commit before IRQL, spin locks and DPCs), side
# by side in one run, and prints both figures and their ratio against the 10 % budget. About
# 1 min 10 s on 2 cores with a cached baseline, plus about 3 min to build one the first time.
#
#   ntio-bench/run-irql.sh [baseline-ref] [rounds] [output-directory]
#                            (defaults: pre-irql, 3, ntio-bench/target/jmh-irql)
#
# The baseline's benchmarks.jar is built once per commit, offline and without running tests, in a
# temporary git worktree under ntio-bench/target/irql-baseline/, and kept there as
# <commit>-benchmarks.jar for the next run. The rounds alternate baseline, current, baseline, ...
# with the same JMH options, so that a change of the machine's load during the run falls on both.
#
# Build the current jar first, from the repository root: mvn -B package -pl ntio-bench -am -DskipTests
set -euo pipefail
source "$(dirname "$0")/machine.sh"
ref=${1:-pre-irql}
rounds=${2:-3}
out=${3:+$(realpath -m "$3")}   # a directory given is relative to where the script was called from
cd "$(dirname "$0")"
out=${out:-$PWD/target/jmh-irql}
jar=target/benchmarks.jar
require_jar "$jar"
mkdir -p "$out"

commit=$(git rev-parse --verify "$ref^{commit}")
cache=$PWD/target/irql-baseline
base_jar=$cache/$commit-benchmarks.jar
if [[ ! -f $base_jar ]]; then
  # A worktree of the baseline commit, built in its own reactor: the modules the bench jar needs
  # (-am), offline, tests compiled (other modules' test-jars are part of the reactor) but not run.
  tree=$cache/tree-$commit
  mkdir -p "$cache"
  git worktree prune
  [[ -d $tree ]] || git worktree add --detach "$tree" "$commit" >/dev/null
  echo "run-irql.sh: building the baseline $ref ($commit) in $tree" >&2
  (cd "$tree" && mvn -B -o -q package -pl ntio-bench -am -DskipTests)
  cp "$tree/ntio-bench/target/benchmarks.jar" "$base_jar.tmp"
  mv "$base_jar.tmp" "$base_jar"
  git worktree remove --force "$tree"
fi

{
  machine_lines
  echo "baseline: $ref = $commit ($base_jar)"
  echo "current:  $PWD/$jar, built $(date -u -r "$jar" +%Y-%m-%dT%H:%M:%SZ); worktree at $(git rev-parse HEAD)$(git diff --quiet HEAD -- .. || echo ' plus uncommitted changes')"
} | tee "$out/machine.txt"

# Each round: 1 fork, 3 x 1 s warm-up then 5 x 1 s measured iterations, time per read.
options=(-f 1 -wi 3 -i 5 -w 1s -r 1s -bm avgt -tu ns)
for round in $(seq 1 "$rounds"); do
  for side in baseline current; do
    if [[ $side == baseline ]]; then side_jar=$base_jar; else side_jar=$jar; fi
    echo "run-irql.sh: round $round of $rounds, $side" >&2
    java -jar "$side_jar" 'ntio\.bench\.NullRead\.ntio$' "${options[@]}" \
      -rf json -rff "$out/$side-$round.json" > "$out/$side-$round.txt"
    grep -E '^NullRead\.ntio ' "$out/$side-$round.txt" | sed "s/^/$side $round: /" >&2
  done
done

echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after the run)" | tee -a "$out/machine.txt"

# JMH's summary line reads "Benchmark Mode Cnt Score ± Error Units": the score is found before
# the "±". Each side's figure is the mean of its rounds' scores; the spread is their min..max.
for side in baseline current; do
  for round in $(seq 1 "$rounds"); do
    awk -v side="$side" '
      $1 == "NullRead.ntio" { for (i = 3; i < NF; i++) if ($i == "±") { print side, $(i - 1); exit } }
    ' "$out/$side-$round.txt"
  done
done | awk -v budget=1.10 '
  { sum[$1] += $2; n[$1]++
    if (!($1 in lo) || $2 < lo[$1]) lo[$1] = $2
    if (!($1 in hi) || $2 > hi[$1]) hi[$1] = $2 }
  END {
    b = sum["baseline"] / n["baseline"]; c = sum["current"] / n["current"]
    printf "baseline: %.1f ns/op (mean of %d rounds, %.1f..%.1f)\n", b, n["baseline"], lo["baseline"], hi["baseline"]
    printf "current:  %.1f ns/op (mean of %d rounds, %.1f..%.1f)\n", c, n["current"], lo["current"], hi["current"]
    printf "ratio:    current/baseline = %.3f (budget <= %.2f: %s)\n", c / b, budget, c / b <= budget ? "MET" : "MISSED"
  }
' | tee "$out/summary.txt"
