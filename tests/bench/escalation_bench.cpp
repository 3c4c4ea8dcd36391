// Escalation benchmark (run by hand; never by CTest):
//   build/release/tests/escalation_bench seed DB [TICKETS] [DUE]   seed DB: TICKETS open tickets (default
//       1,000,000), each with a reply clock whose stages are armed; DUE of them (default 10,000) have a stage due
//       now (a yellow card an hour ago). Direct SQL in big transactions.
//   build/release/tests/escalation_bench fire DB                   on a seeded DB: arms k stages due now for
//       k = 0, 10, 100, 1000, 10000 and times one catch-up (the same writer jobs the timer runs) for each: the cost
//       per stage stays flat while the table holds a million armed clocks.
//   build/release/tests/escalation_bench spread DB STAGES FROM_MS TO_MS   on a seeded DB: arms the yellow stage of
//       STAGES clocks at instants spread evenly over [FROM_MS, TO_MS) (Unix ms), for the lag under load.
// tests/bench/escalation_bench.sh runs seed and fire and times hotlined's start-up (catch-up included) and its
// memory; tests/bench/stage_lag.sh runs seed and spread and measures how late stages fire under intake load.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <string>

#include "daemon/config/rules_holder.hpp"
#include "daemon/escalation/escalation_scheduler.hpp"
#include "storage/ticket_store.hpp"

using namespace hotline;
using Clock = std::chrono::steady_clock;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int seed(const std::string& db, long tickets, long due) {
  auto store = storage::TicketStore::open(db);
  if (!store) {
    std::fprintf(stderr, "cannot open %s: %s\n", db.c_str(), store.error().message.c_str());
    return 1;
  }
  const std::int64_t now = now_ms();
  const auto start = Clock::now();
  // Units cycle through real ids of the shipped directory, so the scheduler's outbox lookups are realistic.
  const std::string sql = R"sql(
BEGIN;
CREATE TEMP TABLE u(n INTEGER PRIMARY KEY, id TEXT);
INSERT INTO u(id) VALUES ('350602.cgj'), ('350623.cgj'), ('3506.rsj'), ('3506.cgj'), ('350603.cgj');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < )sql" +
                          std::to_string(tickets) + R"sql()
INSERT INTO tickets(id, received_at, received_ms, type, urgency, content, state, unit_id, unit_name, rule_id,
                    rules_version, decision, updated_ms)
SELECT printf('BN%08d', i), '2026-11-20T09:00:00.000+08:00', )sql" +
                          std::to_string(now) + R"sql(, 'complaint', 'normal', 'bench ticket ' || i, 'in_progress',
       (SELECT id FROM u WHERE n = 1 + i % 5), 'unit', 'bench', 'v', '{}', NULL FROM n;
INSERT INTO deadlines(ticket_id, unit_id, clock, due_ms, provisional, yellow_ms, red_ms, urge_ms, supervise_ms,
                      next_stage, next_ms)
SELECT id, unit_id, 'reply', received_ms + 5 * 86400000 + (rowid % 86400) * 1000, 0,
       received_ms + 4 * 86400000 + (rowid % 86400) * 1000, received_ms + 5 * 86400000 + (rowid % 86400) * 1000,
       received_ms + 6 * 86400000 + (rowid % 86400) * 1000, received_ms + 10 * 86400000 + (rowid % 86400) * 1000,
       'yellow', received_ms + 4 * 86400000 + (rowid % 86400) * 1000 FROM tickets WHERE id LIKE 'BN%';
UPDATE deadlines SET yellow_ms = )sql" +
                          std::to_string(now - 3'600'000) + ", next_ms = " + std::to_string(now - 3'600'000) +
                          R"sql( WHERE ticket_id <= printf('BN%08d', )sql" + std::to_string(due) +
                          R"sql() AND ticket_id LIKE 'BN%';
COMMIT;
)sql";
  if (auto r = (*store)->exec(sql); !r) {
    std::fprintf(stderr, "seeding failed: %s\n", r.error().message.c_str());
    return 1;
  }
  std::printf("seeded %ld open tickets (%ld with a stage due) in %.1f s\n", tickets, due,
              std::chrono::duration<double>(Clock::now() - start).count());
  return 0;
}

