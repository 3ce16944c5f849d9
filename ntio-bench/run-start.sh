#!/usr/bin/env bash
# How long a command of the ntio command line takes from the shell, side by side in one run with
# a bare JVM start: `java -Xshare:auto -version`, then `ntio sc query Null` against a running host
# through the launcher (its AppCDS archive and client JVM options), and the same command as a
# plain `java -jar ntio.jar` (no archive, default JVM options) for reference. Rounds interleave
# the three, so a change in the machine's load hits all of them alike.
#
#   ntio-bench/run-start.sh [rounds]      (default 20; hyperfine is used when installed)
#
# Build first (or let the launcher build): mvn -B package -DskipTests. Writes nothing but a
# temporary state directory, removed at the end. Target (issue 17): ntio ≤ 4× java -version.
set -euo pipefail
source "$(dirname "$0")/machine.sh"
rounds=${1:-20}
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/ntio-host/target/ntio.jar"
image="$root/ntio-drivers/target/drivers/Null.jar"
state="$(mktemp -d -t ntio-start-XXXXXXXX)"
host_pid=
cleanup() {
  if [ -n "$host_pid" ]; then
    kill -TERM "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
  fi
  rm -rf "$state" "$state.log"
}
trap cleanup EXIT

machine_lines
"$root/ntio" --version >/dev/null     # builds when the sources changed, and makes the archive
require_jar "$jar"
require_jar "$image"
"$root/ntio" --state "$state" host >"$state.log" 2>&1 &
host_pid=$!
for _ in $(seq 100); do
  [ -S "$state/ntio.sock" ] && break
  sleep 0.1
done
"$root/ntio" --state "$state" sc create Null --image "$image" >/dev/null
"$root/ntio" --state "$state" sc start Null >/dev/null

commands=(
  "java -Xshare:auto -version"
  "$root/ntio --state $state sc query Null"
  "java -jar $jar --state $state sc query Null"
)
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 2 --runs "$rounds" "${commands[@]}"
else
  declare -a times
  for _ in 1 2; do for c in "${commands[@]}"; do $c >/dev/null 2>&1 || true; done; done   # warm-up
  for _ in $(seq "$rounds"); do
    for i in "${!commands[@]}"; do
      start=$(date +%s%N)
      ${commands[$i]} >/dev/null 2>&1 || true
      times[$i]+="$(( ($(date +%s%N) - start) / 1000 )) "
    done
  done
  median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  base=$(median "${times[0]}")
  for i in "${!commands[@]}"; do
    m=$(median "${times[$i]}")
    printf '%8.1f ms median of %d  %5.1fx  %s\n' "$(bc -l <<<"$m/1000")" "$rounds" "$(bc -l <<<"$m/$base")" "${commands[$i]}"
  done
fi
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after the run)"
