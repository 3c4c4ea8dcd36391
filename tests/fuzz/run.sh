#!/usr/bin/env bash
# Runs the libFuzzer harnesses built by the fuzz preset (cmake --preset fuzz && cmake --build --preset fuzz); builds
# nothing. Usage: tests/fuzz/run.sh [SECONDS] [HARNESS...]   (default: 30 seconds each, every harness)
#
# Each harness fuzzes a throwaway copy of tests/fuzz/corpus/<harness> (the repository's corpus is never written;
# regressions/<harness> is read as extra seeds) for SECONDS, then one line per harness gives executions, exec/s
# and coverage. Any crash, leak, timeout, out-of-memory or sanitizer report fails the run (exit 1) and its input
# is kept under $FUZZ_OUT (default build/fuzz/fuzz-out/<date>/<harness>/), with the harness's log beside it.
#
# Environment: FUZZ_BUILD_DIR (default build/fuzz), FUZZ_OUT, FUZZ_KEEP_CORPUS=1 keeps the grown corpus copy,
# FUZZ_RESUME=DIR starts from the corpora an earlier run kept (DIR/<harness>/, the folder it printed),
# FUZZ_ARGS extra libFuzzer flags.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build/fuzz}"
seconds="${1:-30}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: $0 [SECONDS] [HARNESS...]" >&2
  exit 2
fi
shift $(( $# > 0 ? 1 : 0 ))

# harness -> the longest input it is given (each stays within the 64 KiB the YAML harnesses accept).
declare -A max_len=(
  [http_request]=20000   # past the default 8 KiB request line and header limits
  [intake_json]=8192
  [query_params]=2048
  [search]=1024
  [rules]=16384
  [calendar]=16384
  [time_policy]=16384
  [config]=8192
)
declare -A dict=(
  [http_request]=http_request.dict [intake_json]=intake_json.dict [query_params]=query_params.dict
  [search]=search.dict [rules]=yaml.dict [calendar]=yaml.dict [time_policy]=yaml.dict [config]=yaml.dict
)
all=(http_request intake_json query_params search rules calendar time_policy config)
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=("${all[@]}")

out="${FUZZ_OUT:-$build/fuzz-out/$(date +%Y%m%d-%H%M%S)}"
work="$(mktemp -d "${TMPDIR:-/tmp}/hotline-fuzz-XXXXXX")"
cleanup() {
  if [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ]; then
    echo "grown corpora kept in $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# Short allocation stacks and a small quarantine: yaml-cpp allocates a node graph per input, and full stacks halve
# the YAML harnesses' speed. Replaying a kept input by hand (fuzz_<harness> FILE) gives the full stacks.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1:malloc_context_size=2:quarantine_size_mb=16}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

for h in "${harnesses[@]}"; do
  if [ -z "${max_len[$h]:-}" ]; then echo "unknown harness '$h' (one of: ${all[*]})" >&2; exit 2; fi
  if [ -n "${FUZZ_RESUME:-}" ] && [ ! -d "$FUZZ_RESUME/$h" ]; then
    echo "FUZZ_RESUME: no $FUZZ_RESUME/$h (a kept corpus has a folder for each harness)" >&2
    exit 2
  fi
done

failed=()
printf '%-14s %12s %9s %16s %10s  %s\n' harness executions exec/s "cov (start→end)" new-units result
for h in "${harnesses[@]}"; do
  bin="$build/tests/fuzz/fuzz_$h"
  if [ ! -x "$bin" ]; then echo "$bin is not built: cmake --preset fuzz && cmake --build --preset fuzz" >&2; exit 2; fi
  mkdir -p "$work/$h" "$out/$h"
  cp -r "$here/corpus/$h/." "$work/$h/"
  [ -n "${FUZZ_RESUME:-}" ] && cp -r "$FUZZ_RESUME/$h/." "$work/$h/"
  log="$out/$h/fuzz.log"
  status=0
  # shellcheck disable=SC2086
  "$bin" "$work/$h" "$here/regressions/$h" -max_total_time="$seconds" -max_len="${max_len[$h]}" \
    -dict="$here/dict/${dict[$h]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/$h/" ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  added=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
  cov0=$(sed -n 's/.*INITED cov: \([0-9]*\).*/\1/p' "$log" | head -1)
  cov1=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -1)
  if [ "$status" -eq 0 ] && ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|fuzz invariant failed' "$log"; then
    result=ok
  else
    # The inputs libFuzzer kept; a failure may leave none behind (an interrupted run, a report outside an input).
    kept=$(find "$out/$h" -maxdepth 1 -regextype posix-extended -regex '.*/(crash|leak|timeout|oom|slow-unit)-[^/]*' |
      sort | tr '\n' ' ')
    result="FAILED (exit $status): ${kept:-no input kept, see $log}"
    failed+=("$h")
  fi
  printf '%-14s %12s %9s %16s %10s  %s\n' "$h" "${runs:-?}" "${rate:-?}" "${cov0:-?}→${cov1:-?}" "${added:-?}" "$result"
done
echo "logs and any crash inputs: $out"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]} — see the logs; add each crash input to tests/fuzz/regressions/<harness>/ once fixed" >&2
  exit 1
fi