int fire(const std::string& db, const std::string& rules_dir) {
  auto loaded = daemon::load_initial_rules(rules_dir);
  if (!loaded.ok) return 1;
  daemon::RulesHolder rules(rules_dir, loaded.info);
  boost::asio::io_context ioc;
  daemon::TicketWriter writer(std::move(*storage::TicketStore::open(db)), 512);
  daemon::SystemSchedulerClock clock;
  daemon::EscalationStats stats;
  const daemon::Outbox outbox({});
  daemon::EscalationScheduler scheduler(ioc, writer, clock, rules, outbox, stats, 500);
  // Whatever is due from seeding fires first, untimed.
  (void)scheduler.catch_up();
  long offset = 500'000;  // tickets far from the seeded due ones
  std::printf("%8s %10s %12s\n", "k", "ms", "us/stage");
  for (const long k : {0L, 10L, 100L, 1000L, 10000L}) {
    if (k > 0) {
      const auto at = std::to_string(now_ms() - 1000);
      auto armed = writer.run_blocking([&](storage::TicketStore& s) {
        return s.exec("UPDATE deadlines SET next_stage = 'yellow', yellow_ms = " + at + ", next_ms = " + at +
                      " WHERE ticket_id BETWEEN printf('BN%08d', " + std::to_string(offset) +
                      ") AND printf('BN%08d', " + std::to_string(offset + k - 1) + ")");
      });
      if (!armed) return 1;
      offset += k;
    }
    const auto start = Clock::now();
    const auto fired = scheduler.catch_up();
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (!fired || static_cast<long>(*fired) != k) {
      std::fprintf(stderr, "expected %ld stages, fired %llu\n", k,
                   fired ? static_cast<unsigned long long>(*fired) : 0ULL);
      return 1;
    }
    std::printf("%8ld %10.2f %12.1f\n", k, ms, k > 0 ? ms * 1000.0 / static_cast<double>(k) : 0.0);
  }
  writer.stop();
  return 0;
}

int spread(const std::string& db, long stages, std::int64_t from_ms, std::int64_t to_ms) {
  auto store = storage::TicketStore::open(db);
  if (!store || stages < 1 || to_ms <= from_ms) return 1;
  // Tickets from BN00500001 on (the seeded due ones are the first ones); ticket k gets from + k * span / stages.
  const std::string sql = "UPDATE deadlines SET next_stage = 'yellow', yellow_ms = " + std::to_string(from_ms) +
                          " + (CAST(substr(ticket_id, 3) AS INTEGER) - 500001) * " + std::to_string(to_ms - from_ms) +
                          " / " + std::to_string(stages) + ", next_ms = " + std::to_string(from_ms) +
                          " + (CAST(substr(ticket_id, 3) AS INTEGER) - 500001) * " + std::to_string(to_ms - from_ms) +
                          " / " + std::to_string(stages) +
                          " WHERE ticket_id BETWEEN 'BN00500001' AND printf('BN%08d', 500000 + " +
                          std::to_string(stages) + ")";
  if (auto r = (*store)->exec(sql); !r) {
    std::fprintf(stderr, "arming failed: %s\n", r.error().message.c_str());
    return 1;
  }
  std::printf("armed %ld yellow stages over %.1f s\n", stages, static_cast<double>(to_ms - from_ms) / 1000.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "seed" && argc >= 3) {
    return seed(argv[2], argc > 3 ? std::stol(argv[3]) : 1'000'000, argc > 4 ? std::stol(argv[4]) : 10'000);
  }
  if (mode == "fire" && argc >= 3) return fire(argv[2], argc > 3 ? argv[3] : "rules");
  if (mode == "spread" && argc == 6)
    return spread(argv[2], std::stol(argv[3]), std::stoll(argv[4]), std::stoll(argv[5]));
  std::fprintf(
      stderr,
      "usage: escalation_bench seed DB [TICKETS] [DUE] | fire DB [RULES_DIR] | spread DB STAGES FROM_MS TO_MS\n");
  return 2;
}
