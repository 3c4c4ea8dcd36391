#!/bin/sh
# Escalation benchmark (run by hand; never by CTest):
#   tests/bench/escalation_bench.sh [BUILD_DIR] [TICKETS] [DUE]
# Seeds a fresh database with TICKETS open tickets (default 1,000,000) whose stages are armed, DUE of them
# (default 10,000) with a stage due now; then times hotlined's start-up to "listening on" (the catch-up of the DUE
# stages happens before it listens) and reads its resident memory; then times firings of k due stages for growing
# k on the same million-ticket database (escalation_bench fire). Needs the release build of hotlined and
# escalation_bench.
set -eu
BUILD=${1:-build/release}
TICKETS=${2:-1000000}
DUE=${3:-10000}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

"$BUILD/tests/escalation_bench" seed "$DIR/h.db" "$TICKETS" "$DUE"
echo "database: $(du -m "$DIR/h.db" | cut -f1) MB"

start=$(date +%s%N)
/usr/bin/time -v "$BUILD/daemon/hotlined" --database "$DIR/h.db" --rules rules --listen 127.0.0.1:0 \
  2> "$DIR/daemon.log" &
timer=$!
# Polling a log file with a bound: fine for a benchmark script (tests never do this).
i=0
until grep -q "listening on" "$DIR/daemon.log" 2>/dev/null; do
  i=$((i + 1))
  if [ "$i" -gt 600 ]; then echo "hotlined did not start in 60 s"; cat "$DIR/daemon.log"; exit 1; fi
  sleep 0.1
done
ready=$(date +%s%N)
echo "start-up to ready (catch-up included): $(( (ready - start) / 1000000 )) ms"
grep -o "escalation catch-up: .*" "$DIR/daemon.log"
daemon=$(pgrep -P "$timer" hotlined)
echo "resident memory when ready: $(grep VmRSS /proc/"$daemon"/status | tr -s ' ')"
kill -TERM "$daemon"
wait "$timer" || true
grep "Maximum resident set size" "$DIR/daemon.log" | sed 's/^[[:space:]]*/peak /'

"$BUILD/tests/escalation_bench" fire "$DIR/h.db" rules
