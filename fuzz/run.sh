#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds on its seed corpus (docs/reliability.md).
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
# Seeds come from the repository (rules/, tests/data/, fuzz/corpus/); what a run discovers is kept in
# BUILD_DIR/corpus/TARGET (not committed). A crash leaves its reproducer in BUILD_DIR/crashes/ and fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$1"; seconds="$2"; shift 2
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(policy calendar notice values snapshot kpi_files kpi_partial suite)

seeds() {  # the seed files of a target
  case "$1" in
    policy) ls "$root"/rules/*.yaml "$root"/tests/data/malformed_policies/*.yaml "$root"/benchmarks/data/*.yaml 2>/dev/null ;;
    calendar) ls "$root"/rules/calendars/*.yaml ;;
    notice) ls "$root"/tests/data/notices/*.txt "$root"/fuzz/corpus/notice/* ;;
    values) ls "$root"/fuzz/corpus/values/* ;;
    snapshot) ls "$root"/fuzz/corpus/snapshot/* ;;
    kpi_files) ls "$root"/rules/kpi/*.yaml "$root"/fuzz/corpus/kpi_files/* ;;
    kpi_partial) ls "$root"/fuzz/corpus/kpi_partial/* ;;
    suite) ls "$root"/rules/tests/*.yaml "$root"/rules/facts.yaml ;;
  esac
}

mkdir -p "$build/crashes"
status=0 passed=0 failed=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  seeds "$t" | while read -r f; do cp -n "$f" "$corpus/" 2>/dev/null || true; done
  dict=()
  [ -f "$root/fuzz/dict/$t.dict" ] && dict=(-dict="$root/fuzz/dict/$t.dict")
  log="$build/fuzz_$t.log"
  runs=()
  [ -n "${FUZZ_RUNS:-}" ] && runs=(-runs="$FUZZ_RUNS")
  # CPU seconds as well as wall time: on a shared machine they differ, and the record says which it was.
  TIMEFORMAT='%U %S'
  started=$SECONDS
  if { time "$build/fuzz/fuzz_$t" "$corpus" "${dict[@]}" "${runs[@]}" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$build/crashes/${t}-" -print_final_stats=1 \
       >"$log" 2>&1; } 2>"$log.time"; then
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    cpu=$(awk '{printf "%d", $1 + $2}' "$log.time")
    units=$(find "$corpus" -type f | wc -l)
    printf 'fuzz_%-12s %5ss wall  %5ss cpu  %10s execs  cov %6s  ft %6s  corpus %6s  ok\n' \
      "$t" "$((SECONDS - started))" "$cpu" "$execs" "$cov" "$ft" "$units"
    passed=$((passed + 1))
  else
    echo "fuzz_$t FAILED: see $log and $build/crashes/ (reproduce: $build/fuzz/fuzz_$t FILE)"
    tail -40 "$log"
    status=1
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
exit $status
