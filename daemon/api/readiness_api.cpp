// GET /readyz: whether the daemon is ready for work, check by check. The database check runs an empty job
// through the writer (it waits its turn like any write, so a writer that is stuck keeps the probe waiting until
// the prober's own timeout, and BEGIN IMMEDIATE proves the write lock can be had) and asks whether the last
// transaction that wrote committed (a failed commit, a full disk, keeps the daemon unready until a write commits).
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "daemon/api/api.hpp"

namespace hotline::daemon {

boost::asio::awaitable<Response> Api::get_readyz(const Request& req) {
  namespace json = boost::json;
  json::object checks;
  json::array failing;
  const auto check = [&](const char* name, bool ok, const std::string& detail) {
    checks[name] = json::object{{"ok", ok}, {"detail", detail}};
    if (!ok) failing.emplace_back(name);
  };
  const auto rules = ctx_.rules.get();
  check("rules", rules != nullptr, rules ? "version " + rules->version() : "no rule set loaded");
  const WriteResult probe = co_await ctx_.writer.async_write([](storage::TicketStore&) -> WriteResult { return {}; },
                                                             boost::asio::use_awaitable);
  if (!probe) {
    check("database", false, "the writer cannot open a transaction: " + probe.error().message);
  } else if (!ctx_.writer.last_write_ok()) {
    check("database", false, "the last write failed to commit (see the log); no write has committed since");
  } else {
    check("database", true, "writable");
  }
  const bool caught_up = ctx_.caught_up != nullptr && ctx_.caught_up->load();
  check("escalation_catch_up", caught_up, caught_up ? "done" : "the start-up escalation catch-up is running");
  const bool ready = failing.empty();
  json::object body{{"ready", ready}, {"checks", std::move(checks)}};
  if (!ready) body["failing"] = std::move(failing);
  co_return make_response(req, ready ? http::status::ok : http::status::service_unavailable, json::serialize(body));
}

}  // namespace hotline::daemon
