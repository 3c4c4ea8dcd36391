#!/usr/bin/env bash
# Instructions per routing decision, by part, on route_bench's 64 texts of 256 characters, without and with a
# learned model (run by hand; never by CTest). Counts are stable where a virtual machine's timings are not:
#   tests/bench/route_instructions.sh [BUILD_DIR]
# Two callgrind runs of route_bench (0.1 s and 0.5 s, `route()` only) are differenced, so the golden cases that
# loading the rules routes drop out. glibc's memset is counted by callgrind a byte at a time (`rep stosb`) and is
# shown apart. The model is trained as tests/bench/route_model.sh trains it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/bench/lib.sh
source "$root/tests/bench/lib.sh"
build=${1:-$root/build/release}
command -v valgrind > /dev/null || { echo "valgrind is missing: packaging/install-deps.sh installs it" >&2; exit 2; }
routing_init daemon/hotlinectl tests/route_bench
rules_with_model "$work" > /dev/null

measure() {  # measure LABEL RULES_DIR
  for seconds in 0.1 0.5; do
    valgrind --tool=callgrind --callgrind-out-file="$work/$seconds.out" \
      --toggle-collect='hotline::routing::route(*' "$build/tests/route_bench" "$2" "$seconds" 1 0 > /dev/null 2>&1
    callgrind_annotate --inclusive=yes "$work/$seconds.out" > "$work/$seconds.txt" 2> /dev/null
  done
  python3 - "$1" "$work" << 'EOF'
import re
import sys

label, work = sys.argv[1], sys.argv[2]
PARTS = [  # (name, a function whose inclusive cost is the part)
    ("scan (decoding, automaton, negation cues)", r"inference\.cpp:hotline::routing::TextHits::scan\("),
    ("  of which the negation cues", r"TextFeatures::analyse\("),
    ("n-gram pass (catalogue bigrams, model sums)", r"GramScorer::run<"),
    ("infer_matter, the n-gram pass included", r"inference\.cpp:hotline::routing::infer_matter\("),
    ("  of which the model's opinion", r"MatterModel::predict_sums\("),
    ("infer_area", r"inference\.cpp:hotline::routing::infer_area\("),
    ("memset (a byte an instruction)", r"memset"),
]


def route_calls(path):
    """Calls of route() recorded in a callgrind file (its names are compressed to ids after first use)."""
    names, calls, callee = {}, 0, None
    with open(path) as f:
        for line in f:
            m = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?", line)
            if m:
                if m.group(3):
                    names[m.group(2)] = m.group(3)
                callee = names.get(m.group(2), "") if m.group(1) == "cfn" else None
            elif line.startswith("calls=") and callee is not None:
                if callee.startswith("hotline::routing::route("):
                    calls += int(line.split("=")[1].split()[0])
                callee = None
    return calls


def costs(seconds):
    text = open(f"{work}/{seconds}.txt").read()
    total = int(re.search(r"([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS", text).group(1).replace(",", ""))
    part = {}
    for name, pattern in PARTS:
        m = re.search(r"^ *([\d,]+) \([ \d.]+%\)\s+.*" + pattern, text, re.M)
        part[name] = int(m.group(1).replace(",", "")) if m else 0
    return total, part, route_calls(f"{work}/{seconds}.out")


short, long = costs("0.1"), costs("0.5")
n = long[2] - short[2]
if n <= 0:
    sys.exit("route_instructions: the longer run routed no more texts than the shorter one")
per = lambda a, b: (b - a) / n
memset = per(short[1]["memset (a byte an instruction)"], long[1]["memset (a byte an instruction)"])
total = per(short[0], long[0])
print(f"{label}: {n} texts, {total - memset:,.0f} instructions a decision without memset ({total:,.0f} with)")
for name, _ in PARTS:
    print(f"  {name}: {per(short[1][name], long[1][name]):,.0f}")
EOF
}

measure "shipped rules" "$root/rules"
measure "with the class model" "$work/rules"
