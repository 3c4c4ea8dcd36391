// End-to-end: people's accounts and sessions — hotlinectl user add/disable/passwd, POST /login with the session
// cookie (HttpOnly, SameSite=Strict), a session acting with its role's rights through the same route table as a
// token (a unit's session gets 404 for another unit's ticket), the CSRF token on every state-changing request,
// five failed logins in a row locking the login, logout ending the session on the server, and a disabled account's
// session ending at once.
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "support/e2e.hpp"
#include "support/fresh_database.hpp"
#include "support/sse_client.hpp"

namespace {

struct Person {
  std::string cookie, csrf;
};

std::string add_user(const std::string& db, const std::vector<std::string>& args, const std::string& password) {
  hotline::test::create_database_if_missing(db);  // only hotlined creates one; the test's daemon starts later
  std::vector<std::string> all{"user", "add", "--database", db, "--rules", SHIPPED_RULES_DIR};
  all.insert(all.end(), args.begin(), args.end());
  const auto r = run_command(HOTLINECTL_PATH, all, password + "\n");
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  return r.out;
}

HttpResult login(HttpClient& client, const std::string& who, const std::string& password) {
  return client.post("/login", R"({"login":")" + who + R"(","password":")" + password + R"("})");
}

Person logged_in(HttpClient& client, const std::string& who, const std::string& password) {
  const auto r = login(client, who, password);
  INFO(r.body);
  REQUIRE(r.status == 200);
  const std::string set_cookie = r.header("set-cookie");
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(set_cookie.find("Path=/") != std::string::npos);
  const auto value = set_cookie.substr(0, set_cookie.find(';'));
  REQUIRE(value.starts_with("hl_session="));
  return {value, str(json::parse(r.body).at("csrf_token"))};
}

}  // namespace

