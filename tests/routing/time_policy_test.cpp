#include "routing/time_policy.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace hotline::routing;

namespace {

SourceFile shipped_time_limits() {
  std::ifstream in(std::string(RULES_DIR) + "/time_limits.yaml", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  REQUIRE(in);
  return {"time_limits.yaml", text.str(), "rules/time_limits.yaml"};
}

std::string joined(const PolicyResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += d.to_string() + "\n";
  return out;
}

const TimePolicyTable& compiled(const PolicyResult& r) {
  INFO(joined(r));
  REQUIRE(r.table);
  return *r.table;
}

std::string shown(const TimeLimit& l) {
  return to_string(l) + (l.unit == LimitUnit::working_days ? " " + std::string(to_string(l.counting)) : "");
}

const char* k_defaults = R"(defaults:
  counting: next_day
  sign_for: 1 wd
  reply: 5 wd
  yellow_before: 1 wd
  red_after: 0 wd
  return_window: 2 wd
  max_returns: 2
  extension_cap: 10 wd
  follow_up_delay: 1 wd
  supervise_after: 5 wd
)";

}  // namespace

TEST_CASE("the shipped time limits give the domain defaults for every type urgency and channel", "[routing][policy]") {
  const auto result = TimePolicyTable::compile({shipped_time_limits()});
  const TimePolicyTable& table = compiled(result);
  CHECK(result.diagnostics.empty());
  struct Case {
    RequestType type;
    Urgency urgency;
    std::string channel;
    std::string sign_for, reply, yellow, red, supervise;
  };
  const std::vector<Case> cases{
      {RequestType::consultation, Urgency::normal, "phone", "1 wd next_day", "3 wd next_day", "1 wd next_day",
       "0 wd next_day", "5 wd next_day"},
      {RequestType::help, Urgency::normal, "phone", "1 wd next_day", "5 wd next_day", "1 wd next_day", "0 wd next_day",
       "5 wd next_day"},
      {RequestType::complaint, Urgency::normal, "phone", "1 wd next_day", "5 wd next_day", "1 wd next_day",
       "0 wd next_day", "5 wd next_day"},
      {RequestType::report, Urgency::normal, "", "1 wd next_day", "5 wd next_day", "1 wd next_day", "0 wd next_day",
       "5 wd next_day"},
      {RequestType::suggestion, Urgency::normal, "phone", "1 wd next_day", "10 wd next_day", "1 wd next_day",
       "0 wd next_day", "5 wd next_day"},
      {RequestType::praise, Urgency::normal, "phone", "1 wd next_day", "5 wd next_day", "1 wd next_day",
       "0 wd next_day", "5 wd next_day"},
      // Urgency beats type (urgency entries come first); natural time throughout.
      {RequestType::complaint, Urgency::urgent, "phone", "2 h", "24 h", "2 h", "0 min", "24 h"},
      {RequestType::suggestion, Urgency::urgent, "web", "2 h", "24 h", "2 h", "0 min", "24 h"},
      {RequestType::help, Urgency::very_urgent, "phone", "30 min", "2 h", "30 min", "0 min", "2 h"},
      {RequestType::consultation, Urgency::very_urgent, "transfer", "30 min", "2 h", "30 min", "0 min", "2 h"},
      // Web and provincial transfers at normal urgency: 1 wd / 3 wd (Bengbu 2019), whatever the type.
      {RequestType::complaint, Urgency::normal, "web", "1 wd next_day", "3 wd next_day", "1 wd next_day",
       "0 wd next_day", "5 wd next_day"},
      {RequestType::suggestion, Urgency::normal, "web", "1 wd next_day", "3 wd next_day", "1 wd next_day",
       "0 wd next_day", "5 wd next_day"},
      {RequestType::help, Urgency::normal, "transfer", "1 wd next_day", "3 wd next_day", "1 wd next_day",
       "0 wd next_day", "5 wd next_day"},
  };
  for (const auto& c : cases) {
    CAPTURE(to_string(c.type), to_string(c.urgency), c.channel);
    const TimePolicy p = table.select(c.type, c.urgency, c.channel, std::nullopt);
    CHECK(shown(p.sign_for) == c.sign_for);
    CHECK(shown(p.reply) == c.reply);
    CHECK(shown(p.yellow_before) == c.yellow);
    CHECK(shown(p.red_after) == c.red);
    CHECK(shown(p.supervise_after) == c.supervise);
    // Never overridden by the shipped entries: inherited from the defaults.
    CHECK(shown(p.return_window) == "2 wd next_day");
    CHECK(p.max_returns == 2);
    CHECK(shown(p.extension_cap) == "10 wd next_day");
    CHECK(shown(p.follow_up_delay) == "1 wd next_day");
    // A unit level changes nothing in the shipped file.
    CHECK(table.select(c.type, c.urgency, c.channel, Level::township) == p);
  }
  CHECK(table.version().size() == 16);
  const auto source = table.selected_entry(RequestType::complaint, Urgency::urgent, "phone", std::nullopt);
  REQUIRE(source);
  CHECK(source->file == "rules/time_limits.yaml");
}

