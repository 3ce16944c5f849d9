# Sourced by the benchmark scripts. machine_lines prints the machine a run is taken on (date,
# cores, CPU, memory, load before the run, Java), the lines each script puts in machine.txt.
machine_lines() {
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc:   $(nproc)"
  echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory:  $(grep -m1 MemTotal /proc/meminfo | awk '{printf "%.1f GiB", $2/1048576}')"
  echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min, before the run)"
  java -version 2>&1 | sed 's/^/java:    /'
}

# require_jar: stops the calling script (exit 2) with the command that builds $1 when it is
# missing.
require_jar() {
  if [[ ! -f $1 ]]; then
    echo "$(basename "$0"): $1 is missing; build it with: mvn -B package -pl ntio-bench -am -DskipTests (from the repository root)" >&2
    exit 2
  fi
}
