#!/usr/bin/env bash
# Durable-intake benchmark: POST /v1/tickets over 64 keep-alive loopback connections, driven by wrk, twice in one
# run: with group commit (storage.max_batch 512, the default) and with one transaction per ticket (max_batch 1).
# Usage: tests/bench/intake.sh [BUILD_DIR] [SECONDS]     (default build/release, 10 s per run)
# Environment: BENCH_THREADS (http.threads), BENCH_PRELOAD (LD_PRELOAD), BENCH_WRK_THREADS (wrk -t, default 2),
# BENCH_CONFIG (YAML lines added to both runs' config, e.g. "duplicates:\n  days: 0"),
# BENCH_ROUNDS (default 1): rounds of both runs, each on a fresh database, then the medians; on a shared or
# virtual machine single runs vary by 10-20%.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
seconds=${2:-10}
. "$root/tests/bench/lib.sh"
bench_init

run() {  # run NAME MAX_BATCH
  local name=$1 batch=$2 log=$work/$1.log
  printf 'storage:\n  max_batch: %s\n' "$batch" > "$work/$name.yaml"
  [ -z "${BENCH_THREADS:-}" ] || printf 'http:\n  threads: %s\n' "$BENCH_THREADS" >> "$work/$name.yaml"
  [ -z "${BENCH_CONFIG:-}" ] || printf '%b\n' "$BENCH_CONFIG" >> "$work/$name.yaml"
  start_hotlined "$log" --config "$work/$name.yaml" --listen 127.0.0.1:0 --database "$work/$name.db" \
    --rules "$root/rules"
  local pid=$HOTLINED_PID port=$HOTLINED_PORT
  local out
  out=$(wrk -t"${BENCH_WRK_THREADS:-2}" -c64 -d"${seconds}s" --latency -s "$root/tests/bench/intake.lua" "http://127.0.0.1:$port" | tail -1)
  # CPU time per stored ticket, writer thread vs the rest (from /proc, clock ticks → µs), before stopping.
  local cpu
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '
    { sub(/^[^)]*\) /, ""); t = ($12 + $13) * 1e6 / hz }
    FILENAME ~ /comm$/ { next }
    { total += t }
    END { printf "%.0f", total }' "/proc/$pid/task/"*/stat)
  local writer=0 task
  for task in "/proc/$pid/task/"*; do
    if [ "$(cat "$task/comm")" = hotline-writer ]; then
      writer=$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/^[^)]*\) /, ""); printf "%.0f", ($12 + $13) * 1e6 / hz }' "$task/stat")
    fi
  done
  kill -TERM "$pid"; wait "$pid"
  local stored
  stored=$(sqlite3 "$work/$name.db" 'select count(*) from tickets' 2>/dev/null || echo '?')
  local per_writer='?' per_other='?'
  if [[ $stored =~ ^[0-9]+$ ]] && [ "$stored" -gt 0 ]; then
    per_writer=$((writer / stored)); per_other=$(((cpu - writer) / stored))
  fi
  echo "$name (max_batch=$batch): $out stored=$stored cpu/ticket: writer=${per_writer}us other=${per_other}us"
  rm -f "$work/$name.db" "$work/$name.db-wal" "$work/$name.db-shm"
  [[ $out =~ rate=([0-9]+) ]] && echo "${BASH_REMATCH[1]}" >> "$work/$name.rates"
}

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

rounds=${BENCH_ROUNDS:-1}
for ((round = 1; round <= rounds; round++)); do
  [ "$rounds" -eq 1 ] || echo "round $round of $rounds"
  run grouped 512
  run single 1
done
if [ "$rounds" -gt 1 ]; then
  g=$(median "$work/grouped.rates") s=$(median "$work/single.rates")
  echo "median of $rounds rounds: grouped ${g}/s, single ${s}/s, ratio $(awk -v g="$g" -v s="$s" 'BEGIN { printf "%.1f", g / s }')x"
fi