TEST_CASE("the entry with the most conditions wins and earlier entries win ties", "[routing][policy]") {
  const auto result = TimePolicyTable::compile({{"t.yaml", std::string(k_defaults) + R"(time_limits:
  - when: {type: [help]}
    reply: 7 wd
  - when: {channel: [web]}
    reply: 3 wd
  - when: {type: [help], channel: [web]}
    reply: 2 wd
  - when: {type: [help], urgency: [normal], level: [township]}
    reply: 9 wd
  - when: {urgency: [紧急], type: [投诉, 举报]}
    reply: 12 h
)",
                                                 ""}});
  const TimePolicyTable& table = compiled(result);
  struct Case {
    RequestType type;
    Urgency urgency;
    std::string channel;
    std::optional<Level> level;
    std::string reply;
  };
  const std::vector<Case> cases{
      {RequestType::help, Urgency::normal, "phone", std::nullopt, "7 wd"},     // one condition
      {RequestType::complaint, Urgency::normal, "web", std::nullopt, "3 wd"},  // one condition
      {RequestType::help, Urgency::urgent, "web", std::nullopt, "2 wd"},       // two beat one
      {RequestType::help, Urgency::normal, "web", Level::township, "9 wd"},    // three beat two
      {RequestType::help, Urgency::normal, "web", Level::county, "2 wd"},      // the level does not hold
      {RequestType::help, Urgency::normal, "web", std::nullopt, "2 wd"},       // an unknown level never holds
      {RequestType::report, Urgency::urgent, "web", std::nullopt, "12 h"},     // two beat one, Chinese values
      {RequestType::praise, Urgency::normal, "phone", std::nullopt, "5 wd"},   // nothing holds: defaults
  };
  for (const auto& c : cases) {
    CAPTURE(to_string(c.type), to_string(c.urgency), c.channel);
    CHECK(to_string(table.select(c.type, c.urgency, c.channel, c.level).reply) == c.reply);
  }
  CHECK_FALSE(table.selected_entry(RequestType::praise, Urgency::normal, "phone", std::nullopt));
  const auto pos = table.selected_entry(RequestType::help, Urgency::normal, "phone", std::nullopt);
  REQUIRE(pos);
  CHECK(pos->line == 13);

  // Ties: the earlier entry, also across files (files in path order, whatever order they are given in).
  const auto tie = TimePolicyTable::compile({
      {"b.yaml", "time_limits:\n  - when: {channel: [web]}\n    reply: 4 wd\n", ""},
      {"a.yaml", std::string(k_defaults) + "time_limits:\n  - when: {type: [help]}\n    reply: 6 wd\n", ""},
  });
  CHECK(to_string(compiled(tie).select(RequestType::help, Urgency::normal, "web", std::nullopt).reply) == "6 wd");
}

TEST_CASE("unset keys inherit the defaults and an entry's counting covers inherited limits", "[routing][policy]") {
  const auto result = TimePolicyTable::compile({{"t.yaml", std::string(k_defaults) + R"(time_limits:
  - when: {channel: [web]}
    counting: inclusive
    reply: 3 wd
    max_returns: 1
  - when: {urgency: [urgent]}
    reply: 24 h
)",
                                                 ""}});
  const TimePolicyTable& table = compiled(result);
  const TimePolicy web = table.select(RequestType::help, Urgency::normal, "web", std::nullopt);
  CHECK(shown(web.reply) == "3 wd inclusive");
  CHECK(shown(web.sign_for) == "1 wd inclusive");  // inherited, counted the entry's way
  CHECK(web.max_returns == 1);
  CHECK(shown(web.extension_cap) == "10 wd inclusive");
  const TimePolicy urgent = table.select(RequestType::help, Urgency::urgent, "phone", std::nullopt);
  CHECK(shown(urgent.reply) == "24 h");
  CHECK(urgent.reply.counting == Counting::natural);
  CHECK(shown(urgent.sign_for) == "1 wd next_day");
  CHECK(urgent.max_returns == 2);
  CHECK(table.defaults() == table.select(RequestType::praise, Urgency::normal, "phone", std::nullopt));
  CHECK(table.entry_count() == 2);

  const auto inclusive = TimePolicyTable::compile(
      {{"t.yaml", std::string(k_defaults).replace(std::string(k_defaults).find("next_day"), 8, "含本数"), ""}});
  CHECK(compiled(inclusive).defaults().reply.counting == Counting::inclusive);
}

