// Compiling a rule set is linear: the builder's work counter (elements examined while cross-checking and
// indexing) grows with the rule set, not with its square, even where every entry shares a keyword, a kind or a
// matter class. So is the rule analysis (`rules check`), counted in rule pairs compared. No timing: the counts are
// exact and the same on every machine.
#include "routing/rule_set_builder.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "routing/rule_analysis.hpp"
#include "routing/rule_set.hpp"

using namespace hotline::routing;

namespace {

std::string pad(int value, int width) {
  char text[16];
  std::snprintf(text, sizeof text, "%0*d", width, value);
  return text;
}

// n units in n/10 kinds (one area each), n divisions, n leaf matters and n rules; every matter, division and rule
// shares one word, each rule names its own leaf matter, and half the rules lead to a {kind, level} template.
std::string rule_set(int n) {
  std::string t = "fallback: desk\nunits:\n  - id: desk\n    name: 派单中心\n";
  for (int i = 0; i < n; ++i) {
    t += "  - id: u" + std::to_string(i) + "\n    name: 单位" + std::to_string(i) + "\n    kind: 种类" +
         std::to_string(i / 10) + "\n    level: county\n    areas: [\"3506" + pad(i, 6) + "\"]\n";
  }
  t += "divisions:\n";
  for (int i = 0; i < n; ++i) {
    t += "  - code: \"3506" + pad(i, 6) + "\"\n    name: 地方" + std::to_string(i) + "\n    aliases: [共同地]\n";
  }
  t += "matters:\n  - code: \"10\"\n    name: 大类\n";
  for (int c = 0; c * 100 < n; ++c) t += "  - code: \"10" + pad(c, 2) + "\"\n    name: 中类" + std::to_string(c) + "\n";
  for (int i = 0; i < n; ++i) {
    t += "  - code: \"10" + pad(i, 4) + "\"\n    name: 小类" + std::to_string(i) + "\n    keywords: [共同词, 词" +
         std::to_string(i) + "]\n";
  }
  t += "rules:\n";
  for (int i = 0; i < n; ++i) {
    t += "  - id: r" + std::to_string(i) + "\n    priority: " + std::to_string(i) + "\n    when:\n      matter: \"10" +
         pad(i, 4) + "\"\n      keywords: [共同, 关键" + std::to_string(i) + "]\n";
    t += i % 2 == 0 ? "    lead: u" + std::to_string(i) + "\n"
                    : "    lead: {kind: 种类" + std::to_string(i / 10) + ", level: county}\n";
  }
  return t;
}

std::uint64_t work_to_compile(int n) {
  std::vector<Diagnostic> diagnostics;
  RuleSetBuilder builder(diagnostics);
  builder.add_file({"big.yaml", rule_set(n), ""});
  const auto set = builder.finish("test");
  for (const auto& d : diagnostics) INFO(d.to_string());
  REQUIRE(set);
  REQUIRE(set->rules().size() == static_cast<std::size_t>(n));
  return builder.work();
}

}  // namespace

TEST_CASE("compiling four times the rules takes about four times the work, not sixteen",
          "[routing][rules][complexity]") {
  const auto small = work_to_compile(500);
  const auto large = work_to_compile(2000);
  INFO("work for 500: " << small << ", for 2000: " << large);
  CHECK(small <= 40u * 500);
  CHECK(large <= 5 * small);  // quadratic would be about 16 times
}

namespace {

// Nine levels of ten aliases each: 10^9 scalars in nine lines (the "billion laughs").
std::string laughs() {
  std::string t = "l0: &l0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]\n";
  for (int i = 1; i < 9; ++i) {
    const std::string prev = "*l" + std::to_string(i - 1);
    t += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) t += (k ? ", " : "") + prev;
    t += "]\n";
  }
  return t;
}

}  // namespace

TEST_CASE("an alias counts the whole node it names each time it is used", "[routing][rules][limits]") {
  const YAML::Node doc = YAML::Load("a: &x [1, 2, 3]\nb: [*x, *x]\n");
  // root; key a and [1,2,3] (4); key b and [*x, *x] (1 + 1 + 2 * 4)
  CHECK(measure_expansion(doc, 16) == Expansion::within);
  CHECK(measure_expansion(doc, 15) == Expansion::too_many_nodes);
  // Stops at the cap, long before 10^9.
  CHECK(measure_expansion(YAML::Load(laughs()), 1'000'000) == Expansion::too_many_nodes);
  // An alias inside the node it names is one node, not a loop.
  CHECK(measure_expansion(YAML::Load("a: &x [1, *x]\n"), 6) == Expansion::within);
  // A chain of anchors nesting 200 levels deep is refused at 100.
  std::string chain = "l0: &l0 [x]\n";
  for (int i = 1; i < 200; ++i)
    chain += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [*l" + std::to_string(i - 1) + "]\n";
  CHECK(measure_expansion(YAML::Load(chain), 1'000'000) == Expansion::too_deep);
}

TEST_CASE("a rules file that expands past the node cap is refused before it is read", "[routing][rules][limits]") {
  const auto r = RuleSet::compile({{"fallback.yaml", "fallback: desk\nunits: [{id: desk, name: 派单中心}]\n", ""},
                                   {"laughs.yaml", laughs(), "rules/laughs.yaml"}});
  CHECK_FALSE(r.rule_set);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].to_string() ==
        "rules/laughs.yaml: error: rules file rules/laughs.yaml expands to more than 4000000 nodes (an alias counts "
        "the whole node it names each time it is used; the cap is rules_files.max_yaml_nodes)");
  // The same text within a smaller cap of its own, and a plain file over a byte cap.
  FileLimits small;
  small.max_yaml_nodes = 1000;
  small.max_bytes = 40;
  const auto s =
      RuleSet::compile({{"fallback.yaml", "fallback: desk\nunits: [{id: desk, name: 派单中心}]\n", ""}}, small);
  CHECK_FALSE(s.rule_set);
  REQUIRE(s.diagnostics.size() == 2);  // the file, and then no fallback
  CHECK(s.diagnostics[0].to_string() ==
        "fallback.yaml: error: rules file fallback.yaml is 55 bytes, more than the cap of 40 bytes "
        "(rules_files.max_bytes)");
}

TEST_CASE("the rule analysis compares each rule with the few that could cover or tie with it, not with all",
          "[routing][rule_analysis][complexity]") {
  const auto comparisons = [](int n) {
    auto r = RuleSet::compile({{"big.yaml", rule_set(n), ""}});
    REQUIRE(r.rule_set);
    std::uint64_t compared = 0;
    (void)analyze(*r.rule_set, &compared);
    return compared;
  };
  const auto small = comparisons(500);
  const auto large = comparisons(2000);
  INFO("rule pairs compared for 500 rules: " << small << ", for 2000: " << large);
  CHECK(small >= 500);        // each rule is compared at least with itself
  CHECK(large <= 5 * small);  // pairwise would be 16 times (250,000 → 4,000,000)
}
