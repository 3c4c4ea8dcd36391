#include "daemon/cases/case_transactions.hpp"

#include <algorithm>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <variant>

#include "daemon/access/caller_key.hpp"
#include "daemon/access/lookup_code.hpp"
#include "daemon/cases/case_context.hpp"
#include "daemon/wire/case_codec.hpp"
#include "routing/policy_clocks.hpp"
#include "routing/text_similarity.hpp"

namespace hotline::daemon {
namespace {

// The text of the lead's latest reply among `events` (a master's, when its reply is approved).
std::string lead_reply_text(const routing::Case& c, const std::vector<routing::Event>& events) {
  const routing::Assignment* lead = c.lead();
  std::string text;
  for (const auto& e : events) {
    if (e.kind == "replied" && (lead == nullptr || e.unit == lead->unit)) text = e.field("text");
  }
  return text;
}

std::vector<routing::Event> events_of(const storage::StoredTicket& t) {
  std::vector<routing::Event> out;
  out.reserve(t.events.size());
  for (const auto& e : t.events) out.push_back(from_stored(e));
  return out;
}

// The name of the case's current lead unit ("" before dispatch).
std::string lead_name(const routing::Case& c, const routing::RuleSet& rules) {
  const routing::Assignment* lead = c.lead();
  if (lead == nullptr) return {};
  const routing::Unit* u = rules.find_unit(lead->unit);
  return u != nullptr ? u->name : lead->unit;
}

// The SMS `events` (just appended to ticket `id`) send its caller, at the number stored with the ticket. `to`
// brings what only the move knows (the lookup code, the handling unit, the approved reply); a master's reply
// passed on comes with its event.
WriteResult text_caller(storage::TicketStore& store, const EscalationHooks* hooks, const CallerKeys* callers,
                        const std::string& id, const std::optional<std::string>& phone,
                        const std::vector<routing::Event>& events, CitizenContact to, const RulesInfo& live,
                        std::int64_t now_ms) {
  if (hooks == nullptr || !hooks->texts_citizens() || !phone) return {};
  const auto digits = normalize_phone(*phone);
  if (!digits) return {};
  to.phone = *digits;
  if (callers != nullptr) to.key = callers->key_of(*phone).value_or("");
  for (const auto& e : events) {
    if (e.kind == "master_replied") to.reply = e.field("text");
  }
  return hooks->citizen_messages(store, id, events, to, live, now_ms);
}

// Appends `events` to another ticket of the same move (the master of a merge, or a ticket merged into the one
// that moved), with its projection and stage plan, in the caller's transaction.
WriteResult append_to_other(storage::TicketStore& store, const storage::StoredTicket& other,
                            const std::vector<routing::Event>& events, const RulesInfo& live,
                            const EscalationHooks* hooks, std::int64_t now_ms, MovedCase* moved = nullptr,
                            const CallerKeys* callers = nullptr, const std::string& handling_unit = {}) {
  routing::Case c = replay_ticket(other);
  const routing::CaseState before = c.state;
  std::vector<storage::NewEvent> rows;
  for (const auto& e : events) {
    routing::evolve(c, e);
    rows.push_back(to_stored(e));
  }
  if (auto r = store.append_events(other.id, rows); !r) return r.error();
  auto projection = project(c, now_ms);
  if (hooks != nullptr) {
    if (auto r = hooks->after_events(store, other.id, events, c, live, now_ms); !r) return r.error();
    hooks->plan(projection, c, live, now_ms);
    CitizenContact to;
    to.unit = handling_unit;
    if (auto r = text_caller(store, hooks, callers, other.id, other.caller_phone, events, to, live, now_ms); !r) {
      return r.error();
    }
  }
  if (auto r = store.write_projection(other.id, projection); !r) return r.error();
  if (moved != nullptr && before != c.state) moved->other_moves.emplace_back(before, c.state);
  return {};
}

// A merge's master, read and checked: the stored ticket and its case, or the refusal. `self` is the merged case's
// id ("" at intake, where the machine checked it already).
struct Master {
  std::optional<storage::StoredTicket> stored;
  routing::Case state;
};
std::variant<Master, routing::Refusal, storage::Error> read_master(storage::TicketStore& store, const std::string& self,
                                                                   const std::string& into) {
  auto found = store.find_ticket(into);
  if (!found) return found.error();
  Master m;
  if (*found) {
    m.state = replay_ticket(**found);
    m.stored = std::move(*found);
  }
  if (auto refusal = routing::check_merge_master(self, into, m.stored ? &m.state : nullptr)) return *refusal;
  return m;
}

// The merged case's "master_replied" event when its master's reply is approved already (the merge came late),
// nullopt otherwise.
std::optional<routing::Event> follow_if_replied(const Master& m, const routing::Case& merged,
                                                const routing::Actor& actor, const routing::Context& ctx) {
  if (m.state.state != routing::CaseState::awaiting_follow_up) return std::nullopt;
  return routing::follow_master(merged, m.stored->id, lead_reply_text(m.state, events_of(*m.stored)), actor, ctx);
}

}  // namespace

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
  if (!decision.matter.empty() && !decision.area.empty()) {
    t->routed_matter = decision.matter;
    t->routed_area = decision.area;
  }
  for (const auto& e : events) t->events.push_back(to_stored(e));
  auto state = std::make_shared<routing::Case>();
  auto history = std::make_shared<std::optional<std::vector<std::string>>>();
  auto refusal = std::make_shared<std::optional<routing::Refusal>>();
  const std::string into = intake.disposition == "merged" ? events.back().field("into") : std::string();
  auto job = [t, state, history, refusal, facts, events = std::move(events), live, into, who, hooks = deps_.escalation,
              callers = deps_.callers, lookup_code, lead = decision.lead->name,
              now_ms = now.unix_ms](storage::TicketStore& store) -> WriteResult {
    t->events.resize(events.size());  // a job may run twice (the writer retries a failed group job by job)
    // A ticket merged at intake: its master must exist, be open and not merged itself (checked before anything
    // is written, so a refusal writes nothing).
    std::optional<Master> master;
    if (!into.empty()) {
      auto read = read_master(store, "", into);
      if (auto* e = std::get_if<storage::Error>(&read)) return std::move(*e);
      if (auto* r = std::get_if<routing::Refusal>(&read)) {
        *refusal = std::move(*r);
        return {};
      }
      master = std::get<Master>(std::move(read));
    }
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
    std::vector<routing::Event> all = events;
    std::vector<routing::Event> master_events;
    if (master) {
      const routing::PolicyClocks at_write(*live.calendar, *live.policy, *live.rules, utc_offset_minutes(now_ms));
      const auto ctx = case_context(*live.rules, at_write, now_ms);
      if (auto follow = follow_if_replied(*master, *state, who, ctx)) {
        routing::evolve(*state, *follow);
        t->events.push_back(to_stored(*follow));
        all.push_back(std::move(*follow));
      }
      master_events.push_back(routing::master_note("merge_received", *id, who, ctx));
    }
    t->state = std::string(routing::to_string(state->state));
    if (auto r = store.insert_ticket(*t); !r) return r.error();
    auto projection = project(*state, now_ms);
    if (hooks != nullptr) {
      if (auto r = hooks->after_events(store, *id, all, *state, live, now_ms); !r) return r.error();
      hooks->plan(projection, *state, live, now_ms);
      CitizenContact to;
      to.lookup_code = lookup_code;
      to.unit = master ? lead_name(master->state, *live.rules) : lead;
      if (auto r = text_caller(store, hooks, callers, *id, t->caller_phone, all, to, live, now_ms); !r) return r;
    }
    if (auto r = store.write_projection(*id, projection, /*fresh=*/true); !r) return r.error();
    if (master) return append_to_other(store, *master->stored, master_events, live, hooks, now_ms);
    return {};
  };
  const WriteResult written = co_await deps_.writer.async_write(std::move(job), boost::asio::use_awaitable);
  if (!written) co_return CaseError(written.error());
  if (*refusal) co_return CaseError(std::move(**refusal));
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
                    visible = std::move(visible), hooks = deps_.escalation,
                    callers = deps_.callers](storage::TicketStore& store) -> WriteResult {
    // Read, decide and write on the writer thread: no other change to the ticket can interleave.
    const auto& live = moved->live;
    const std::int64_t now_ms = moved->at.unix_ms;
    moved->other_moves.clear();  // a job may run twice (the writer retries a failed group job by job)
    auto stored = store.find_ticket(id);
    if (!stored) return stored.error();
    if (!*stored) return {};
    routing::Case c = replay_ticket(**stored);
    if (visible && !visible(c)) return {};
    *found = true;
    const routing::PolicyClocks clocks(*live.calendar, *live.policy, *live.rules, utc_offset_minutes(now_ms));
    const auto ctx = case_context(*live.rules, clocks, now_ms);
    moved->before = c.state;
    auto outcome = routing::decide(c, command, actor, ctx);
    if (auto* r = std::get_if<routing::Refusal>(&outcome)) {
      *refusal = std::move(*r);
      return {};
    }
    moved->events = std::move(std::get<std::vector<routing::Event>>(outcome));

    // The other ticket of a merge or an unmerge, its events written in this same transaction.
    std::optional<storage::StoredTicket> other;
    std::vector<routing::Event> other_events;
    std::string handling_unit;  // the master's lead, when a merge passes its reply on
    if (command.action == "merge") {
      auto read = read_master(store, id, moved->events.front().field("into"));
      if (auto* e = std::get_if<storage::Error>(&read)) return std::move(*e);
      if (auto* r = std::get_if<routing::Refusal>(&read)) {
        *refusal = std::move(*r);
        return {};
      }
      auto master = std::get<Master>(std::move(read));
      routing::Case merged = c;
      for (const auto& e : moved->events) routing::evolve(merged, e);
      if (auto follow = follow_if_replied(master, merged, actor, ctx)) {
        moved->events.push_back(std::move(*follow));
        handling_unit = lead_name(master.state, *live.rules);
      }
      other_events.push_back(routing::master_note("merge_received", id, actor, ctx));
      other = std::move(master.stored);
    } else if (command.action == "unmerge") {
      auto master = store.find_ticket(c.merged_into);
      if (!master) return master.error();
      if (*master) {
        other = std::move(*master);
        other_events.push_back(routing::master_note("merge_undone", id, actor, ctx));
      }
    }

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
    const bool reply_approved = std::any_of(moved->events.begin(), moved->events.end(),
                                            [](const routing::Event& e) { return e.kind == "reply_approved"; });
    std::string reply;  // the lead's reply just approved: texted to the caller, passed on to merged tickets
    if (reply_approved) {
      auto history = events_of(**stored);
      history.insert(history.end(), moved->events.begin(), moved->events.end());
      reply = lead_reply_text(c, history);
    }
    if (hooks != nullptr) {
      CitizenContact to;
      to.unit = handling_unit.empty() ? lead_name(c, *live.rules) : handling_unit;
      to.reply = reply;
      if (auto r = text_caller(store, hooks, callers, id, (*stored)->caller_phone, moved->events, to, live, now_ms);
          !r) {
        return r;
      }
    }
    if (auto r = store.write_projection(id, projection); !r) return r.error();
    if (other) {
      if (auto r = append_to_other(store, *other, other_events, live, hooks, now_ms, moved.get()); !r) return r.error();
    }

    // A master's approved reply reaches every ticket merged into it that still waits for it: each gets the reply
    // and its own follow-up clock.
    if (reply_approved && !c.merged.empty()) {
      const std::string& text = reply;
      const std::string unit = lead_name(c, *live.rules);
      for (const auto& merged_id : c.merged) {
        auto merged = store.find_ticket(merged_id);
        if (!merged) return merged.error();
        if (!*merged) continue;
        const auto follow = routing::follow_master(replay_ticket(**merged), id, text, actor, ctx);
        if (!follow) continue;
        if (auto r = append_to_other(store, **merged, {*follow}, live, hooks, now_ms, moved.get(), callers, unit); !r) {
          return r.error();
        }
      }
    }
    moved->after = std::move(c);
    return {};
  };
  const WriteResult written = co_await deps_.writer.async_write(job, boost::asio::use_awaitable);
  if (!written) co_return CaseError(written.error());
  if (!*found) co_return CaseError::not_found();
  if (*refusal) co_return CaseError(std::move(**refusal));
  co_return std::move(*moved);
}

storage::Result<std::vector<LikelyDuplicate>> find_likely_duplicates(storage::TicketStore& store,
                                                                     const std::string& self,
                                                                     const std::string& content,
                                                                     const std::string& matter, const std::string& area,
                                                                     std::int64_t now_ms, int days) {
  std::vector<LikelyDuplicate> out;
  if (matter.empty() || area.empty() || days <= 0) return out;
  auto like = store.open_tickets_like(matter, area, now_ms - days * 86'400'000LL, k_duplicate_candidates + 1);
  if (!like) return like.error();
  const routing::BigramSet mine(content);
  for (const auto& [id, text] : *like) {
    if (id == self) continue;
    const double similarity = mine.similarity(routing::BigramSet(text));
    if (similarity >= k_duplicate_min_similarity) out.push_back({id, similarity});
  }
  // The most alike first; ties: the newer (the candidates come newest first).
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.similarity > b.similarity; });
  if (out.size() > k_duplicate_suggestions) out.resize(k_duplicate_suggestions);
  return out;
}

}  // namespace hotline::daemon
