// The caller access log: recording each answer that shows a caller, and GET /v1/admin/access-log.
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <span>

#include "daemon/api/api.hpp"
#include "daemon/api/query_params.hpp"
#include "daemon/http/query_string.hpp"
#include "daemon/runtime/local_time.hpp"

namespace hotline::daemon {
namespace json = boost::json;

boost::asio::awaitable<storage::Result<void>> Api::log_caller_read(const Principal& who, const std::string& ticket_id,
                                                                   std::string_view endpoint) {
  const auto stamp = local_stamp_ms(ctx_.clock->now_ms());
  storage::CallerAccess row{0,
                            stamp.rfc3339,
                            stamp.unix_ms,
                            ticket_id,
                            who.token_id.empty() ? std::nullopt : std::optional<std::string>(who.token_id),
                            std::string(to_string(who.role)),
                            who.role == CallerRole::unit ? std::optional<std::string>(who.unit_id) : std::nullopt,
                            std::string(endpoint)};
  // One small job; the writer commits it with whatever else is queued (group commit), so a read costs an insert,
  // not a transaction of its own, and the coroutine waits without holding an I/O thread.
  WriteJob job = [row = std::move(row)](storage::TicketStore& store) {
    return store.append_caller_access(std::span<const storage::CallerAccess>(&row, 1));
  };
  const WriteResult written = co_await ctx_.writer.async_write(std::move(job), boost::asio::use_awaitable);
  co_return written;
}

Response Api::get_access_log(const Request& req) {
  std::string ticket;
  std::int64_t after = 0;
  int limit = 100;
  for (const auto& [key, value] : parse_query(req.target())) {
    if (key == "ticket") {
      ticket = value;
    } else if (key == "limit") {
      const auto n = parse_limit(value);
      if (!n) return problem_response(req, bad_field("limit", "must be 1 to 500"));
      limit = *n;
    } else if (key == "cursor") {
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), after);
      if (ec != std::errc{} || end != value.data() + value.size() || after < 0) {
        return problem_response(req, bad_field("cursor", "malformed cursor"));
      }
    } else {
      return problem_response(req, bad_field(key, "unknown query parameter"));
    }
  }
  auto lease = ctx_.readers.acquire();
  if (!lease) return problem_response(req, storage_problem(lease.error(), "The database cannot be read"));
  auto rows = (*lease)->caller_access(ticket, after, limit);
  if (!rows) return problem_response(req, storage_problem(rows.error(), "The database cannot be read"));
  json::array items;
  const auto opt = [](const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); };
  for (const auto& r : *rows) {
    items.push_back({{"seq", r.seq},
                     {"at", r.at},
                     {"ticket", r.ticket_id},
                     {"token", opt(r.token_id)},
                     {"role", r.role},
                     {"unit", opt(r.unit_id)},
                     {"endpoint", r.endpoint}});
  }
  json::object body{{"items", std::move(items)}};
  if (rows->size() == static_cast<std::size_t>(limit)) body["next_cursor"] = std::to_string(rows->back().seq);
  return make_response(req, http::status::ok, json::serialize(body));
}

}  // namespace hotline::daemon
