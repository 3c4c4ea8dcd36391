#!/usr/bin/env bash
# Nightly report benchmark (run by hand, never by CTest):
#   tests/bench/report_bench.sh [BUILD_DIR] [TICKETS] [DB_PATH]
# Seeds a year of TICKETS tickets (default 1,000,000; reused when DB_PATH already holds them), then times
# `hotlinectl report nightly` over it with /usr/bin/time -v, in all four formats. Target: <= 10 s, <= 512 MB.
# The machine's load is printed with the figures: other builds on a shared machine slow everything down.
set -euo pipefail
build="${1:-build/release}"
tickets="${2:-1000000}"
db="${3:-${TMPDIR:-/tmp}/hotline-report-bench-${tickets}.db}"
out="$(mktemp -d "${TMPDIR:-/tmp}/hotline-report-bench-out.XXXXXX")"
trap 'rm -rf "$out"' EXIT

if [ ! -f "$db" ] || [ "$(sqlite3 "$db" 'SELECT count(*) FROM tickets' 2>/dev/null)" != "$tickets" ]; then
  echo "seeding $tickets tickets into $db ..."
  /usr/bin/time -f "seed: %e s wall, %M KB max RSS" "$build/tests/report_seed" "$db" "$tickets" rules
fi
echo "database: $(du -h "$db" | cut -f1), $(sqlite3 "$db" 'SELECT count(*) FROM events') events"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
/usr/bin/time -v "$build/daemon/hotlinectl" report nightly --as-of 2026-11-30 --database "$db" --out "$out" \
  --format xlsx,html,csv,json --rules rules 2> "$out/time.txt" | sed 's/^/  /'
grep -E "^report nightly:|Elapsed|Maximum resident|User time|System time|Percent of CPU" "$out/time.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
find "$out" -maxdepth 1 -name 'hotline-report*' -printf '  %s\t%f\n' | sort -k2 | head -5
