// The escalation scheduler on a fake clock: days of deadlines fire in milliseconds, in due order, exactly once,
// also across a restart; offer() wakes it for an earlier stage.
#include "daemon/escalation/escalation_scheduler.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <tuple>

#include "daemon/config/rules_holder.hpp"
#include "storage/escalation_store.hpp"
#include "tests/storage/store_fixture.hpp"

using namespace hotline;
using namespace hotline::daemon;
using hotline::storage::test::TempDb;

namespace {

constexpr std::int64_t k_day = 86'400'000;
constexpr std::int64_t k_base = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// Time stands still until the test moves it; the scheduler polls it every millisecond of real time.
class FakeClock final : public SchedulerClock {
 public:
  std::int64_t now_ms() override { return now.load(); }
  std::chrono::milliseconds wait_for(std::int64_t target_ms) override {
    return std::chrono::milliseconds(target_ms <= now.load() ? 0 : 1);
  }
  std::atomic<std::int64_t> now{k_base};
};

// A ticket with one clock per unit, its stages `days` days after k_base (one stage per listed day, in order).
storage::Result<void> seed(storage::TicketStore& store, const std::string& id, const std::string& unit,
                           const std::vector<int>& days) {
  storage::NewTicket t = storage::test::sample("20260101", "test");
  t.id = id;
  t.unit_id = unit;
  t.events.resize(1);
  t.events[0].at = t.received_at;
  if (auto r = store.insert_ticket(t); !r) return r;
  storage::Projection p;
  p.state = t.state;
  p.updated_ms = k_base;
  storage::DeadlineRow d{unit, "reply", k_base + 3 * k_day, false, {}, {}};
  for (std::size_t i = 0; i < days.size(); ++i) d.stage_ms[i] = k_base + days[i] * k_day;
  p.deadlines.push_back(d);
  return store.write_projection(id, p, /*fresh=*/true);
}

// Every stage event in the log, in log order: (ticket, stage, stage_ms).
std::vector<std::tuple<std::string, std::string, std::int64_t>> stage_events(const std::string& db) {
  storage::Connection c = *storage::Connection::open(db, false, true);
  storage::Statement st(c.get(),
                        "SELECT ticket_id, kind, json_extract(payload, '$.stage_ms') FROM events"
                        " WHERE kind LIKE 'stage_%' ORDER BY seq");
  std::vector<std::tuple<std::string, std::string, std::int64_t>> out;
  while (*st.step()) out.emplace_back(st.column_text(0), st.column_text(1), st.column_int(2));
  return out;
}

std::int64_t notifications(const std::string& db) {
  storage::Connection c = *storage::Connection::open(db, false, true);
  storage::Statement st(c.get(), "SELECT count(*) FROM notifications WHERE delivery = 'none'");
  (void)st.step();
  return st.column_int(0);
}

// Runs the loop until `done` or 10 s of real time; bounded in count and time.
template <class Done>
bool run_until(boost::asio::io_context& ioc, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (int i = 0; i < 10'000 && !done(); ++i) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    ioc.run_for(std::chrono::milliseconds(2));
  }
  return done();
}

struct Daemon {
  Daemon(const std::string& db, FakeClock& clock, const RulesHolder& rules, std::size_t batch = 3)
      : writer(std::move(*storage::TicketStore::open(db)), 64),
        scheduler(ioc, writer, clock, rules, outbox, stats, batch) {}
  std::uint64_t fired() const {
    std::uint64_t n = 0;
    for (const auto& s : stats.stages_fired) n += s.load();
    return n;
  }
  boost::asio::io_context ioc;
  TicketWriter writer;
  Outbox outbox{{}};
  EscalationStats stats;
  EscalationScheduler scheduler;
};

const RulesHolder& rules() {
  static RulesHolder holder(E2E_RULES_DIR, load_initial_rules(E2E_RULES_DIR).info);
  return holder;
}

}  // namespace

TEST_CASE("days of stages fire in due order in milliseconds of a fake clock", "[daemon][escalation]") {
  TempDb tmp;
  FakeClock clock;
  Daemon d(tmp.path, clock, rules());
  REQUIRE(d.writer.run_blocking([](storage::TicketStore& s) -> storage::Result<void> {
    if (auto r = seed(s, "T1", "u1", {2, 3, 4, 9}); !r) return r;
    if (auto r = seed(s, "T2", "u2", {1, 3, 5, 6}); !r) return r;
    return seed(s, "T3", "u1", {7, 8, 10, 12});
  }));
  REQUIRE(*d.scheduler.catch_up() == 0);
  d.scheduler.start();
  d.scheduler.offer(k_base + k_day);

  clock.now = k_base + 5 * k_day;  // T2 days 1 3 5, T1 days 2 3 4
  REQUIRE(run_until(d.ioc, [&] { return d.fired() == 6; }));
  clock.now = k_base + 30 * k_day;
  REQUIRE(run_until(d.ioc, [&] { return d.fired() == 12; }));
  d.scheduler.stop();
  d.ioc.run_for(std::chrono::milliseconds(20));

  const auto events = stage_events(tmp.path);
  REQUIRE(events.size() == 12);
  for (std::size_t i = 1; i < events.size(); ++i) CHECK(std::get<2>(events[i - 1]) <= std::get<2>(events[i]));
  std::set<std::pair<std::string, std::string>> unique;
  for (const auto& [ticket, kind, ms] : events) unique.emplace(ticket, kind);
  CHECK(unique.size() == 12);
  CHECK(d.stats.stages_fired[0] == 3);  // one yellow per clock
  // The fake clock only jumps (to day 5, then day 30), so each stage fires exactly that late: the latest is
  // T2's day-6 stage, fired at day 30.
  CHECK(d.stats.timer_lag_max_ms.load() == 24 * k_day);
  CHECK(notifications(tmp.path) == 12);  // no webhook: rows kept with delivery 'none'
}

