// End-to-end: bearer tokens made with hotlinectl, roles, unit scoping and revocation on the real daemon.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <string>

#include "support/e2e.hpp"

namespace {

struct Authed {
  HttpClient client;
  std::string token;
  hotline::test::HttpResult get(const std::string& target) { return client.request("GET", target, "", token); }
  hotline::test::HttpResult post(const std::string& target, const std::string& body) {
    return client.request("POST", target, body, token);
  }
};

}  // namespace

TEST_CASE("with tokens every call needs one and a unit token sees only its own unit's tickets", "[e2e][auth]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  const auto op = make_token(db, "operator");
  const auto admin = make_token(db, "admin");
  const auto mine = make_token(db, "unit", "350602.cgj");
  const auto parent = make_token(db, "unit", "350602.gov");
  const auto foreign = make_token(db, "unit", "350623.cgj");
  CHECK(op.starts_with("hl_"));

  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  const std::string port_body = R"({"content":"胜利路路灯不亮","category":"010101","area":"350602"})";
  HttpClient anonymous(daemon.port());
  const auto refused = anonymous.post("/v1/tickets", port_body);
  CHECK(refused.status == 401);
  CHECK(refused.header("www-authenticate") == "Bearer");
  CHECK(anonymous.get("/healthz").status == 200);
  CHECK(anonymous.request("GET", "/v1/rules", "", "hl_00000000_" + std::string(64, '0')).status == 401);

  Authed operator_{HttpClient(daemon.port()), op};
  const auto created = operator_.post("/v1/tickets", port_body);
  REQUIRE(created.status == 201);
  const auto id = json::value_to<std::string>(json::parse(created.body).at("id"));
  CHECK(json::parse(created.body).at("unit").at("id") == "350602.cgj");

  // The scheme's name is case-insensitive.
  for (const auto* scheme : {"bearer ", "BEARER "}) {
    const auto r = anonymous.request_with("GET", "/v1/tickets/" + id, "", {{"Authorization", scheme + op}});
    CHECK(r.status == 200);
  }
  // Every query names only what the endpoint takes, and names what exists.
  const auto problem_field = [&](const std::string& target) {
    const auto r = operator_.get(target);
    INFO(target << " → " << r.status << " " << r.body);
    CHECK(r.status == 400);
    return r.status == 400 ? str(json::parse(r.body).at("field")) : std::string();
  };
  CHECK(problem_field("/v1/tickets/" + id + "?x=1") == "x");
  CHECK(problem_field("/v1/rules?x=1") == "x");
  CHECK(problem_field("/v1/tickets?cursor=zz") == "cursor");
  CHECK(problem_field("/v1/units?cursor=%FF") == "cursor");
  CHECK(problem_field("/v1/tickets?unit=nope") == "unit");
  CHECK(problem_field("/v1/escalations?unit=nope") == "unit");
  CHECK(problem_field("/v1/escalations/counts?unit=nope") == "unit");
  CHECK(problem_field("/v1/kb?q=%E8%B7%AF%E7%81%AF&matter=999999") == "matter");

  Authed unit{HttpClient(daemon.port()), mine};
  Authed above{HttpClient(daemon.port()), parent};
  Authed other{HttpClient(daemon.port()), foreign};
  CHECK(unit.get("/v1/tickets/" + id).status == 200);
  CHECK(above.get("/v1/tickets/" + id).status == 200);  // 350602.gov is 350602.cgj's parent: it reads below it
  CHECK(other.get("/v1/tickets/" + id).status == 404);  // as if it did not exist: ids cannot be probed
  // Where the rules live on the server is for admins only.
  CHECK_FALSE(json::parse(unit.get("/v1/rules").body).as_object().contains("dir"));
  CHECK_FALSE(json::parse(operator_.get("/v1/rules").body).as_object().contains("dir"));
  CHECK(unit.post("/v1/tickets", port_body).status == 403);
  CHECK(unit.post("/v1/admin/reload", "").status == 403);
  CHECK(operator_.post("/v1/admin/reload", "").status == 403);
  Authed admin_{HttpClient(daemon.port()), admin};
  CHECK(admin_.post("/v1/admin/reload", "").status == 200);
  CHECK(admin_.get("/v1/tickets/" + id).status == 200);
  CHECK(json::parse(admin_.get("/v1/rules").body).as_object().contains("dir"));

  const auto listed = run_command(HOTLINECTL_PATH, {"token", "list", "--database", db});
  CHECK(listed.out.find("350623.cgj") != std::string::npos);
  CHECK(listed.out.find(foreign.substr(12)) == std::string::npos);  // secrets are never shown
  const auto revoked = run_command(HOTLINECTL_PATH, {"token", "revoke", "--database", db, foreign.substr(3, 8)});
  CHECK(revoked.status == 0);
  CHECK(other.get("/v1/tickets/" + id).status == 401);
  CHECK(run_command(HOTLINECTL_PATH, {"token", "revoke", "--database", db, foreign.substr(3, 8)}).status == 1);
}
