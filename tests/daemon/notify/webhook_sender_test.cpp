// The webhook sender on a fake clock against a receiver that answers 503: each retry comes at the documented
// exponential backoff after the failure, and after max_attempts tries the row is dead-lettered, once.
#include "daemon/notify/webhook_sender.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "daemon/notify/webhook_post.hpp"
#include "storage/escalation_store.hpp"
#include "tests/storage/store_fixture.hpp"
#include "tests/support/webhook_receiver.hpp"

using namespace hotline;
using namespace hotline::daemon;
using hotline::storage::test::TempDb;

namespace {

constexpr std::int64_t k_base = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// Time stands still until the test moves it; the sender polls it every millisecond of real time.
class FakeClock final : public SchedulerClock {
 public:
  std::int64_t now_ms() override { return now.load(); }
  std::chrono::milliseconds wait_for(std::int64_t target_ms) override {
    return std::chrono::milliseconds(target_ms <= now.load() ? 0 : 1);
  }
  std::atomic<std::int64_t> now{k_base};
};

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

struct Row {
  std::string delivery;
  int attempts = 0;
  std::optional<std::int64_t> next_attempt_ms;
};

Row read_row(const std::string& db, std::int64_t seq) {
  storage::Connection c = *storage::Connection::open(db, false, true);
  storage::Statement st(c.get(),
                        "SELECT delivery, attempts, next_attempt_ms IS NULL, coalesce(next_attempt_ms, 0)"
                        " FROM notifications WHERE seq = ?1");
  st.bind(1, seq);
  REQUIRE(*st.step());
  Row r{st.column_text(0), static_cast<int>(st.column_int(1)), std::nullopt};
  if (st.column_int(2) == 0) r.next_attempt_ms = st.column_int(3);
  return r;
}

// README: the wait after the first failed try is backoff_base_ms, doubling with each further one, at most
// backoff_max_ms, plus up to a quarter more fixed per notification.
void check_documented_wait(const SenderOptions& o, int failures, std::int64_t wait) {
  std::int64_t plain = o.backoff_base_ms;
  for (int i = 1; i < failures; ++i) plain = std::min(plain * 2, o.backoff_max_ms);
  CAPTURE(failures, wait, plain);
  CHECK(wait >= plain);
  CHECK(wait <= plain + plain / 4);
}

}  // namespace

TEST_CASE("backoff doubles from the base up to the cap, plus a fixed jitter of at most a quarter", "[daemon][notify]") {
  const SenderOptions o{8, 1000, 10'000, 5000, "ZZ", 64};
  for (std::int64_t seq : {1, 2, 77, 123456}) {
    for (int failures = 1; failures <= 8; ++failures) {
      const auto wait = WebhookSender::backoff_ms(o, failures, seq);
      check_documented_wait(o, failures, wait);
      CHECK(wait == WebhookSender::backoff_ms(o, failures, seq));  // deterministic per notification
    }
  }
}

TEST_CASE("a failing webhook is retried at the backoff instants, then dead-lettered exactly once", "[daemon][notify]") {
  TempDb tmp;
  FakeClock clock;
  test::WebhookReceiver receiver;
  receiver.set_up(false);  // every POST answered 503
  boost::asio::io_context ioc;
  TicketWriter writer(std::move(*storage::TicketStore::open(tmp.path)), 64);
  EscalationStats stats;
  const SenderOptions options{4, 1000, 3000, 2000, "ZZ", 64};
  std::string error;
  auto tls = make_webhook_tls("", error);
  REQUIRE(tls);
  WebhookSender sender(ioc, writer, clock, stats, options, tls);

  std::int64_t seq = 0;
  const std::string url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
  REQUIRE(writer.run_blocking([&](storage::TicketStore& store) -> storage::Result<void> {
    storage::EscalationStore esc(store.handle());
    auto s = esc.insert_notification(
        {std::nullopt, "T1", "u1", "stage_red", true, k_base, R"({"stage":"red"})", url, k_base, false});
    if (!s) return s.error();
    seq = *s;
    return {};
  }));
  sender.start();

  std::int64_t failed_at = k_base;  // the fake clock does not move during an attempt
  for (int attempt = 1; attempt <= options.max_attempts; ++attempt) {
    CAPTURE(attempt);
    REQUIRE(run_until(ioc, [&] { return read_row(tmp.path, seq).attempts == attempt; }));
    CHECK(receiver.posts().size() == static_cast<std::size_t>(attempt));
    const Row row = read_row(tmp.path, seq);
    if (attempt == options.max_attempts) {
      CHECK(row.delivery == "dead");
      CHECK_FALSE(row.next_attempt_ms);
      break;
    }
    CHECK(row.delivery == "pending");
    REQUIRE(row.next_attempt_ms);
    check_documented_wait(options, attempt, *row.next_attempt_ms - failed_at);
    CHECK(*row.next_attempt_ms - failed_at == WebhookSender::backoff_ms(options, attempt, seq));
    // Not a millisecond early: the loop runs on, the row stays as it is.
    clock.now = *row.next_attempt_ms - 1;
    ioc.run_for(std::chrono::milliseconds(30));
    CHECK(read_row(tmp.path, seq).attempts == attempt);
    failed_at = *row.next_attempt_ms;
    clock.now = failed_at;
  }
  REQUIRE(run_until(ioc, [&] { return stats.outbox_dead.load() == 1; }));
  CHECK(stats.outbox_failed.load() == static_cast<std::uint64_t>(options.max_attempts - 1));
  // Long after: nothing is tried again and nothing is dead-lettered a second time.
  clock.now = failed_at + 86'400'000;
  ioc.run_for(std::chrono::milliseconds(30));
  CHECK(receiver.posts().size() == static_cast<std::size_t>(options.max_attempts));
  CHECK(stats.outbox_dead.load() == 1);
  CHECK(read_row(tmp.path, seq).attempts == options.max_attempts);
  for (const auto& p : receiver.posts()) CHECK(p.key == "ZZ-" + std::to_string(seq));
  sender.stop();
  ioc.run_for(std::chrono::milliseconds(20));
}
