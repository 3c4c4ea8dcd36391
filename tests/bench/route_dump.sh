#!/usr/bin/env bash
# Every field of every decision over a fixed set of texts, with and without a learned model (run by hand; never by
# CTest): diff the output before and after a change to the router, it must be empty.
#   tests/bench/route_dump.sh [BUILD_DIR] > dump.txt
# The texts: tests/corpus/messages.jsonl, the shipped golden cases (rules/tests) and route_bench's texts. The
# model is trained as tests/bench/route_model.sh trains it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/bench/lib.sh
source "$root/tests/bench/lib.sh"
build=${1:-$root/build/release}
routing_init daemon/hotlinectl tests/route_dump
rules_with_model "$work" > /dev/null
corpus=$root/tests/corpus/messages.jsonl
echo "### without a model"
"$build/tests/route_dump" "$root/rules" "$corpus" "$root/rules"
echo "### with the model"
# The scratch folder's name shows in the trace (a rule's file): the same name every run.
"$build/tests/route_dump" "$work/rules" "$corpus" "$root/rules" | sed "s|$work/|SCRATCH/|g"
