#include "daemon/cases/case_transactions.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "daemon/access/caller_key.hpp"
#include "daemon/access/lookup_code.hpp"
#include "daemon/cases/case_context.hpp"
#include "daemon/wire/case_codec.hpp"
#include "routing/policy_clocks.hpp"

namespace hotline::daemon {

boost::asio::awaitable<CaseResult<OpenedCase>> CaseTransactions::open(IntakeRequest intake,
                                                                      const routing::Decision& decision,
                                                                      std::string decision_json, const RulesInfo& live,
                                                                      routing::Actor who) const {
  const auto& rules = *live.rules;
  const LocalStamp now = local_stamp_ms(deps_.clock->now_ms());

  // The life-cycle machine decides the intake events (received + dispatched, or a disposition at intake).
  routing::Case facts;
  facts.type = intake.ticket.type;
  facts.urgency = intake.ticket.urgency;
  facts.channel = intake.channel.value_or("");
  const routing::PolicyClocks clocks(*live.calendar, *live.policy, rules, utc_offset_minutes(now.unix_ms));
  std::vector<std::string> co;
  for (const auto* u : decision.co) co.push_back(u->id);
  std::map<std::string, std::string> args = intake.disposition_args;
  args["rule"] = decision.rule_id();
  args["rules_version"] = rules.version();
  auto outcome = routing::create_case(facts, intake.disposition, decision.lead->id, co, args, who,
                                      case_context(rules, clocks, now.unix_ms));
  if (auto* refusal = std::get_if<routing::Refusal>(&outcome)) co_return CaseError(std::move(*refusal));
  auto events = std::get<std::vector<routing::Event>>(std::move(outcome));

  auto t = std::make_shared<storage::NewTicket>();
  t->prefix = deps_.ticket_prefix;
  t->day = now.day;
  t->received_at = now.rfc3339;
  t->received_ms = now.unix_ms;
  t->type = routing::to_string(intake.ticket.type);
  t->urgency = routing::to_string(intake.ticket.urgency);
  t->channel = intake.channel;
  t->category = intake.category;
  t->area = intake.area;
  t->address = intake.address;
  t->caller_name = intake.caller_name;
  t->caller_phone = intake.caller_phone;
  t->confidential = intake.confidential;
  if (deps_.callers != nullptr && intake.caller_phone) t->caller_key = deps_.callers->key_of(*intake.caller_phone);
  std::string lookup_code;
  if (deps_.lookup != nullptr) {
    lookup_code = make_lookup_code();
    t->lookup_hash = deps_.lookup->hash_of(lookup_code);
  }
  t->content = std::move(intake.ticket.content);
  t->unit_id = decision.lead->id;
  t->unit_name = decision.lead->name;
  t->rule_id = decision.rule_id();
  t->rules_version = rules.version();
  t->decision = std::move(decision_json);
  for (const auto& e : events) t->events.push_back(to_stored(e));
  auto state = std::make_shared<routing::Case>();
  auto history = std::make_shared<std::optional<std::vector<std::string>>>();
  auto job = [t, state, history, facts, events = std::move(events), live, hooks = deps_.escalation,
              now_ms = now.unix_ms](storage::TicketStore& store) -> WriteResult {
    if (t->caller_key) {
      auto earlier = store.tickets_of_caller(*t->caller_key, now_ms - k_caller_history_ms, k_caller_history_limit);
      if (!earlier) return earlier.error();
      *history = std::move(*earlier);
    }
    auto id = store.next_ticket_id(t->prefix, t->day);
    if (!id) return id.error();
    t->id = *id;
    routing::Case with_id = facts;
    with_id.id = *id;
    *state = routing::replay(with_id, events);
    t->state = std::string(routing::to_string(state->state));
    if (auto r = store.insert_ticket(*t); !r) return r.error();
    auto projection = project(*state, now_ms);
    if (hooks != nullptr) {
      if (auto r = hooks->after_events(store, *id, events, *state, live, now_ms); !r) return r.error();
      hooks->plan(projection, *state, live, now_ms);
    }
    return store.write_projection(*id, projection, /*fresh=*/true);
  };
  const WriteResult written = co_await deps_.writer.async_write(std::move(job), boost::asio::use_awaitable);
  if (!written) co_return CaseError(written.error());
  co_return OpenedCase{t->id, std::move(*state), now, std::move(*history), std::move(lookup_code)};
}

boost::asio::awaitable<CaseResult<MovedCase>> CaseTransactions::act(std::string id, routing::Command command,
                                                                    routing::Actor actor, Visible visible) const {
  auto moved = std::make_shared<MovedCase>();
  moved->live = deps_.rules.info();
  moved->at = local_stamp_ms(deps_.clock->now_ms());
  auto found = std::make_shared<bool>(false);
  auto refusal = std::make_shared<std::optional<routing::Refusal>>();
  const auto job = [moved, found, refusal, id, command = std::move(command), actor = std::move(actor),
                    visible = std::move(visible),
                    hooks = deps_.escalation](storage::TicketStore& store) -> WriteResult {
    // Read, decide and write on the writer thread: no other change to the ticket can interleave.
    const auto& live = moved->live;
    const std::int64_t now_ms = moved->at.unix_ms;
    auto stored = store.find_ticket(id);
    if (!stored) return stored.error();
    if (!*stored) return {};
    routing::Case c = replay_ticket(**stored);
    if (visible && !visible(c)) return {};
    *found = true;
    const routing::PolicyClocks clocks(*live.calendar, *live.policy, *live.rules, utc_offset_minutes(now_ms));
    moved->before = c.state;
    auto outcome = routing::decide(c, command, actor, case_context(*live.rules, clocks, now_ms));
    if (auto* r = std::get_if<routing::Refusal>(&outcome)) {
      *refusal = std::move(*r);
      return {};
    }
    moved->events = std::move(std::get<std::vector<routing::Event>>(outcome));
    std::vector<storage::NewEvent> rows;
    for (const auto& e : moved->events) {
      routing::evolve(c, e);
      rows.push_back(to_stored(e));
    }
    if (auto r = store.append_events(id, rows); !r) return r.error();
    auto projection = project(c, now_ms);
    if (hooks != nullptr) {
      if (auto r = hooks->after_events(store, id, moved->events, c, live, now_ms); !r) return r.error();
      hooks->plan(projection, c, live, now_ms);
    }
    if (auto r = store.write_projection(id, projection); !r) return r.error();
    moved->after = std::move(c);
    return {};
  };
  const WriteResult written = co_await deps_.writer.async_write(job, boost::asio::use_awaitable);
  if (!written) co_return CaseError(written.error());
  if (!*found) co_return CaseError::not_found();
  if (*refusal) co_return CaseError(std::move(**refusal));
  co_return std::move(*moved);
}

}  // namespace hotline::daemon