TEST_CASE("people log in, act with their role's rights under a CSRF token, get locked out and log out",
          "[e2e][session]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  add_user(db, {"--login", "wangmin", "--role", "operator", "--name", "王敏"}, "correct horse 1");
  add_user(db, {"--login", "liyun", "--role", "unit", "--unit", "350602.cgj", "--name", "李芸"}, "battery staple");
  add_user(db, {"--login", "zhaoyi", "--role", "unit", "--unit", "350603.cgj", "--name", "赵一"}, "staple battery");
  // Refused: a short password, a duplicate login, a unit that does not exist; nothing is added.
  CHECK(run_command(HOTLINECTL_PATH,
                    {"user", "add", "--database", db, "--login", "shorty", "--role", "operator", "--name", "甲"},
                    "short\n")
            .status == 2);
  CHECK(run_command(HOTLINECTL_PATH,
                    {"user", "add", "--database", db, "--login", "wangmin", "--role", "operator", "--name", "乙"},
                    "another password\n")
            .status == 1);
  CHECK(run_command(HOTLINECTL_PATH,
                    {"user", "add", "--database", db, "--rules", SHIPPED_RULES_DIR, "--login", "x1", "--role", "unit",
                     "--unit", "nowhere.gov", "--name", "丙"},
                    "another password\n")
            .status == 1);
  const auto listed = run_command(HOTLINECTL_PATH, {"user", "list", "--database", db});
  REQUIRE(listed.status == 0);
  CHECK(listed.out.find("wangmin") != std::string::npos);
  CHECK(listed.out.find("350602.cgj") != std::string::npos);
  CHECK(listed.out.find("shorty") == std::string::npos);
  CHECK(listed.out.find("argon2") == std::string::npos);  // never the hash

  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  // Accounts alone turn authentication on: no cookie, no access.
  CHECK(client.get("/v1/tickets").status == 401);

  const auto op = logged_in(client, "wangmin", "correct horse 1");
  const auto as = [&](const Person& p, const std::string& method, const std::string& target, const std::string& body,
                      bool with_csrf = true) {
    std::map<std::string, std::string> headers{{"Cookie", "theme=dark; " + p.cookie}};
    if (with_csrf) headers["X-CSRF-Token"] = p.csrf;
    return client.request_with(method, target, body, headers);
  };
  const auto session = json::parse(as(op, "GET", "/v1/session", "").body);
  CHECK(session.at("login") == "wangmin");
  CHECK(session.at("role") == "operator");
  CHECK(session.at("csrf_token") == op.csrf.c_str());

  // A state-changing request needs the CSRF token; a read does not.
  const std::string lamp = R"({"content":"胜利路路灯不亮","category":"010101","area":"350602"})";
  const auto no_csrf = as(op, "POST", "/v1/tickets", lamp, false);
  CHECK(no_csrf.status == 403);
  CHECK(json::parse(no_csrf.body).at("type").as_string().ends_with("csrf-token"));
  CHECK(as(op, "GET", "/v1/tickets", "", false).status == 200);
  const auto made = as(op, "POST", "/v1/tickets", lamp);
  REQUIRE(made.status == 201);
  const auto id = str(json::parse(made.body).at("id"));
  CHECK(json::parse(as(op, "GET", "/v1/tickets?q=%E8%B7%AF%E7%81%AF", "").body).at("items").as_array().size() == 1);

  // Exactly the rights of the role: the unit's person signs for its ticket; another unit's does not see it.
  const auto unit = logged_in(client, "liyun", "battery staple");
  const auto other = logged_in(client, "zhaoyi", "staple battery");
  CHECK(as(other, "GET", "/v1/tickets/" + id, "").status == 404);
  CHECK(as(other, "POST", "/v1/tickets/" + id + "/sign_for", "{}").status == 404);
  CHECK(as(unit, "POST", "/v1/tickets", lamp).status == 403);  // only operators take in tickets
  const auto signed_for = as(unit, "POST", "/v1/tickets/" + id + "/sign_for", "{}");
  REQUIRE(signed_for.status == 200);
  // The session's actor is the person's login.
  const auto view = json::parse(as(op, "GET", "/v1/tickets/" + id, "").body);
  bool signed_by_liyun = false;
  for (const auto& e : view.at("events").as_array()) {
    if (e.at("kind") == "signed_for") signed_by_liyun = e.at("actor") == "user:liyun";
  }
  CHECK(signed_by_liyun);

  // A live feed opened with a session ends when the session does: the next event is not sent to it.
  {
    const auto watcher = logged_in(client, "liyun", "battery staple");
    hotline::test::SseClient feed(daemon.port(), "/v1/units/350602.cgj/feed", "", "", "127.0.0.1", watcher.cookie);
    REQUIRE(feed.status() == 200);
    REQUIRE(as(op, "POST", "/v1/tickets", lamp).status == 201);
    const auto before = feed.next(std::chrono::seconds(10));
    REQUIRE(before);
    CHECK(before->event == "dispatched");
    REQUIRE(as(watcher, "POST", "/logout", "{}").status == 200);
    REQUIRE(as(op, "POST", "/v1/tickets", lamp).status == 201);
    CHECK_FALSE(feed.next(std::chrono::seconds(10)));
    CHECK(feed.closed());
  }

  // Five wrong passwords in a row lock the login, even against the right one; an unknown login fails alike.
  CHECK(login(client, "nobody", "whatever it is").status == 401);
  for (int i = 0; i < 5; ++i) CHECK(login(client, "liyun", "wrong password").status == 401);
  const auto locked = login(client, "liyun", "battery staple");
  CHECK(locked.status == 429);
  CHECK_FALSE(locked.header("retry-after").empty());
  CHECK(as(unit, "GET", "/v1/session", "").status == 200);  // a session already open stays open

  // Logout ends the session on the server: the same cookie is refused afterwards.
  const auto out = as(op, "POST", "/logout", "{}");
  REQUIRE(out.status == 200);
  CHECK(out.header("set-cookie").find("Max-Age=0") != std::string::npos);
  CHECK(as(op, "GET", "/v1/tickets", "").status == 401);

  // A disabled account's session ends at its next request; enabled again, the person logs in again.
  REQUIRE(run_command(HOTLINECTL_PATH, {"user", "disable", "zhaoyi", "--database", db}).status == 0);
  CHECK(as(other, "GET", "/v1/session", "").status == 401);
  CHECK(login(client, "zhaoyi", "staple battery").status == 401);
  REQUIRE(run_command(HOTLINECTL_PATH, {"user", "enable", "zhaoyi", "--database", db}).status == 0);
  REQUIRE(run_command(HOTLINECTL_PATH, {"user", "passwd", "zhaoyi", "--database", db}, "a new password\n").status == 0);
  CHECK(login(client, "zhaoyi", "staple battery").status == 401);
  logged_in(client, "zhaoyi", "a new password");
  CHECK(daemon.stop(SIGTERM) == 0);
}
