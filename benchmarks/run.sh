#!/usr/bin/env bash
# Builds the benchmarks, runs the whole JMH suite on the current JDK (and on a second JDK if asked), runs the
# asyncio baseline if python3 is present, and prints the table of targets (see benchmarks/README.md).
#
#   benchmarks/run.sh                                   # current JDK
#   benchmarks/run.sh --java25 /usr/lib/jvm/temurin-25-jdk-amd64   # also JDK 25 (or: JAVA25=... benchmarks/run.sh)
#   benchmarks/run.sh --quick                           # 1 warmup + 1 measurement iteration: a smoke test
#   benchmarks/run.sh -- -prof gc                       # anything after -- goes to JMH
#   benchmarks/run.sh --cpus 0 -- 'Lifecycle|Switch'    # JMH pinned to the listed CPUs (taskset -c)
#
# Results go to benchmarks/target/results/<timestamp>/ (JMH JSON, logs, asyncio.json, table.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

java25="${JAVA25:-}"
quick=0
cpus=""
jmh_extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --java25) java25="$2"; shift 2 ;;
    --java25=*) java25="${1#*=}"; shift ;;
    --quick) quick=1; shift ;;
    --cpus) cpus="$2"; shift 2 ;;
    --cpus=*) cpus="${1#*=}"; shift ;;
    --) shift; jmh_extra=("$@"); break ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

# A JDK home or its bin/java, either way.
java_of() {
  if [[ -x "$1/bin/java" ]]; then echo "$1/bin/java"; elif [[ -x "$1" ]]; then echo "$1"; else
    echo "run.sh: no java at $1" >&2; exit 2; fi
}
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java_here="$JAVA_HOME/bin/java"; else java_here="$(command -v java)"; fi

major_of() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | sed 's/^1\.//'
}

cd "$root"
echo "== building (./mvnw -q -pl benchmarks -am package -DskipTests)" >&2
if ! ./mvnw -q -pl benchmarks -am package -DskipTests; then
  # Another build writing core/target at the same moment fails this one spuriously; one retry.
  echo "== build failed; retrying once" >&2
  sleep 5
  ./mvnw -q -pl benchmarks -am package -DskipTests
fi
jar="$root/benchmarks/target/benchmarks.jar"

out="$root/benchmarks/target/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
load_start="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
core_rev="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
if [[ -n "$(git -C "$root" status --porcelain -- core 2>/dev/null)" ]]; then core_rev="$core_rev + uncommitted core changes"; fi

runs=()
suite() { # java label
  local java="$1" label="$2" major
  major="$(major_of "$java")"
  local args=(-rf json -rff "$out/jmh-$label.json")
  # The virtual-thread baselines need JDK 21+ (CoffeeOrderBenchmark.virtualClock is virtual time, and runs).
  if [[ "$major" -lt 21 ]]; then args+=(-e '\.virtual(Thread|PingPong)$'); fi
  if [[ "$quick" -eq 1 ]]; then args+=(-wi 1 -i 1); fi
  local pin=()
  if [[ -n "$cpus" ]]; then pin=(taskset -c "$cpus"); fi
  echo "== JMH on JDK $major ($java)${cpus:+, pinned to CPUs $cpus}; log: $out/jmh-$label.log" >&2
  "${pin[@]}" "$java" -jar "$jar" "${args[@]}" "${jmh_extra[@]}" 2>&1 | tee "$out/jmh-$label.log" \
    | grep --line-buffered -E '^# (Benchmark|Run complete)' >&2
  runs+=("$label=$out/jmh-$label.json")
}

suite "$java_here" "jdk$(major_of "$java_here")"
if [[ -n "$java25" ]]; then
  j25="$(java_of "$java25")"
  suite "$j25" "jdk$(major_of "$j25")"
fi

report_args=()
if command -v python3 >/dev/null 2>&1; then
  echo "== asyncio baseline ($(python3 --version 2>&1))" >&2
  py_args=(); if [[ "$quick" -eq 1 ]]; then py_args+=(--quick); fi
  python3 "$here/asyncio_baseline.py" "${py_args[@]}" > "$out/asyncio.json"
  report_args+=(--python "$out/asyncio.json")
else
  echo "== python3 not found: no asyncio rows" >&2
fi

load_end="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
machine="$(nproc 2>/dev/null || echo '?') CPUs ($(uname -sm), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)),"
machine="$machine load average $load_start at start, $load_end at end; core $core_rev; $(date -u +%Y-%m-%dT%H:%MZ)"
if [[ -n "$cpus" ]]; then machine="$machine; JMH pinned to CPUs $cpus (taskset -c $cpus)"; fi
"$java_here" -cp "$jar" dev.loopharness.benchmarks.Report --machine "$machine" "${report_args[@]}" "${runs[@]}" \
  | tee "$out/table.md"
echo "(results in $out)" >&2
