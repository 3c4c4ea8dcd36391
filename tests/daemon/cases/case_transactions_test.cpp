#include "daemon/cases/case_transactions.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <future>

#include "daemon/cases/case_context.hpp"
#include "daemon/wire/case_codec.hpp"
#include "storage/statement.hpp"
#include "tests/storage/store_fixture.hpp"

using namespace hotline;
using namespace hotline::daemon;
using hotline::storage::test::TempDb;

namespace {

constexpr std::int64_t k_monday_0930 = 1'796'607'000'000;  // 2026-12-07T09:30:00+08:00, a working Monday

class StillClock final : public SchedulerClock {
 public:
  std::int64_t now_ms() override { return k_monday_0930; }
  std::chrono::milliseconds wait_for(std::int64_t) override { return std::chrono::milliseconds(0); }
};

RulesHolder& rules() {
  static RulesHolder holder(E2E_RULES_DIR, load_initial_rules(E2E_RULES_DIR).info);
  return holder;
}

// A writer over a fresh database and the transactions over it.
struct Desk {
  TempDb db;
  StillClock clock;
  TicketWriter writer{std::move(*storage::TicketStore::open(db.path)), 64};
  CaseTransactions cases{{rules(), writer, nullptr, &clock, "ZZ"}};
  boost::asio::io_context ioc;

  // Runs one awaitable to its end on the test's own loop.
  template <class T>
  T run(boost::asio::awaitable<T> work) {
    auto result = boost::asio::co_spawn(ioc, std::move(work), boost::asio::use_future);
    ioc.run();
    ioc.restart();
    return result.get();
  }

  CaseResult<OpenedCase> open(const std::string& content) {
    IntakeRequest intake;
    intake.ticket.content = content;
    const auto live = rules().info();
    const auto decision = routing::route(intake.ticket, *live.rules);
    routed_to = decision.lead->id;
    return run(cases.open(intake, decision, "{}", live, actor_of(Principal{})));
  }
  std::string routed_to;  // the lead of the last decision open() took

  std::int64_t events_of(const std::string& id) {
    storage::Connection c = *storage::Connection::open(db.path, false, true);
    storage::Statement st(c.get(), "SELECT count(*) FROM events WHERE ticket_id = ?");
    st.bind(1, id);
    (void)st.step();
    return st.column_int(0);
  }
};

routing::Actor unit_actor(const std::string& unit) {
  return actor_of(Principal{CallerRole::unit, unit, "t1"});
}

}  // namespace

TEST_CASE("intake opens a case dispatched to the routed unit, stored with its events", "[daemon][cases]") {
  Desk desk;
  auto opened = desk.open("芗城区胜利西路路灯不亮");
  REQUIRE(opened.has_value());
  CHECK(opened->id.rfind("ZZ20261207", 0) == 0);
  CHECK(opened->state.state == routing::CaseState::awaiting_sign_for);
  REQUIRE(opened->state.lead() != nullptr);
  CHECK(opened->state.lead()->unit == desk.routed_to);
  CHECK(opened->received.unix_ms == k_monday_0930);
  CHECK(desk.events_of(opened->id) == 2);  // received, dispatched
}

TEST_CASE("an action is decided on the stored case and appended", "[daemon][cases]") {
  Desk desk;
  auto opened = desk.open("芗城区胜利西路路灯不亮");
  REQUIRE(opened.has_value());
  const auto before = desk.events_of(opened->id);
  auto moved = desk.run(desk.cases.act(opened->id, {"sign_for", {}}, unit_actor(desk.routed_to)));
  REQUIRE(moved.has_value());
  CHECK(moved->before == routing::CaseState::awaiting_sign_for);
  CHECK(moved->after.state == routing::CaseState::in_progress);
  REQUIRE_FALSE(moved->events.empty());
  CHECK(desk.events_of(opened->id) == before + static_cast<std::int64_t>(moved->events.size()));
}

TEST_CASE("a refused action and a missing ticket are values, and nothing is written", "[daemon][cases]") {
  Desk desk;
  auto opened = desk.open("芗城区胜利西路路灯不亮");
  REQUIRE(opened.has_value());
  const auto before = desk.events_of(opened->id);

  // A unit the ticket was not dispatched to may not sign for it.
  REQUIRE(desk.routed_to != "350623.cgj");
  auto refused = desk.run(desk.cases.act(opened->id, {"sign_for", {}}, unit_actor("350623.cgj")));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().kind == CaseFailure::refused);
  REQUIRE(refused.error().refusal);
  CHECK_FALSE(refused.error().refusal->reason.empty());
  CHECK(desk.events_of(opened->id) == before);

  auto missing = desk.run(desk.cases.act("ZZ2026120799999", {"sign_for", {}}, unit_actor("350602.cgj")));
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().kind == CaseFailure::not_found);
}

TEST_CASE("a writer that has stopped fails the transaction as a storage error", "[daemon][cases]") {
  Desk desk;
  desk.writer.stop();
  auto opened = desk.open("芗城区胜利西路路灯不亮");
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().kind == CaseFailure::storage);
  CHECK(opened.error().storage.category == storage::ErrorCategory::unavailable);
}
