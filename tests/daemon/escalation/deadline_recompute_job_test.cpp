// The deadline recompute as a durable job: progress is committed with each batch, an interrupted run resumes
// after the last ticket done, a finished calendar is not worked through again, a new one starts over.
#include "daemon/escalation/deadline_recompute_job.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "daemon/cases/case_context.hpp"
#include "daemon/cases/case_transactions.hpp"
#include "tests/storage/store_fixture.hpp"

using namespace hotline;
using namespace hotline::daemon;
using hotline::storage::test::TempDb;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t k_monday_2031 = 1'930'267'800'000;  // 2031-03-03T09:30:00+08:00: no table for 2031 yet

class StillClock final : public SchedulerClock {
 public:
  std::int64_t now_ms() override { return k_monday_2031; }
  std::chrono::milliseconds wait_for(std::int64_t) override { return std::chrono::milliseconds(0); }
};

// The e2e rules, and the same with a 2031 table that makes the next two days days off.
struct Calendars {
  TempDb scratch;
  RulesInfo before = load_initial_rules(E2E_RULES_DIR).info;
  RulesInfo after;
  Calendars() {
    const fs::path dir = scratch.dir + "/rules";
    fs::copy(E2E_RULES_DIR, dir, fs::copy_options::recursive);
    std::ofstream(dir / "calendar" / "2031.json")
        << R"({"year":2031,"papers":[],"days":[{"name":"测试假日","date":"2031-03-04","isOffDay":true},)"
        << R"({"name":"测试假日","date":"2031-03-05","isOffDay":true}]})";
    auto loaded = load_initial_rules(dir.string());
    REQUIRE(loaded.ok);
    after = loaded.info;
    REQUIRE(after.calendar->version() != before.calendar->version());
  }
};

// Three tickets taken in under the old calendar: every clock is provisional.
std::vector<std::string> open_tickets(TicketWriter& writer, RulesHolder& rules, StillClock& clock) {
  CaseTransactions cases({rules, writer, nullptr, &clock, "ZZ"});
  boost::asio::io_context ioc;
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    IntakeRequest intake;
    intake.ticket.content = "芗城区胜利西路路灯不亮";
    const auto live = rules.info();
    const auto decision = routing::route(intake.ticket, *live.rules);
    auto done = boost::asio::co_spawn(ioc, cases.open(intake, decision, "{}", live, actor_of(Principal{})),
                                      boost::asio::use_future);
    ioc.run();
    ioc.restart();
    auto opened = done.get();
    REQUIRE(opened.has_value());
    ids.push_back(opened->id);
  }
  return ids;
}

}  // namespace

TEST_CASE("an interrupted recompute resumes after the last ticket it committed, and runs once per calendar",
          "[daemon][escalation][recompute]") {
  Calendars calendars;
  TempDb db;
  StillClock clock;
  RulesHolder rules(E2E_RULES_DIR, calendars.before);
  TicketWriter writer(std::move(*storage::TicketStore::open(db.path)), 64);
  const auto ids = open_tickets(writer, rules, clock);

  // The database is on the old calendar: nothing to do.
  REQUIRE(writer.run_blocking([&](storage::TicketStore& store) {
    return store.save_job_progress(k_recompute_job, {calendars.before.calendar->version(), "", true});
  }));
  CHECK_FALSE(bring_deadlines_to_calendar(writer, calendars.before, clock.now_ms()).ran);

  // A run for the new calendar was killed after committing the first ticket's batch.
  REQUIRE(writer.run_blocking([&](storage::TicketStore& store) {
    return store.save_job_progress(k_recompute_job, {calendars.after.calendar->version(), ids[0], false});
  }));
  const auto resumed = bring_deadlines_to_calendar(writer, calendars.after, clock.now_ms(), nullptr, nullptr, 1);
  CHECK(resumed.error.empty());
  CHECK(resumed.ran);
  CHECK(resumed.resumed);
  CHECK(resumed.tickets_checked == 2);  // the two after ids[0]
  CHECK(resumed.tickets_changed == 2);

  std::optional<storage::JobProgress> progress;
  REQUIRE(writer.run_blocking([&](storage::TicketStore& store) -> WriteResult {
    auto p = store.job_progress(k_recompute_job);
    if (!p) return p.error();
    progress = *p;
    return {};
  }));
  REQUIRE(progress);
  CHECK(progress->target == calendars.after.calendar->version());
  CHECK(progress->done);

  // Done for this calendar: a restart or another reload of it does nothing.
  CHECK_FALSE(bring_deadlines_to_calendar(writer, calendars.after, clock.now_ms()).ran);
  writer.stop();
}

TEST_CASE("a recompute asked to stop keeps its progress for the next start", "[daemon][escalation][recompute]") {
  Calendars calendars;
  TempDb db;
  StillClock clock;
  RulesHolder rules(E2E_RULES_DIR, calendars.before);
  TicketWriter writer(std::move(*storage::TicketStore::open(db.path)), 64);
  open_tickets(writer, rules, clock);

  const std::atomic<bool> stopping{true};
  const auto stopped = bring_deadlines_to_calendar(writer, calendars.after, clock.now_ms(), nullptr, &stopping, 1);
  CHECK(stopped.error.find("stopped") != std::string::npos);
  CHECK(stopped.tickets_checked == 0);
  // The next start works through all three.
  const auto next = bring_deadlines_to_calendar(writer, calendars.after, clock.now_ms(), nullptr, nullptr, 1);
  CHECK(next.error.empty());
  CHECK(next.tickets_checked == 3);
  CHECK(next.tickets_changed == 3);
  writer.stop();
}
