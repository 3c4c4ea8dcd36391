// Decision dump (run by hand; never by CTest), for checking that a change to the router decides exactly as before:
//   build/release/tests/route_dump RULES_DIR [CORPUS.jsonl] [GOLDEN_RULES_DIR] > dump.txt
// Routes the corpus messages (content and channel of each JSON line), the golden cases of GOLDEN_RULES_DIR/tests
// and route_bench's texts, each with and without the explain trace, and prints every field of every decision:
// units, rule, matter, confidence (exact, as a hexadecimal float), area, ladder and the trace lines.
// tests/bench/route_dump.sh runs it with and without a learned model.
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "bench_tickets.hpp"
#include "daemon/config/golden_cases.hpp"
#include "daemon/config/rules_holder.hpp"
#include "routing/router.hpp"

using namespace hotline;

namespace {

void dump(const std::string& name, const routing::Ticket& t, const routing::RuleSet& rules) {
  for (const bool explain : {false, true}) {
    const auto d = routing::route(t, rules, {.explain = explain});
    std::printf("== %s%s\nlead %s\nco", name.c_str(), explain ? " (explain)" : "", d.lead->id.c_str());
    for (const auto* u : d.co) std::printf(" %s", u->id.c_str());
    std::printf("\nrule %s\nmatter %s inferred %d confidence %a (%.17g) below %d\narea %s inferred %d\nladder %s\n",
                d.rule_id().c_str(), d.matter.c_str(), d.matter_inferred, d.confidence, d.confidence, d.below_threshold,
                d.area.c_str(), d.area_inferred, d.ladder.c_str());
    for (const auto& line : d.explain) std::printf("| %s\n", line.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: route_dump RULES_DIR [CORPUS.jsonl] [GOLDEN_RULES_DIR]\n";
    return 2;
  }
  const auto loaded = daemon::load_initial_rules(argv[1]);
  if (!loaded.ok) {
    for (const auto& d : loaded.diagnostics) std::cerr << d.to_string() << '\n';
    return 1;
  }
  daemon::RulesHolder holder(argv[1], loaded.info);
  const auto rules = holder.get();
  std::size_t count = 0;
  if (argc > 2) {
    std::ifstream in(argv[2]);
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const auto o = boost::json::parse(line).as_object();
      routing::Ticket t;
      t.content = o.at("content").as_string().c_str();
      if (const auto* c = o.if_contains("channel")) t.channel = c->as_string().c_str();
      dump("corpus line " + std::to_string(number), t, *rules);
      ++count;
    }
  }
  if (argc > 3) {
    std::vector<routing::Diagnostic> errors;
    const auto cases = daemon::read_golden_cases(argv[3], errors);
    for (const auto& e : errors) std::cerr << e.to_string() << '\n';
    if (!errors.empty()) return 1;
    for (const auto& c : cases) dump("golden " + c.file + ":" + std::to_string(c.line), c.ticket, *rules), ++count;
  }
  const auto tickets = bench::make_tickets();
  for (std::size_t i = 0; i < tickets.size(); ++i) dump("bench " + std::to_string(i), tickets[i], *rules), ++count;
  std::fprintf(stderr, "route_dump: %zu tickets\n", count);
  return 0;
}
