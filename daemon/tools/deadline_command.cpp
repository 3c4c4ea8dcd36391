#include "daemon/tools/deadline_command.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <ostream>

#include "daemon/config/rules_loader.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "routing/civil_day.hpp"
#include "routing/deadline.hpp"

namespace hotline::daemon {
namespace {

namespace json = boost::json;

const char* k_weekdays[] = {"", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// "2025-09-28 Sun 调休上班" style line for a counted working day.
std::string describe_day(const routing::WorkCalendar& cal, routing::Day d) {
  std::string line = routing::format_day(d) + " " + k_weekdays[routing::weekday(d)];
  if (routing::weekday(d) >= 6) line += " (make-up working day 调休上班";
  if (const auto name = cal.holiday_name(d)) line += (routing::weekday(d) >= 6 ? ", " : " (") + *name;
  if (routing::weekday(d) >= 6 || cal.holiday_name(d)) line += ")";
  if (!cal.is_settled(d)) line += " [provisional: no published table]";
  return line;
}

void print_clock(std::ostream& out, const routing::WorkCalendar& cal, const std::string& name,
                 const routing::TimeLimit& limit, const routing::Deadline& due, std::int64_t start_ms, int offset) {
  out << name << ": " << routing::to_string(limit);
  if (limit.unit == routing::LimitUnit::working_days) out << " (" << routing::to_string(limit.counting) << ")";
  out << " → due " << local_stamp_ms(due.due_ms).rfc3339 << (due.provisional ? "  PROVISIONAL" : "") << '\n';
  if (limit.unit != routing::LimitUnit::working_days || limit.amount == 0) return;
  // List the counted working days, from the first candidate day to the last one counted.
  routing::Day d = routing::local_day(start_ms, offset) + (limit.counting == routing::Counting::next_day ? 1 : 0);
  int n = 0;
  for (; d <= due.last_day; ++d) {
    if (cal.is_working_day(d)) out << "    " << ++n << ". " << describe_day(cal, d) << '\n';
  }
}

// One clock as JSON: its limit, due instant and the working days it counts.
json::object clock_json(const routing::WorkCalendar& cal, const std::string& name, const routing::TimeLimit& limit,
                        const routing::Deadline& due, std::int64_t start_ms, int offset) {
  json::object clock{{"clock", name},
                     {"limit", routing::to_string(limit)},
                     {"due", local_stamp_ms(due.due_ms).rfc3339},
                     {"provisional", due.provisional}};
  if (limit.unit == routing::LimitUnit::working_days) clock["counting"] = routing::to_string(limit.counting);
  json::array days;
  if (limit.unit == routing::LimitUnit::working_days && limit.amount != 0) {
    routing::Day d = routing::local_day(start_ms, offset) + (limit.counting == routing::Counting::next_day ? 1 : 0);
    for (; d <= due.last_day; ++d) {
      if (cal.is_working_day(d)) days.push_back(json::value(describe_day(cal, d)));
    }
  }
  clock["working_days"] = std::move(days);
  return clock;
}

}  // namespace

int deadline_preview(const DeadlineArgs& args, std::ostream& out, std::ostream& err) {
  const auto type = routing::parse_request_type(args.type);
  const auto urgency = routing::parse_urgency(args.urgency);
  std::optional<routing::Level> level;
  if (!args.level.empty()) level = routing::parse_level(args.level);
  const auto unknown = [&](const char* option, const std::string& value, const std::string& known) {
    err << "deadline: unknown " << option << " '" << value << "' (" << known << ")\n";
    return 2;
  };
  if (!type) return unknown("--type", args.type, routing::request_type_list());
  if (!urgency) return unknown("--urgency", args.urgency, routing::urgency_list());
  if (!args.level.empty() && !level) return unknown("--level", args.level, "city, county, township");
  if (!routing::is_channel(args.channel)) {
    err << "deadline: unknown --channel '" << args.channel << "' (" << routing::channel_list() << ")\n";
    return 2;
  }
  std::int64_t start_ms = 0;
  if (args.from.empty()) {
    start_ms = wall_clock().now_ms();
  } else if (const auto parsed = parse_caller_instant(args.from)) {
    start_ms = *parsed;
  } else {
    err << "deadline: --from must be RFC 3339 within " << k_date_window << ", e.g. 2025-09-26T10:00:00+08:00\n";
    return 2;
  }
  const auto loaded = load_deployment(args.rules_dir);
  for (const auto& d : loaded.diagnostics) err << d.to_string() << '\n';
  if (!loaded.ok()) return 1;
  const auto& cal = *loaded.calendar;
  const auto policy = loaded.policy->select(*type, *urgency, args.channel, level);
  const int offset = utc_offset_minutes(start_ms);

  const auto sign_for = routing::compute_deadline(cal, start_ms, policy.sign_for, offset);
  const auto reply = routing::compute_deadline(cal, start_ms, policy.reply, offset);
  const auto returns = routing::compute_deadline(cal, start_ms, policy.return_window, offset);
  const auto dispatch = routing::compute_deadline(cal, start_ms, policy.dispatch, offset);
  if (args.json) {
    const auto stage = [&](std::int64_t ms, const routing::TimeLimit& limit) {
      return json::object{{"at", local_stamp_ms(ms).rfc3339}, {"limit", routing::to_string(limit)}};
    };
    json::object doc{
        {"from", local_stamp_ms(start_ms).rfc3339},
        {"type", routing::to_string(*type)},
        {"urgency", routing::to_string(*urgency)},
        {"channel", args.channel},
        {"level", level ? json::value(routing::to_string(*level)) : json::value()},
        {"calendar_published_through", cal.last_published_year()},
        {"clocks", json::array{clock_json(cal, "sign_for", policy.sign_for, sign_for, start_ms, offset),
                               clock_json(cal, "reply", policy.reply, reply, start_ms, offset),
                               clock_json(cal, "return_window", policy.return_window, returns, start_ms, offset),
                               clock_json(cal, "dispatch", policy.dispatch, dispatch, start_ms, offset)}},
        {"yellow_card",
         stage(routing::before_deadline(cal, reply, policy.yellow_before, offset), policy.yellow_before)},
        {"red_card", stage(routing::after_deadline(cal, reply, policy.red_after, offset), policy.red_after)},
        {"urge", stage(routing::after_deadline(cal, reply, policy.urge_after, offset), policy.urge_after)},
        {"supervise",
         stage(routing::after_deadline(cal, reply, policy.supervise_after, offset), policy.supervise_after)},
        {"extension_cap", routing::to_string(policy.extension_cap)},
        {"max_returns", policy.max_returns}};
    out << json::serialize(doc) << '\n';
    return 0;
  }
  out << "from " << local_stamp_ms(start_ms).rfc3339 << ": " << routing::to_string(*type) << ", "
      << routing::to_string(*urgency) << ", channel " << args.channel
      << (level ? ", level " + std::string(routing::to_string(*level)) : std::string()) << '\n';
  out << "calendar published through " << cal.last_published_year() << '\n';
  print_clock(out, cal, "sign-for (签收)", policy.sign_for, sign_for, start_ms, offset);
  print_clock(out, cal, "reply (办结)", policy.reply, reply, start_ms, offset);
  print_clock(out, cal, "return window (退单)", policy.return_window, returns, start_ms, offset);
  print_clock(out, cal, "dispatch desk (派单)", policy.dispatch, dispatch, start_ms, offset);
  out << "yellow card (黄牌) at "
      << local_stamp_ms(routing::before_deadline(cal, reply, policy.yellow_before, offset)).rfc3339 << "  ("
      << routing::to_string(policy.yellow_before) << " before the reply deadline)\n";
  out << "red card (红牌) at " << local_stamp_ms(routing::after_deadline(cal, reply, policy.red_after, offset)).rfc3339
      << "  (" << routing::to_string(policy.red_after) << " after)\n";
  out << "urge (催办) at " << local_stamp_ms(routing::after_deadline(cal, reply, policy.urge_after, offset)).rfc3339
      << "  (" << routing::to_string(policy.urge_after) << " after)\n";
  out << "supervise (督办) at "
      << local_stamp_ms(routing::after_deadline(cal, reply, policy.supervise_after, offset)).rfc3339 << "  ("
      << routing::to_string(policy.supervise_after) << " after)\n";
  out << "extensions: at most " << routing::to_string(policy.extension_cap) << " in total; returns: at most "
      << policy.max_returns << '\n';
  return 0;
}

}  // namespace hotline::daemon