TEST_CASE("every mistake in a time limits file is reported with file line and column", "[routing][policy]") {
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::string d = k_defaults;  // 11 lines
  const std::vector<Case> cases{
      {d + "time_limit: []\n", "t.yaml:12:1: error: unknown key 'time_limit' in a time limits file"},
      {d + "time_limits:\n  - when: {type: [help]}\n    reply: 3 days\n",
       "t.yaml:14:12: error: 'reply' must be a time limit such as 5 wd, 24 h or 30 min, not '3 days'"},
      {d + "time_limits:\n  - when: {type: [help]}\n    replies: 3 wd\n",
       "t.yaml:14:5: error: unknown key 'replies' in a time limit entry"},
      {d + "time_limits:\n  - when: {type: [help], unit: [x]}\n", "t.yaml:13:26: error: unknown key 'unit' in when"},
      {d + "time_limits:\n  - when: {type: [gossip]}\n", "t.yaml:13:19: error: unknown request type 'gossip'"},
      {d + "time_limits:\n  - when: {urgency: [asap]}\n", "t.yaml:13:22: error: unknown urgency 'asap'"},
      {d + "time_limits:\n  - when: {level: [province]}\n", "t.yaml:13:20: error: unknown unit level 'province'"},
      {d + "time_limits:\n  - when: {type: []}\n",
       "t.yaml:13:12: error: condition 'type' must list at least one value"},
      {d + "time_limits:\n  - when: {}\n", "t.yaml:13:11: error: 'when' needs at least one condition"},
      {d + "time_limits:\n  - reply: 3 wd\n", "t.yaml:13:5: error: a time limit entry needs 'when'"},
      {d + "time_limits:\n  - when: {type: [help]}\n    counting: natural\n",
       "t.yaml:14:15: error: 'counting' must be next_day (次日起) or inclusive (含本数), not 'natural'"},
      {d + "time_limits:\n  - when: {type: [help]}\n    max_returns: -1\n",
       "t.yaml:14:18: error: 'max_returns' must lie in 0..100"},
      {d + "time_limits:\n  - when: {type: [help]}\n    max_returns: two\n",
       "t.yaml:14:18: error: 'max_returns' must be a whole number"},
      {d + "time_limits: {when: x}\n", "t.yaml:12:14: error: 'time_limits' must be a list"},
      {d + "defaults:\n  reply: 5 wd\n", "t.yaml:12:1: error: duplicate key 'defaults' (first at line 1)"},
      {"defaults:\n  reply: 5 wd\n", "t.yaml:2:3: error: 'defaults' must set 'sign_for'"},
      {"defaults:\n  reply: 5 wd\n", "t.yaml:2:3: error: 'defaults' must set 'max_returns'"},
      {"defaults:\n  reply: 5 wd\n  holidays: 3\n", "t.yaml:3:3: error: unknown key 'holidays' in defaults"},
      {"time_limits: []\n", "t.yaml: error: no file gives the time-limit 'defaults'"},
      {d + "time_limits:\n  - when: {type: [help]}\n    reply: 3 wd\n    reply: 4 wd\n",
       "t.yaml:15:5: error: duplicate key 'reply' (first at line 14)"},
      // Self-referring aliases make cyclic node graphs in yaml-cpp: a diagnostic, never a hang.
      {d + "time_limits: &a [*a]\n", "error: a time limit entry must be a mapping"},
      {d + "time_limits:\n  - when: &w {type: *w}\n",
       "t.yaml:13:11: error: 'type' must be a value or a list of values"},
      {d + "time_limits:\n  - when: {type: [help\n", "t.yaml:14:1: error: "},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const auto result = TimePolicyTable::compile({{"t.yaml", c.text, ""}});
    INFO(joined(result));
    CHECK_FALSE(result.table);
    CHECK(std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                      [&](const auto& diag) { return diag.to_string().find(c.expected) != std::string::npos; }));
  }
}

TEST_CASE("defaults given in two files are an error", "[routing][policy]") {
  const auto result = TimePolicyTable::compile({{"a.yaml", k_defaults, ""}, {"b.yaml", k_defaults, ""}});
  INFO(joined(result));
  CHECK_FALSE(result.table);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].to_string() == "b.yaml:2:3: error: 'defaults' are already given at a.yaml:2:3");
}

TEST_CASE("an entry with the same conditions as an earlier one is a warning", "[routing][policy]") {
  const auto result = TimePolicyTable::compile({{"t.yaml", std::string(k_defaults) + R"(time_limits:
  - when: {type: [help, complaint], channel: web}
    reply: 3 wd
  - when: {channel: [web], type: [complaint, help, help]}
    reply: 4 wd
)",
                                                 ""}});
  REQUIRE(result.table);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].severity == Severity::warning);
  CHECK(result.diagnostics[0].to_string() ==
        "t.yaml:15:11: warning: never selected: the entry at t.yaml:13:5 has the same conditions and comes first");
  CHECK(to_string(result.table->select(RequestType::help, Urgency::normal, "web", std::nullopt).reply) == "3 wd");
}

