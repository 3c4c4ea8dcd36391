#!/usr/bin/env bash
# Routing with and without a learned model (run by hand; never by CTest):
#   tests/bench/route_model.sh [BUILD_DIR] [SECONDS]
# Copies the shipped rules to a scratch folder, trains a class-level model on tests/corpus/messages.jsonl into it
# (`hotlinectl rules learn`), then runs route_bench on the shipped rules and on the copy: decisions per second on
# one core and the resident memory of the compiled rule set, without and with the model.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/bench/lib.sh
source "$root/tests/bench/lib.sh"
build=${1:-$root/build/release}
seconds=${2:-5}
routing_init daemon/hotlinectl tests/route_bench
rules_with_model "$work"
echo "== without a model ($root/rules)"
"$build/tests/route_bench" "$root/rules" "$seconds"
echo "== with the model ($work/rules/model/matters.model)"
"$build/tests/route_bench" "$work/rules" "$seconds"
