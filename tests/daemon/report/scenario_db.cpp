#include "scenario_db.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "daemon/config/rules_loader.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/wire/case_codec.hpp"
#include "routing/policy_clocks.hpp"
#include "storage/ticket_store.hpp"

namespace hotline::test {
namespace {

constexpr int k_offset = 480;  // Asia/Shanghai

std::int64_t local_ms(const std::string& day, const std::string& hhmm) {
  const auto d = routing::parse_day(day);
  if (!d || hhmm.size() != 5) throw std::runtime_error("bad time " + day + " " + hhmm);
  const auto minutes = std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2));
  return routing::start_of_day(*d, k_offset) + std::int64_t{minutes} * 60'000;
}

template <class T>
T must(storage::Result<T> r, int line) {
  if (!r) throw std::runtime_error(fmt::format("scenario line {}: storage: {}", line, r.error().message));
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

}  // namespace

Scenario build_scenario_db(const std::string& db_path, const std::string& script_path, const std::string& rules_dir) {
  (void)daemon::select_time_zone("Asia/Shanghai");
  const auto deployment = daemon::load_deployment(rules_dir);
  if (!deployment.ok()) throw std::runtime_error("scenario rules invalid: " + rules_dir);
  const auto& rules = *deployment.rules;
  const routing::PolicyClocks clocks(*deployment.calendar, *deployment.policy, rules, k_offset);
  auto store = must(storage::TicketStore::open(db_path), 0);

  Scenario scenario;
  std::map<std::string, routing::Case> cases;
  std::ifstream in(script_path);
  if (!in) throw std::runtime_error("cannot read " + script_path);
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty() || text[0] == '#') continue;
    std::istringstream words(text);
    std::string day, hhmm, label, action, word;
    words >> day >> hhmm >> label >> action;
    std::map<std::string, std::string> args;
    while (words >> word) {
      const auto eq = word.find('=');
      if (eq == std::string::npos) throw std::runtime_error(fmt::format("scenario line {}: '{}'", line, word));
      args[word.substr(0, eq)] = word.substr(eq + 1);
    }
    const auto now = local_ms(day, hhmm);
    routing::Context ctx{now, clocks,
                         [&rules](std::string_view parent, std::string_view child) {
                           const auto* u = rules.find_unit(child);
                           return u != nullptr && u->parent == parent;
                         },
                         [&rules](std::string_view unit) { return rules.find_unit(unit) != nullptr; },
                         rules.fallback().id};
    routing::Actor actor{routing::Role::operator_, "operator-1", ""};
    if (args.contains("as")) actor = {routing::Role::unit, "liaison-" + args["as"], args["as"]};
    if (args.contains("into")) args["into"] = scenario.ids.at(args["into"]);
    routing::Outcome outcome;
    if (action == "intake") {
      routing::Case facts;
      facts.channel = "phone";
      const auto disposition = args.contains("disposition") ? args["disposition"] : std::string("dispatch");
      std::vector<std::string> co;
      if (args.contains("co")) co.push_back(args["co"]);
      std::map<std::string, std::string> extra;
      for (const char* k : {"reason", "answer", "into", "rule"}) {
        if (args.contains(k)) extra[k] = args[k];
      }
      if (args.contains("rule")) extra["rules_version"] = rules.version();
      outcome = routing::create_case(facts, disposition, args["lead"], co, extra, actor, ctx);
    } else if (action == "follow_master") {
      // What the daemon writes on a duplicate when its master's reply is approved (not an action of its own).
      auto event =
          routing::follow_master(cases.at(label), scenario.ids.at(args.at("master")), args["text"], actor, ctx);
      if (!event) throw std::runtime_error(fmt::format("scenario line {}: {} is not merged", line, label));
      outcome = std::vector<routing::Event>{*event};
    } else {
      args.erase("as");
      outcome = routing::decide(cases.at(label), {action, args}, actor, ctx);
    }
    if (const auto* refusal = std::get_if<routing::Refusal>(&outcome)) {
      throw std::runtime_error(fmt::format("scenario line {}: {} refused: {}", line, action, refusal->reason));
    }
    const auto& events = std::get<std::vector<routing::Event>>(outcome);
    std::vector<storage::NewEvent> stored;
    for (const auto& e : events) stored.push_back(daemon::to_stored(e));
    must(store->exec("BEGIN IMMEDIATE"), line);
    if (action == "intake") {
      const auto stamp = daemon::local_stamp_ms(now);
      const auto id = must(store->next_ticket_id("ZZ", stamp.day), line);
      routing::Case facts;
      facts.id = id;
      facts.channel = "phone";
      cases[label] = routing::replay(facts, events);
      const auto* lead = cases[label].lead();
      storage::NewTicket t;
      t.id = id;
      t.received_at = stamp.rfc3339;
      t.received_ms = now;
      t.type = "complaint";
      t.urgency = "normal";
      t.channel = "phone";
      t.content = "scenario ticket " + label;
      t.state = std::string(routing::to_string(cases[label].state));
      t.unit_id = lead ? lead->unit : "12345.desk";
      t.unit_name = t.unit_id;
      t.rule_id = args.contains("rule") ? args["rule"] : "";
      t.rules_version = rules.version();
      t.decision = "{}";
      t.events = stored;
      must(store->insert_ticket(t), line);
      scenario.ids[label] = id;
    } else {
      for (const auto& e : events) routing::evolve(cases.at(label), e);
      must(store->append_events(scenario.ids.at(label), stored), line);
    }
    must(store->write_projection(scenario.ids.at(label), daemon::project(cases.at(label), now)), line);
    must(store->exec("COMMIT"), line);
  }
  return scenario;
}

}  // namespace hotline::test
