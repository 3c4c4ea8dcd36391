# shellcheck shell=bash
# shellcheck disable=SC2154  # root and build are set by the script that sources this file
# Shared by the benchmark scripts (sourced, bash, after setting root and build).
# bench_init — checks for the release hotlined ($bin) and wrk, makes the scratch folder $work (removed on exit,
# with every background job killed).
bench_init() {
  bin=$build/daemon/hotlined
  [ -x "$bin" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
  command -v wrk >/dev/null || { echo "wrk is missing: packaging/install-deps.sh" >&2; exit 2; }
  work=$(mktemp -d)
  trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
}

# start_hotlined LOG ARGS... — runs "$bin" ARGS... in the background with stderr to LOG (optionally with
# BENCH_PRELOAD preloaded), waits (bounded, 60 s) for its "listening on" line and sets HOTLINED_PID and
# HOTLINED_PORT; exits the script with the log when the daemon does not come up.
start_hotlined() {
  local log=$1 line
  shift
  : > "$log"
  ${BENCH_PRELOAD:+env LD_PRELOAD=$BENCH_PRELOAD} "$bin" "$@" 2> "$log" &
  export HOTLINED_PID=$!  # for the sourcing script
  HOTLINED_PORT=""
  while IFS= read -r -t 60 line; do
    if [[ $line =~ listening\ on\ 127\.0\.0\.1:([0-9]+) ]]; then HOTLINED_PORT=${BASH_REMATCH[1]}; break; fi
  done < <(tail -f "$log")
  [ -n "$HOTLINED_PORT" ] || { cat "$log" >&2; exit 1; }
}

# routing_init TOOL... — checks for each release tool "$build/TOOL" (daemon/hotlinectl, tests/route_bench …) and
# makes the scratch folder $work (removed on exit): the routing benchmarks' common start.
routing_init() {
  local tool
  for tool in "$@"; do
    if [ ! -x "$build/$tool" ]; then
      echo "build first: cmake --preset release && cmake --build --preset release" >&2
      exit 2
    fi
  done
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
}

# rules_with_model DIR — copies the shipped rules to DIR/rules and trains a class-level matter model on
# tests/corpus/messages.jsonl into it with "$build/daemon/hotlinectl" (prints the learner's summary line).
rules_with_model() {
  cp -r "$root/rules" "$1/rules"
  rm -rf "$1/rules/model"
  "$build/daemon/hotlinectl" rules learn --rules "$1/rules" --from "$root/tests/corpus/messages.jsonl" \
    --level class | tail -n 1
}
