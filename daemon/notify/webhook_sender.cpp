#include "daemon/notify/webhook_sender.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <map>

#include "daemon/notify/webhook_post.hpp"
#include "storage/escalation_store.hpp"

namespace hotline::daemon {
namespace asio = boost::asio;

WebhookSender::WebhookSender(asio::io_context& ioc, TicketWriter& writer, SchedulerClock& clock, EscalationStats& stats,
                             SenderOptions options, std::shared_ptr<asio::ssl::context> tls)
    : writer_(writer),
      clock_(clock),
      stats_(stats),
      options_(std::move(options)),
      tls_(std::move(tls)),
      strand_(asio::make_strand(ioc)),
      timer_(strand_) {}

std::int64_t WebhookSender::backoff_ms(const SenderOptions& o, int attempts, std::int64_t seq) {
  std::int64_t wait = o.backoff_base_ms;
  for (int i = 1; i < attempts && wait < o.backoff_max_ms; ++i) wait *= 2;
  wait = std::min(wait, o.backoff_max_ms);
  // Up to a quarter more, fixed per notification: retries of many rows spread out, and tests stay exact.
  const std::uint64_t mix = static_cast<std::uint64_t>(seq) * 0x9E3779B97F4A7C15ull;
  return wait + static_cast<std::int64_t>((mix >> 40) % static_cast<std::uint64_t>(wait / 4 + 1));
}

void WebhookSender::start() {
  asio::co_spawn(strand_, run(), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::critical("webhook sender stopped: {}", ex.what());
    }
  });
}

void WebhookSender::stop() {
  stopped_ = true;
  asio::post(strand_, [this] { timer_.cancel(); });
}

void WebhookSender::offer(std::int64_t ms) {
  if (wanted_.offer(ms)) asio::post(strand_, [this] { timer_.cancel(); });
}

asio::awaitable<void> WebhookSender::run() {
  {
    // Rows left pending by an earlier run (or a crash) are found again here.
    std::optional<std::int64_t> earliest;
    std::int64_t pending = 0;
    const auto r = co_await writer_.async_write(
        [&](storage::TicketStore& store) -> WriteResult {
          storage::EscalationStore& esc = store.escalations();
          auto e = esc.earliest_delivery();
          if (!e) return e.error();
          auto n = esc.count_pending();
          if (!n) return n.error();
          earliest = *e;
          pending = *n;
          return {};
        },
        asio::bind_executor(strand_, asio::use_awaitable));
    if (!r) spdlog::error("cannot read the notification outbox: {}", r.error().message);
    stats_.outbox_pending.store(pending);
    if (earliest) offer(*earliest);
  }
  while (!stopped_) {
    const std::int64_t now = clock_.now_ms();
    if (!wanted_.take_due(now)) {
      const auto target = wanted_.peek();
      timer_.expires_after(target ? clock_.wait_for(*target) : std::chrono::milliseconds(60'000));
      co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    std::vector<storage::Notification> due;
    const int batch = options_.batch;
    const auto read = co_await writer_.async_write(
        [&due, now, batch](storage::TicketStore& store) -> WriteResult {
          auto rows = store.escalations().due_notifications(now, batch);
          if (!rows) return rows.error();
          due = std::move(*rows);
          return {};
        },
        asio::bind_executor(strand_, asio::use_awaitable));
    if (!read) {
      spdlog::error("cannot read due notifications, retrying in 1 s: {}", read.error().message);
      offer(now + 1000);
      continue;
    }
    // One POST per notification, or per webhook for the digests that quiet hours held back.
    struct Delivery {
      std::vector<const storage::Notification*> rows;
      std::string error;
    };
    std::vector<Delivery> deliveries;
    std::map<std::string, std::size_t> digest_of;
    for (const auto& n : due) {
      if (n.digest) {
        const auto [it, fresh] = digest_of.try_emplace(n.target, deliveries.size());
        if (fresh) deliveries.push_back({});
        deliveries[it->second].rows.push_back(&n);
      } else {
        deliveries.push_back({{&n}, {}});
      }
    }
    for (auto& d : deliveries) {
      const auto& first = *d.rows.front();
      std::string key = options_.key_prefix + "-" + std::to_string(first.seq);
      std::string body;
      if (first.digest) {
        boost::json::array items;
        for (const auto* n : d.rows) {
          boost::system::error_code ec;
          auto item = boost::json::parse(n->payload, ec);
          if (ec || !item.is_object()) item = boost::json::object{{"payload", n->payload}};
          item.as_object()["notification"] = options_.key_prefix + "-" + std::to_string(n->seq);
          items.push_back(std::move(item));
        }
        key = options_.key_prefix + "-digest-" + std::to_string(first.seq) + "-" + std::to_string(d.rows.back()->seq);
        body = boost::json::serialize(boost::json::object{{"digest", true}, {"notifications", std::move(items)}});
      } else {
        boost::system::error_code ec;
        auto value = boost::json::parse(first.payload, ec);
        if (!ec && value.is_object()) value.as_object()["notification"] = key;
        body = ec ? first.payload : boost::json::serialize(value);
      }
      d.error = co_await post_webhook(first.target, body, key, std::chrono::milliseconds(options_.timeout_ms), *tls_);
      if (!d.error.empty()) spdlog::warn("webhook {} for notification {}: {}", first.target, key, d.error);
    }
    // Record every outcome in one writer job; it also tells when the next row is due.
    std::optional<std::int64_t> earliest;
    const auto options = options_;
    std::uint64_t delivered = 0, failed = 0, dead = 0;
    std::int64_t pending = 0;
    const auto marked = co_await writer_.async_write(
        [&](storage::TicketStore& store) -> WriteResult {
          storage::EscalationStore& esc = store.escalations();
          const std::int64_t at = clock_.now_ms();
          delivered = failed = dead = 0;
          for (const auto& d : deliveries) {
            for (const auto* n : d.rows) {
              if (d.error.empty()) {
                if (auto r = esc.mark_delivered(n->seq, at); !r) return r;
                ++delivered;
                continue;
              }
              const int attempts = n->attempts + 1;
              std::optional<std::int64_t> retry;
              if (attempts < options.max_attempts) retry = at + backoff_ms(options, attempts, n->seq);
              if (auto r = esc.mark_failed(n->seq, d.error, retry); !r) return r;
              ++(retry ? failed : dead);
            }
          }
          auto e = esc.earliest_delivery();
          if (!e) return e.error();
          earliest = *e;
          auto n = esc.count_pending();
          if (!n) return n.error();
          pending = *n;
          return {};
        },
        asio::bind_executor(strand_, asio::use_awaitable));
    if (!marked) {
      // Not recorded: the rows stay pending and are tried again (at least once, never lost).
      spdlog::error("cannot record deliveries, retrying in 1 s: {}", marked.error().message);
      offer(clock_.now_ms() + 1000);
      continue;
    }
    stats_.outbox_delivered.fetch_add(delivered);
    stats_.outbox_failed.fetch_add(failed);
    stats_.outbox_dead.fetch_add(dead);
    stats_.outbox_pending.store(pending);
    if (earliest) offer(*earliest);
  }
}

}  // namespace hotline::daemon
