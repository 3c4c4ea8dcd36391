#!/usr/bin/env bash
# Stage lag under intake load (run by hand; never by CTest):
#   tests/bench/stage_lag.sh [BUILD_DIR] [TICKETS] [STAGES] [SECONDS]
# Seeds TICKETS open tickets (default 1,000,000) with armed clocks, arms the yellow stage of STAGES of them
# (default 3,000) at instants spread over a SECONDS-long window (default 30) that starts 20 s later; starts
# hotlined on that database and drives durable intake with wrk (64 connections, as tests/bench/intake.sh) across
# the whole window; then reads from the event log how late each stage fired (event instant - stage instant):
# the target is every stage within 1 s of its due instant.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
tickets=${2:-1000000}
stages=${3:-3000}
seconds=${4:-30}
. "$root/tests/bench/lib.sh"
bench_init

"$build/tests/escalation_bench" seed "$work/h.db" "$tickets" 0
now_ms=$(($(date +%s%N) / 1000000))
from=$((now_ms + 20000))
to=$((from + seconds * 1000))
"$build/tests/escalation_bench" spread "$work/h.db" "$stages" "$from" "$to"

start_hotlined "$work/daemon.log" --listen 127.0.0.1:0 --database "$work/h.db" --rules "$root/rules"
pid=$HOTLINED_PID port=$HOTLINED_PORT
# Intake from now until 2 s after the window closes (bounded by wrk's duration).
load=$(( (to - $(date +%s%N) / 1000000) / 1000 + 2 ))
echo "intake load for ${load} s while ${stages} stages fall due over ${seconds} s"
wrk -t2 -c64 -d"${load}s" --latency -s "$root/tests/bench/intake.lua" "http://127.0.0.1:$port" | tail -1
kill -TERM $pid; wait $pid

sqlite3 "$work/h.db" "
  WITH lag AS (SELECT at_ms - json_extract(payload, '\$.stage_ms') AS ms FROM events
               WHERE kind = 'stage_yellow' AND ticket_id LIKE 'BN%'),
       ranked AS (SELECT ms, row_number() OVER (ORDER BY ms) AS r, count(*) OVER () AS n FROM lag)
  SELECT printf('stages fired: %d of $stages; lag ms p50 %d, p99 %d, max %d; later than 1 s: %d',
                max(n), max(CASE WHEN r = (n + 1) / 2 THEN ms END), max(CASE WHEN r = (n * 99 + 99) / 100 THEN ms END),
                max(ms), sum(ms > 1000)) FROM ranked;"
echo "tickets taken in during the run: $(sqlite3 "$work/h.db" "select count(*) from tickets where id not like 'BN%'")"