TEST_CASE("a restart catches up on stages due while down without repeating any", "[daemon][escalation]") {
  TempDb tmp;
  FakeClock clock;
  {
    Daemon first(tmp.path, clock, rules());
    REQUIRE(first.writer.run_blocking([](storage::TicketStore& s) -> storage::Result<void> {
      for (int i = 0; i < 5; ++i) {
        if (auto r = seed(s, "T" + std::to_string(i), "u" + std::to_string(i % 2), {i + 1, i + 2, i + 3, i + 6}); !r) {
          return r;
        }
      }
      return {};
    }));
    first.scheduler.start();
    first.scheduler.offer(k_base + k_day);
    clock.now = k_base + 4 * k_day;
    REQUIRE(run_until(first.ioc, [&] { return first.fired() == 9; }));
    first.scheduler.stop();
    first.ioc.run_for(std::chrono::milliseconds(20));
  }  // "down" from day 4 to day 20
  clock.now = k_base + 20 * k_day;
  Daemon second(tmp.path, clock, rules(), 4);
  const auto caught_up = second.scheduler.catch_up();
  REQUIRE(caught_up);
  CHECK(*caught_up == 11);
  CHECK(second.stats.catch_up_stages == 11);
  const auto events = stage_events(tmp.path);
  REQUIRE(events.size() == 20);
  std::set<std::pair<std::string, std::string>> unique;
  for (const auto& [ticket, kind, ms] : events) unique.emplace(ticket, kind);
  CHECK(unique.size() == 20);
  // The catch-up went in due order.
  for (std::size_t i = 10; i < events.size(); ++i) CHECK(std::get<2>(events[i - 1]) <= std::get<2>(events[i]));
}

TEST_CASE("a stage armed after start wakes the idle scheduler", "[daemon][escalation]") {
  TempDb tmp;
  FakeClock clock;
  Daemon d(tmp.path, clock, rules());
  REQUIRE(*d.scheduler.catch_up() == 0);
  d.scheduler.start();
  d.ioc.run_for(std::chrono::milliseconds(5));  // idle: nothing armed, the timer waits a minute
  REQUIRE(d.writer.run_blocking([](storage::TicketStore& s) { return seed(s, "T1", "u1", {1}); }));
  clock.now = k_base + 2 * k_day;
  d.scheduler.offer(k_base + k_day);
  REQUIRE(run_until(d.ioc, [&] { return d.fired() == 1; }));
  d.scheduler.stop();
  d.ioc.run_for(std::chrono::milliseconds(20));
}

TEST_CASE("a rules reload re-plans armed stages and keeps fired ones fired", "[daemon][escalation]") {
  TempDb tmp;
  FakeClock clock;
  Daemon d(tmp.path, clock, rules());
  REQUIRE(d.writer.run_blocking([](storage::TicketStore& s) { return seed(s, "T1", "3506.rsj", {2, 3, 4, 9}); }));
  clock.now = k_base + 2 * k_day;
  REQUIRE(*d.scheduler.catch_up() == 1);  // the yellow card
  d.scheduler.start();
  d.scheduler.replan_all();
  // The fixture policy has no urge_after: the urge comes with the red card, at the deadline (day 3).
  const auto plan = [&] {
    storage::Connection c = *storage::Connection::open(tmp.path, false, true);
    storage::Statement st(c.get(), "SELECT stage, next_stage, next_ms, urge_ms FROM deadlines");
    (void)st.step();
    return std::tuple{st.column_text(0), st.column_text(1), st.column_int(2), st.column_int(3)};
  };
  REQUIRE(run_until(d.ioc, [&] { return std::get<3>(plan()) == k_base + 3 * k_day; }));
  CHECK(plan() == std::tuple{std::string("yellow"), std::string("red"), k_base + 3 * k_day, k_base + 3 * k_day});
  d.scheduler.stop();
  d.ioc.run_for(std::chrono::milliseconds(20));
}
