// People's sessions: POST /login, POST /logout, GET /v1/session, and the session cookie as a way to authenticate
// (Api::authenticate): a session acts with exactly the rights of its role's token, through the same route table.
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "daemon/access/password.hpp"
#include "daemon/access/sessions.hpp"
#include "daemon/api/api.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/off_thread.hpp"

namespace hotline::daemon {
namespace json = boost::json;
namespace {

constexpr std::string_view k_cookie = "hl_session";

// The value of cookie `name` in a Cookie header ("a=1; hl_session=…"); empty when absent.
std::string_view cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return {};
}

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The hash a login of an unknown or disabled account is checked against, so it takes as long as a real one.
const std::string& decoy_hash() {
  static const std::string hash = hash_password("no account has this password");
  return hash;
}

}  // namespace

std::optional<Principal> Api::authenticate(const Request& req, bool& csrf_refused, bool touch) {
  if (!ctx_.auth_required.load()) return Principal{CallerRole::local, "", ""};
  auto lease = ctx_.tokens.acquire();
  if (!lease) return std::nullopt;
  const auto authorization = req[http::field::authorization];
  if (!authorization.empty() || ctx_.sessions == nullptr) return daemon::authenticate(authorization, **lease);
  const auto cookie = cookie_value(req[http::field::cookie], k_cookie);
  if (cookie.empty()) return std::nullopt;
  const auto now = ctx_.clock->now_ms();
  const auto session = touch ? ctx_.sessions->find(cookie, now) : ctx_.sessions->peek(cookie, now);
  if (!session) return std::nullopt;
  // The account as it is now: disabled or changed since the login, every session of it ends.
  const auto user = (*lease)->find_user(session->login);
  if (!user) return std::nullopt;
  const auto role = parse_token_role(session->role);
  if (!*user || (*user)->disabled_at || (*user)->role != session->role ||
      (*user)->unit_id.value_or("") != session->unit_id || !role) {
    ctx_.sessions->close_all(session->login);
    return std::nullopt;
  }
  // A state-changing request must prove it comes from the terminal's own page: the token only that page was given.
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    csrf_refused = !same_secret(req["X-CSRF-Token"], session->csrf);
  }
  return Principal{*role, session->unit_id, "user:" + session->login};
}

