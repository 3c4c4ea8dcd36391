// POST /v1/tickets bodies: parse_intake() against the shipped rule set (rules/, loaded once as the daemon loads
// it), then, for a body it accepts, the routing decision and its JSON, as intake goes on to do.
//
// Invariants: no exception escapes; a refusal is a 400 whose detail is UTF-8 and serialises as JSON; an accepted
// ticket has non-blank UTF-8 content, a known channel when one is named, a category and area that the rule set
// knows; the same body parses to the same result again; the decision has a lead unit of the rule set.
#include <boost/json.hpp>

#include "daemon/config/rules_loader.hpp"
#include "daemon/wire/ticket_json.hpp"
#include "routing/keyword_matcher.hpp"
#include "routing/router.hpp"
#include "routing/ticket.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

const hotline::routing::RuleSet& shipped_rules() {
  static const auto loaded = hotline::daemon::load_rules(SHIPPED_RULES_DIR);
  if (!loaded.rule_set) {
    std::fprintf(stderr, "the shipped rules in %s do not compile\n", SHIPPED_RULES_DIR);
    std::abort();
  }
  return *loaded.rule_set;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)shipped_rules();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > hotline::fuzz::k_max_input) return 0;
  using namespace hotline;
  const auto body = fuzz::text(data, size);
  const auto& rules = shipped_rules();
  auto parsed = daemon::parse_intake(body, rules);
  if (const auto* p = std::get_if<daemon::Problem>(&parsed)) {
    FUZZ_CHECK(p->status == 400, p->detail);
    FUZZ_CHECK(routing::is_valid_utf8(p->detail), p->detail);
    const auto json = p->to_json();
    FUZZ_CHECK(routing::is_valid_utf8(json) && boost::json::parse(json).is_object(), json);
    FUZZ_CHECK(std::holds_alternative<daemon::Problem>(daemon::parse_intake(body, rules)), "deterministic");
    return 0;
  }
  const auto& r = std::get<daemon::IntakeRequest>(parsed);
  FUZZ_CHECK(!r.ticket.content.empty() && routing::is_valid_utf8(r.ticket.content), "content is UTF-8 text");
  if (r.channel) FUZZ_CHECK(routing::is_channel(*r.channel), *r.channel);
  if (r.category) FUZZ_CHECK(rules.find_matter(*r.category) != nullptr, *r.category);
  if (r.area) FUZZ_CHECK(rules.find_division(*r.area) != nullptr, *r.area);
  const auto again = daemon::parse_intake(body, rules);
  FUZZ_CHECK(std::holds_alternative<daemon::IntakeRequest>(again) &&
                 std::get<daemon::IntakeRequest>(again).ticket.content == r.ticket.content,
             "deterministic");

  const auto decision = routing::route(r.ticket, rules);
  FUZZ_CHECK(decision.lead != nullptr && rules.find_unit(decision.lead->id) != nullptr, "a lead unit");
  (void)boost::json::serialize(daemon::decision_to_json(decision, rules));
  return 0;
}
