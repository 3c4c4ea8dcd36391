// The time-limit compiler (TimePolicyTable::compile, rules/time_limits*.yaml) on one arbitrary file, then the
// deadlines a compiled table gives under the shipped calendar: select() for every request type, urgency, a few
// channels and every level, and each policy's reply deadline with its yellow, red, urge and supervise instants
// and an extension, as dispatch and the escalation scheduler compute them.
//
// Invariants: no exception escapes; a table comes back exactly when no diagnostic is an error; a deadline never
// lies before its start; after_deadline() never lies before the deadline.
#include "daemon/config/rules_loader.hpp"
#include "routing/deadline.hpp"
#include "routing/time_policy.hpp"
#include "routing/work_calendar.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace hotline::routing;

const WorkCalendar& shipped_calendar() {
  static const auto result = [] {
    std::vector<Diagnostic> errors;
    const auto files =
        hotline::daemon::read_rule_files(SHIPPED_RULES_DIR, hotline::daemon::RuleFileKind::calendar, errors);
    return WorkCalendar::compile(files);
  }();
  if (!result.calendar) std::abort();
  return *result.calendar;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)shipped_calendar();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > hotline::fuzz::k_max_input) return 0;
  const auto result =
      TimePolicyTable::compile({{"time_limits.yaml", std::string(hotline::fuzz::text(data, size)), ""}});
  const bool errors = hotline::fuzz::rendered_has_errors(result.diagnostics);
  FUZZ_CHECK(errors == !result.table, "a table exactly when there is no error");
  if (!result.table) return 0;
  const auto& table = *result.table;
  const auto& cal = shipped_calendar();
  constexpr std::int64_t start = 1'795'000'000'000;  // 2026-11-18, Asia/Shanghai
  constexpr int offset = 480;
  for (const auto type : {RequestType::complaint, RequestType::report, RequestType::help, RequestType::consultation,
                          RequestType::suggestion, RequestType::praise}) {
    for (const auto urgency : {Urgency::normal, Urgency::urgent, Urgency::very_urgent}) {
      for (const auto channel : {"phone", "web", "x"}) {
        for (const auto level : {std::optional<Level>{}, std::optional{Level::city}, std::optional{Level::county},
                                 std::optional{Level::township}}) {
          const auto policy = table.select(type, urgency, channel, level);
          (void)table.selected_entry(type, urgency, channel, level);
          const auto due = compute_deadline(cal, start, policy.reply, offset);
          FUZZ_CHECK(due.due_ms >= start, to_string(policy.reply));
          (void)compute_deadline(cal, start, policy.sign_for, offset);
          (void)before_deadline(cal, due, policy.yellow_before, offset);
          for (const auto& after : {policy.red_after, policy.urge_after, policy.supervise_after}) {
            FUZZ_CHECK(after_deadline(cal, due, after, offset) >= due.due_ms, to_string(after));
          }
          const auto extended = extend_deadline(cal, due, policy.extension_cap, offset);
          FUZZ_CHECK(extended.due_ms >= due.due_ms, to_string(policy.extension_cap));
          (void)working_days_left(cal, start, due.due_ms, offset);
        }
      }
    }
  }
  return 0;
}