boost::asio::awaitable<Response> Api::login(const Request& req, const Peer& peer) {
  if (ctx_.sessions == nullptr) {
    co_return problem_response(req, {503, "sessions-off", "Logins are not served here", "", ""});
  }
  if (!is_json_content_type(req[http::field::content_type])) {
    co_return problem_response(
        req, {415, "unsupported-media-type", "The body must be JSON", "send Content-Type: application/json", ""});
  }
  boost::system::error_code ec;
  const auto parsed = json::parse(req.body(), ec);
  if (ec) {
    co_return problem_response(req, {400, "malformed-json", "The request body is not valid JSON", ec.message(), ""});
  }
  if (!parsed.is_object()) co_return problem_response(req, bad_field("body", "must be a JSON object"));
  for (const auto& kv : parsed.as_object()) {
    if (kv.key() != "login" && kv.key() != "password")
      co_return problem_response(req, bad_field(kv.key(), "unknown field"));
    if (!kv.value().is_string()) co_return problem_response(req, bad_field(kv.key(), "must be a string"));
  }
  const auto* login_value = parsed.as_object().if_contains("login");
  const auto* password_value = parsed.as_object().if_contains("password");
  if (login_value == nullptr) co_return problem_response(req, bad_field("login", "required"));
  if (password_value == nullptr) co_return problem_response(req, bad_field("password", "required"));
  const std::string login(login_value->as_string());
  const std::string password(password_value->as_string());
  Sessions& sessions = *ctx_.sessions;
  const std::int64_t now = ctx_.clock->now_ms();
  if (const auto until = sessions.locked_until(login, now)) {
    spdlog::warn("login '{}' from {} refused: locked until {}", login, peer.address, local_stamp_ms(*until).rfc3339);
    auto r = problem_response(req, {429, "login-locked", "This login is locked after too many failed attempts",
                                    "try again after " + local_stamp_ms(*until).rfc3339, ""});
    r.set(http::field::retry_after, std::to_string((*until - now + 999) / 1000));
    co_return r;
  }
  std::optional<storage::UserRecord> user;
  {
    auto lease = ctx_.tokens.acquire();
    if (!lease) co_return problem_response(req, storage_problem(lease.error(), "The accounts cannot be read"));
    auto found = (*lease)->find_user(login);
    if (!found) co_return problem_response(req, storage_problem(found.error(), "The accounts cannot be read"));
    if (*found && !(*found)->disabled_at) user = std::move(**found);
  }
  // Argon2id takes a tenth of a second and 64 MiB: off the I/O threads, on the bounded read pool.
  const std::string* hash = user ? &user->password_hash : nullptr;
  const std::string* given = &password;
  const bool matches = co_await run_off_thread(
      ctx_.reads, [hash, given] { return verify_password(hash != nullptr ? *hash : decoy_hash(), *given); });
  if (!matches || !user) {
    const int in_a_row = sessions.failed(login, ctx_.clock->now_ms());
    spdlog::warn("login '{}' from {} failed ({} in a row){}", login, peer.address, in_a_row,
                 in_a_row >= sessions.limits().max_failures ? ": locked" : "");
    co_return problem_response(req, {401, "login-failed", "Wrong login or password",
                                     "the login or the password is wrong (which one is not said)", ""});
  }
  const auto opened = sessions.open(user->login, user->role, user->unit_id.value_or(""), ctx_.clock->now_ms());
  spdlog::info("login '{}' ({}) from {}", user->login, user->role, peer.address);
  json::object body{{"login", user->login},
                    {"name", user->name},
                    {"role", user->role},
                    {"unit", user->unit_id ? json::value(*user->unit_id) : json::value(nullptr)},
                    {"csrf_token", opened.session.csrf}};
  auto response = make_response(req, http::status::ok, json::serialize(body));
  response.set(http::field::set_cookie,
               std::string(k_cookie) + "=" + opened.cookie + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                   std::to_string(sessions.limits().absolute_ms / 1000) + (ctx_.secure_cookie ? "; Secure" : ""));
  response.set(http::field::cache_control, "no-store");
  co_return response;
}

Response Api::web_file(const Request& req, const std::string& name) {
  if (ctx_.web == nullptr) return problem_response(req, {404, "not-found", "No web terminal here", "", ""});
  return ctx_.web->serve(req, name);
}

Response Api::logout(const Request& req, const Principal& who) {
  bool ended = false;
  if (ctx_.sessions != nullptr && req[http::field::authorization].empty()) {
    const auto cookie = cookie_value(req[http::field::cookie], k_cookie);
    ended = !cookie.empty() && ctx_.sessions->close(cookie);
    if (ended) spdlog::info("logout '{}'", who.token_id.substr(who.token_id.find(':') + 1));
  }
  auto response = make_response(req, http::status::ok, json::serialize(json::object{{"logged_out", ended}}));
  // fmt, not a chain of std::string +: GCC 12 at -O1 (the tsan build) sees a false array bound in the chain.
  response.set(http::field::set_cookie, fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}", k_cookie,
                                                    ctx_.secure_cookie ? "; Secure" : ""));
  return response;
}

Response Api::get_session(const Request& req, const Principal& who) {
  json::object body{{"role", std::string(to_string(who.role))},
                    {"unit", who.unit_id.empty() ? json::value(nullptr) : json::value(who.unit_id)}};
  if (who.token_id.starts_with("user:") && ctx_.sessions != nullptr) {
    const auto session = ctx_.sessions->find(cookie_value(req[http::field::cookie], k_cookie), ctx_.clock->now_ms());
    body["login"] = who.token_id.substr(5);
    if (session) body["csrf_token"] = session->csrf;
    if (auto lease = ctx_.tokens.acquire()) {
      if (auto user = (*lease)->find_user(who.token_id.substr(5)); user && *user) body["name"] = (*user)->name;
    }
  } else {
    body["token"] = who.token_id;
  }
  auto response = make_response(req, http::status::ok, json::serialize(body));
  response.set(http::field::cache_control, "no-store");
  return response;
}

}  // namespace hotline::daemon
