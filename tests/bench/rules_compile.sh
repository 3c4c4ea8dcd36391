#!/usr/bin/env bash
# Rules compile benchmark (run by hand, never by CTest):
#   tests/bench/rules_compile.sh [BUILD_DIR] [RULES]
# Generates one rules file of about 10 MB for the default RULES=14000: 1.7 units, 1.7 divisions and 1.5 leaf matters
# per rule, every matter, division and rule sharing a word, half the rules in keyword shorthand, half leading to a
# {kind, level} template. Then times `hotlinectl route` on no input (reading and compiling only) and
# `hotlinectl rules check` (compiling plus the rule analysis: shadowed rules, ties, each rule compared only with the
# rules sharing a matter or area prefix). Target: a 10 MB set compiles and checks in seconds. The machine's load is printed with the figures.
set -euo pipefail
build="${1:-build/release}"
rules="${2:-14000}"
ctl="$build/daemon/hotlinectl"
[ -x "$ctl" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
work="$(mktemp -d "${TMPDIR:-/tmp}/hotline-rules-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rules"

awk -v n="$rules" 'BEGIN {
  units = int(n * 1.7); divisions = int(n * 1.7); subclasses = int(n * 1.5 / 9) + 1
  print "fallback: desk"
  print "units:"
  print "  - id: desk\n    name: 热线派单中心\n    kind: 热线派单中心\n    level: city"
  for (i = 0; i < units; i++) {
    printf "  - id: u%d\n    name: 第%d号承办单位\n    kind: 种类%d\n    level: %s\n    areas: [\"35%08d\"]\n",
           i, i, i % 500, (i % 2 ? "township" : "county"), i
  }
  print "divisions:"
  for (i = 0; i < divisions; i++) {
    printf "  - code: \"36%08d\"\n    name: 地名%d\n    aliases: [旧地名%d, 本市区域]\n", i, i, i
  }
  print "matters:"
  for (c = 10; c < 100; c++) printf "  - code: \"%d\"\n    name: 大类%d\n", c, c
  leaf = 0
  for (s = 0; s < subclasses && s < 9000; s++) {
    sc = sprintf("%d%02d", 10 + s % 90, int(s / 90))
    printf "  - code: \"%s\"\n    name: 中类%d\n", sc, s
    for (l = 1; l <= 9; l++) {
      code[leaf] = sprintf("%s%02d", sc, l)
      printf "  - code: \"%s\"\n    name: 小类事项%d\n    keywords: [事项词%d, 诉求词%d, 相关问题%d, 常见问题]\n",
             code[leaf], leaf, leaf, leaf, leaf
      leaf++
    }
  }
  print "rules:"
  for (i = 0; i < n; i++) {
    printf "  - id: r%d\n    priority: %d\n    when:\n      matter: \"%s\"\n", i, i % 50, code[i % leaf]
    if (i % 2) printf "      keywords: [关键词%d, 线索%d, 共同线索]\n", i, i
    else printf "      keywords:\n        any: [关键词%d, 线索%d, 共同线索]\n        none: [排除%d]\n", i, i, i
    if (i % 2) printf "    lead: {kind: 种类%d, level: county}\n", (i * 2) % 500
    else printf "    lead: u%d\n", i % units
  }
}' > "$work/rules/big.yaml"

echo "rules file: $(du -h "$work/rules/big.yaml" | cut -f1) ($(wc -c < "$work/rules/big.yaml") bytes), $rules rules"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
/usr/bin/time -f "compile (hotlinectl route, no input): %e s wall, %M KB max RSS" "$ctl" route --rules "$work/rules" \
  < /dev/null > /dev/null
/usr/bin/time -f "rules check (compile + analysis): %e s wall, %M KB max RSS" "$ctl" rules check "$work/rules" \
  2> "$work/check.txt" | sed 's/^/  /' || true
grep -E "wall|rejected|error" "$work/check.txt" | head -5
echo "  $(grep -c warning "$work/check.txt" || true) warning line(s)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
