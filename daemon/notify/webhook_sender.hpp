// WebhookSender: delivers pending notifications (the outbox) by HTTP POST of JSON, at least once. Each POST
// carries an Idempotency-Key (key prefix + notification seq) so a receiver can drop repeats; a 2xx answer marks
// it delivered, anything else retries with exponential backoff (base × 2^attempts, capped, plus a jitter derived
// from the seq: deterministic) until max_attempts, then dead-letters it. Notifications held by quiet hours go
// out together as one digest per webhook. Rows are read and updated through the writer, so state survives
// restarts (pending rows are simply found again). One Asio timer; thread-safe offer(); the rest on its strand.
// http or https (webhook_post): one TLS context, built once, serves every https POST on that strand.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "daemon/metrics/escalation_stats.hpp"
#include "daemon/runtime/earliest_instant.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "daemon/writer/ticket_writer.hpp"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace hotline::daemon {

struct SenderOptions {
  int max_attempts = 8;
  std::int64_t backoff_base_ms = 1000;
  std::int64_t backoff_max_ms = 600000;
  std::int64_t timeout_ms = 5000;  // one POST, connect (and TLS handshake) to answer
  std::string key_prefix;          // Idempotency-Key: <key_prefix>-<seq>
  int batch = 64;                  // notifications per round
};

class WebhookSender {
 public:
  WebhookSender(boost::asio::io_context& ioc, TicketWriter& writer, SchedulerClock& clock, EscalationStats& stats,
                SenderOptions options, std::shared_ptr<boost::asio::ssl::context> tls);

  // Reads the pending count and the earliest due row, then starts the delivery loop.
  void start();
  void stop();
  // A notification is due at `ms`.
  void offer(std::int64_t ms);

  // The wait before try number attempts + 1 of notification `seq` (attempts >= 1 failures so far).
  static std::int64_t backoff_ms(const SenderOptions& o, int attempts, std::int64_t seq);

 private:
  boost::asio::awaitable<void> run();

  TicketWriter& writer_;
  SchedulerClock& clock_;
  EscalationStats& stats_;
  const SenderOptions options_;
  const std::shared_ptr<boost::asio::ssl::context> tls_;  // never null (make_webhook_tls)
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  EarliestInstant wanted_;
  std::atomic<bool> stopped_{false};
};

}  // namespace hotline::daemon
