#!/usr/bin/env bash
# How long `hotlinectl rules learn` takes on a history of N messages (run by hand; never by CTest):
#   tests/bench/learn_bench.sh [BUILD_DIR] [N]
# Makes N labelled messages (default 10,000) from the clauses of tests/corpus/messages.jsonl: each message is
# clauses of messages with its label, drawn with a fixed seed, so a class has the words of its own messages in new
# orders and lengths. Then times, on one core: training (--dry-run), training with 5-fold cross-validation, and
# scoring tests/corpus/heldout.jsonl with the model learned. The timings are the point: the cross-validated
# figures of such messages are near 100% (each label's messages reuse a few clauses) and mean nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
n=${2:-10000}
ctl=$build/daemon/hotlinectl
[ -x "$ctl" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$root/tests/corpus/messages.jsonl" "$n" > "$work/history.jsonl" <<'EOF'
import json, random, re, sys
by_label = {}
for line in open(sys.argv[1], encoding="utf-8"):
    m = json.loads(line)
    clauses = [c for c in re.split(r"(?<=[，。！？；\n])", m["content"]) if c.strip()]
    by_label.setdefault(m["matter"], []).append(clauses)
rng = random.Random(12345)
labels = sorted(by_label)
for i in range(int(sys.argv[2])):
    label = labels[i % len(labels)]
    pool = [c for msg in by_label[label] for c in msg]
    text = "".join(rng.choice(pool) for _ in range(rng.randint(3, 12)))
    print(json.dumps({"content": text, "matter": label}, ensure_ascii=False))
EOF
cp -r "$root/rules" "$work/rules"
rm -rf "$work/rules/model"
echo "history: $(wc -l < "$work/history.jsonl") messages, $(wc -c < "$work/history.jsonl") bytes, $(python3 -c "
import json,sys; print(len({json.loads(l)['matter'] for l in open(sys.argv[1])}))" "$work/history.jsonl") labels"
# run WHAT ARGS... — times `hotlinectl rules learn ARGS...` and prints its summary: the "overall" line of --cv and
# --test, else the line naming the model written, else the first line.
run() {
  local what=$1 start end
  shift
  start=${EPOCHREALTIME/./}
  "$ctl" rules learn --rules "$work/rules" "$@" > "$work/out.txt"
  end=${EPOCHREALTIME/./}
  printf '%-42s %3d.%02d s   %s\n' "$what" $(((end - start) / 1000000)) $(((end - start) / 10000 % 100)) \
    "$(grep -m 1 '^overall' "$work/out.txt" || grep -m 1 '^wrote' "$work/out.txt" || head -n 1 "$work/out.txt")"
}
history=$work/history.jsonl
run "train (leaf labels, --dry-run)" --from "$history" --dry-run
run "train (class labels, --dry-run)" --from "$history" --dry-run --level class
run "train + 5-fold cross-validation (leaf)" --from "$history" --dry-run --cv 5
run "train and write the model (leaf)" --from "$history"
run "score tests/corpus/heldout.jsonl" --test "$root/tests/corpus/heldout.jsonl"
