// End-to-end: `hotlinectl deadline` over the shipped time limits and working-day calendar.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/e2e.hpp"

namespace {

hotline::test::CommandResult deadline(std::vector<std::string> args) {
  args.insert(args.begin(), {"deadline", "--rules", SHIPPED_RULES_DIR});
  return run_command(HOTLINECTL_PATH, args);
}

}  // namespace

TEST_CASE("a complaint dispatched the Friday before the Spring Festival is due after the holiday",
          "[e2e][tools][deadline]") {
  // rules/calendar/2026.json: Sat 2026-02-14 is a make-up working day (春节, isOffDay false), 02-15 to 02-23 are
  // days off (春节), work resumes Tue 02-24. rules/time_limits.yaml: a normal complaint by phone signs for in 1 wd,
  // replies in 5 wd, may return within 2 wd, all counted from the day after dispatch (next_day), each clock
  // running out at the end of its last working day. From Fri 02-13: sign-for counts 02-14 → due 02-15 00:00;
  // returns count 02-14, 02-24 → due 02-25 00:00; the reply counts 02-14, 02-24, 02-25, 02-26, 02-27 → due
  // 02-28 00:00 (+08:00).
  const auto r = deadline({"--type", "投诉", "--from", "2026-02-13T10:00:00+08:00"});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("from 2026-02-13T10:00:00.000+08:00: ") == 0);
  CHECK(r.out.find("sign-for (签收): 1 wd (next_day) → due 2026-02-15T00:00:00.000+08:00\n"
                   "    1. 2026-02-14 Sat (make-up working day 调休上班, 春节)\n") != std::string::npos);
  CHECK(r.out.find("reply (办结): 5 wd (next_day) → due 2026-02-28T00:00:00.000+08:00\n"
                   "    1. 2026-02-14 Sat (make-up working day 调休上班, 春节)\n"
                   "    2. 2026-02-24 Tue\n"
                   "    3. 2026-02-25 Wed\n"
                   "    4. 2026-02-26 Thu\n"
                   "    5. 2026-02-27 Fri\n") != std::string::npos);
  CHECK(r.out.find("return window (退单): 2 wd (next_day) → due 2026-02-25T00:00:00.000+08:00\n") != std::string::npos);
  CHECK(r.out.find("PROVISIONAL") == std::string::npos);  // 2026's table is published
  // Urged when still overdue one working day after the reply deadline (urge_after: 1 wd): Sat 02-28 is the second
  // make-up working day of 春节, so the urge comes at its end.
  CHECK(r.out.find("red card (红牌) at 2026-02-28T00:00:00.000+08:00  (0 wd after)\n"
                   "urge (催办) at 2026-03-01T00:00:00.000+08:00  (1 wd after)\n"
                   "supervise (督办) at ") != std::string::npos);

  // The same instant written in UTC gives the same local dispatch day and so the same deadlines.
  const auto utc = deadline({"--type", "complaint", "--from", "2026-02-13T02:00:00Z"});
  CHECK(utc.status == 0);
  CHECK(utc.out == r.out);
}

TEST_CASE("an urgent ticket's clocks run in natural time through the holiday", "[e2e][tools][deadline]") {
  // The `urgency: urgent` entry: sign for in 2 h, reply in 24 h, holidays or not.
  const auto r = deadline({"--type", "投诉", "--urgency", "紧急", "--from", "2026-02-14T16:00:00+08:00"});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("sign-for (签收): 2 h → due 2026-02-14T18:00:00.000+08:00\n") != std::string::npos);
  CHECK(r.out.find("dispatch desk (派单): 30 min → due 2026-02-14T16:30:00.000+08:00\n") != std::string::npos);
  CHECK(r.out.find("reply (办结): 24 h → due 2026-02-15T16:00:00.000+08:00\n") != std::string::npos);
}

TEST_CASE("the README's deadline example holds", "[e2e][tools][deadline]") {
  const auto r = deadline({"--type", "投诉", "--from", "2025-09-26T10:00:00+08:00"});
  CHECK(r.status == 0);
  CHECK(r.out.find("reply (办结): 5 wd (next_day) → due 2025-10-11T00:00:00.000+08:00\n"
                   "    1. 2025-09-28 Sun (make-up working day 调休上班, 国庆节、中秋节)\n"
                   "    2. 2025-09-29 Mon\n"
                   "    3. 2025-09-30 Tue\n"
                   "    4. 2025-10-09 Thu\n"
                   "    5. 2025-10-10 Fri\n") != std::string::npos);
}

TEST_CASE("hotlinectl deadline refuses bad arguments with exit 2 and says which", "[e2e][tools][deadline]") {
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Bad> cases{
      {{"--type", "抱怨"}, "deadline: unknown --type '抱怨' (complaint (投诉), report (举报)"},
      {{"--urgency", "asap"}, "deadline: unknown --urgency 'asap' (normal (一般), urgent (紧急), very_urgent (特急))"},
      {{"--level", "galaxy"}, "deadline: unknown --level 'galaxy' (city, county, township)"},
      {{"--channel", "wechatt"}, "deadline: unknown --channel 'wechatt' (phone, web, app, wechat,"},
      {{"--from", "2026-02-30T10:00:00+08:00"}, "deadline: --from must be RFC 3339"},
      {{"--from", "2026-02-13 10:00"}, "deadline: --from must be RFC 3339"},
      {{"--from", "yesterday"}, "deadline: --from must be RFC 3339"},
      {{"--from", "0001-01-01T00:00:00Z"}, "deadline: --from must be RFC 3339 within 2000-01-01 to 2099-12-31"},
      {{"--from", "9999-12-31T23:59:59+08:00"}, "deadline: --from must be RFC 3339 within"},
  };
  for (const auto& c : cases) {
    INFO(c.args.front() << " " << c.args.back());
    const auto r = deadline(c.args);
    CHECK(r.status == 2);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.out.empty());
  }
}
