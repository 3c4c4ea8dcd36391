// POST /v1/callers/sms: a caller's wish to get no SMS from the hotline (短信退订), or to get them again.
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "daemon/access/caller_key.hpp"
#include "daemon/api/api.hpp"

namespace hotline::daemon {
namespace json = boost::json;

boost::asio::awaitable<Response> Api::post_caller_sms(const Request& req, const Principal& who) {
  if (ctx_.callers == nullptr) {
    co_return problem_response(
        req, {503, "callers-unavailable", "Callers are not kept by phone", "this database has no caller key", ""});
  }
  auto parsed = optional_json_object(req);
  if (auto* p = std::get_if<Problem>(&parsed)) co_return problem_response(req, *p);
  const auto& body = std::get<json::object>(parsed);
  for (const auto& kv : body) {
    if (kv.key() != "phone" && kv.key() != "sms") co_return problem_response(req, bad_field(kv.key(), "unknown field"));
  }
  const auto* phone = body.if_contains("phone");
  if (phone != nullptr && !phone->is_string()) {
    co_return problem_response(req,
                               bad_field("phone", "must be a string (the number as written, e.g. \"13800138000\")"));
  }
  if (phone == nullptr) {
    co_return problem_response(req, bad_field("phone", "required: the caller's phone number"));
  }
  const auto key = ctx_.callers->key_of(phone->as_string());
  if (!key) co_return problem_response(req, bad_field("phone", "is not a phone number (5 to 15 digits)"));
  const auto* sms = body.if_contains("sms");
  if (sms == nullptr || !sms->is_bool()) {
    co_return problem_response(req, bad_field("sms", "required: false to send this caller no SMS, true to send again"));
  }
  const bool opted_out = !sms->as_bool();
  const std::int64_t now_ms = ctx_.clock->now_ms();
  const std::string actor = who.token_id.empty() ? "local" : who.token_id;
  auto changed = std::make_shared<bool>(false);
  WriteJob job = [key = *key, opted_out, now_ms, actor, changed](storage::TicketStore& store) -> WriteResult {
    auto r = store.set_sms_opt_out(key, opted_out, now_ms, actor);
    if (!r) return r.error();
    *changed = *r;
    return {};
  };
  const WriteResult written = co_await ctx_.writer.async_write(std::move(job), boost::asio::use_awaitable);
  if (!written)
    co_return problem_response(req, storage_problem(written.error(), "The caller's wish could not be stored"));
  co_return make_response(req, http::status::ok,
                          json::serialize(json::object{{"sms", !opted_out}, {"changed", *changed}}));
}

}  // namespace hotline::daemon