TEST_CASE("urge_after is optional and follows the red card of the same entry", "[routing][policy]") {
  const std::string text = std::string(k_defaults) + R"(  urge_after: 1 wd
time_limits:
  - when: {urgency: [urgent]}
    red_after: 10 min
  - when: {type: [help]}
    reply: 3 wd
)";
  const auto result = TimePolicyTable::compile({{"t.yaml", text, ""}});
  const auto& table = compiled(result);
  CHECK(shown(table.defaults().urge_after) == "1 wd next_day");
  CHECK(shown(table.select(RequestType::help, Urgency::normal, "", std::nullopt).urge_after) == "1 wd next_day");
  CHECK(shown(table.select(RequestType::complaint, Urgency::urgent, "", std::nullopt).urge_after) == "10 min");
  const auto without = TimePolicyTable::compile({{"t.yaml", k_defaults, ""}});
  CHECK(shown(compiled(without).defaults().urge_after) == "0 wd next_day");
}

TEST_CASE("the dispatch limit is optional: given, it is inherited like any limit; left out, it is the sign-for",
          "[routing][policy]") {
  const std::string text = std::string(k_defaults) + R"(  dispatch: 2 h
time_limits:
  - when: {urgency: [very_urgent]}
    sign_for: 30 min
    dispatch: 10 min
  - when: {urgency: [urgent]}
    sign_for: 2 h
)";
  const auto given = TimePolicyTable::compile({{"t.yaml", text, ""}});
  const auto& table = compiled(given);
  CHECK(shown(table.defaults().dispatch) == "2 h");
  CHECK(shown(table.select(RequestType::help, Urgency::very_urgent, "", std::nullopt).dispatch) == "10 min");
  CHECK(shown(table.select(RequestType::help, Urgency::urgent, "", std::nullopt).dispatch) == "2 h");

  const std::string no_dispatch = std::string(k_defaults) + R"(time_limits:
  - when: {urgency: [urgent]}
    sign_for: 2 h
)";
  const auto left_out = TimePolicyTable::compile({{"t.yaml", no_dispatch, ""}});
  const auto& plain = compiled(left_out);
  CHECK(shown(plain.defaults().dispatch) == "1 wd next_day");
  CHECK(shown(plain.select(RequestType::help, Urgency::urgent, "", std::nullopt).dispatch) == "2 h");

  // The shipped rules give the desk 2 hours, 30 minutes for urgent tickets and 10 for very urgent ones.
  const auto from_rules = TimePolicyTable::compile({shipped_time_limits()});
  const auto& shipped = compiled(from_rules);
  CHECK(shown(shipped.select(RequestType::complaint, Urgency::normal, "phone", std::nullopt).dispatch) == "2 h");
  CHECK(shown(shipped.select(RequestType::complaint, Urgency::urgent, "phone", std::nullopt).dispatch) == "30 min");
  CHECK(shown(shipped.select(RequestType::help, Urgency::very_urgent, "web", std::nullopt).dispatch) == "10 min");
}

TEST_CASE("the dispute window is optional: given, it is inherited like any limit; left out, it is 1 working day",
          "[routing][policy][arbitration]") {
  // Counted like the other working-day limits: here the defaults count inclusive (含本数).
  std::string text = std::string(k_defaults) + R"(  dispute: 2 wd
time_limits:
  - when: {urgency: [very_urgent]}
    dispute: 4 h
)";
  text.replace(text.find("next_day"), 8, "inclusive");
  const auto given = TimePolicyTable::compile({{"t.yaml", text, ""}});
  const auto& table = compiled(given);
  CHECK(shown(table.defaults().dispute) == "2 wd inclusive");
  CHECK(shown(table.select(RequestType::help, Urgency::very_urgent, "", std::nullopt).dispute) == "4 h");
  CHECK(shown(table.select(RequestType::help, Urgency::urgent, "", std::nullopt).dispute) == "2 wd inclusive");

  const auto left_out = TimePolicyTable::compile({{"t.yaml", k_defaults, ""}});
  const auto& plain = compiled(left_out);
  CHECK(left_out.diagnostics.empty());
  CHECK(shown(plain.defaults().dispute) == "1 wd next_day");

  const auto bad = TimePolicyTable::compile({{"t.yaml", std::string(k_defaults) + "  dispute: soon\n", ""}});
  CHECK_FALSE(bad.table);
  CHECK(joined(bad).find("'dispute' must be a time limit") != std::string::npos);

  const auto from_rules = TimePolicyTable::compile({shipped_time_limits()});
  CHECK(shown(compiled(from_rules).select(RequestType::complaint, Urgency::urgent, "phone", std::nullopt).dispute) ==
        "1 wd next_day");
}
