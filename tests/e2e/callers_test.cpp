// End-to-end: a repeat caller is recognised however the operator wrote the number, tickets are found by phone,
// and tickets taken in before callers were keyed are keyed at the next start.
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/e2e.hpp"
#include "support/sqlite_file.hpp"

namespace {

std::string intake_with_phone(const std::string& phone) {
  return R"({"content":"小区门口路灯不亮","category":"010101","area":"350602","caller":{"name":"李女士","phone":")" +
         phone + R"("}})";
}

std::vector<std::string> ids_of(const json::value& list) {
  std::vector<std::string> out;
  for (const auto& v : list.as_array()) out.push_back(str(v));
  return out;
}

std::vector<std::string> found_by_phone(HttpClient& client, const std::string& encoded) {
  const auto r = client.get("/v1/tickets?phone=" + encoded);
  REQUIRE(r.status == 200);
  const auto body = json::parse(r.body);
  std::vector<std::string> out;
  for (const auto& item : body.at("items").as_array()) out.push_back(str(item.at("id")));
  return out;
}

}  // namespace

TEST_CASE("a caller's earlier tickets come back at intake and by phone, however the number is written",
          "[e2e][callers]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  const std::vector<std::string> args{"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR};
  std::vector<std::string> ids;
  {
    DaemonProcess daemon(HOTLINED_PATH, args);
    HttpClient client(daemon.port());
    for (const std::string phone : {"13800138000", "+86 138-0013-8000", "0086 138 0013 8000", "13900139000"}) {
      const auto r = client.post("/v1/tickets", intake_with_phone(phone));
      REQUIRE(r.status == 201);
      const auto body = json::parse(r.body);
      ids.push_back(str(body.at("id")));
      INFO(phone << ": " << r.body);
      const auto& history = body.at("caller_history");
      if (phone == "13900139000") {
        CHECK(history.at("count").as_int64() == 0);  // another caller
        continue;
      }
      // The same caller each time: the earlier tickets, newest first, this one not among them.
      std::vector<std::string> earlier(ids.rbegin() + 1, ids.rend());
      CHECK(history.at("count").as_int64() == static_cast<std::int64_t>(earlier.size()));
      CHECK(ids_of(history.at("tickets")) == earlier);
    }
    // Without a phone there is no history to give.
    const auto anonymous = client.post("/v1/tickets", R"({"content":"小区门口路灯不亮"})");
    REQUIRE(anonymous.status == 201);
    CHECK_FALSE(json::parse(anonymous.body).as_object().contains("caller_history"));

    const std::vector<std::string> same_caller{ids[2], ids[1], ids[0]};  // newest first
    CHECK(found_by_phone(client, "%2B86%20138%200013%208000") == same_caller);
    CHECK(found_by_phone(client, "138-0013-8000") == same_caller);
    CHECK(found_by_phone(client, "13900139000") == std::vector<std::string>{ids[3]});
    CHECK(found_by_phone(client, "13700137000").empty());
    const auto bad = client.get("/v1/tickets?phone=call%20me");
    CHECK(bad.status == 400);
    CHECK(json::parse(bad.body).at("field") == "phone");
    CHECK(daemon.stop(SIGTERM) == 0);
  }
  // The number is kept as the caller gave it, but only its keyed hash is indexed.
  CHECK(hotline::test::query_ints(db, "SELECT count(*) FROM tickets WHERE caller_key LIKE '%13800138000%'") ==
        std::vector<std::int64_t>{0});

  // Tickets stored before callers were keyed (as an upgraded database has them) are keyed at the next start.
  hotline::test::run_sql(db, "UPDATE tickets SET caller_key = NULL");
  DaemonProcess daemon(HOTLINED_PATH, args);
  REQUIRE(daemon.wait_for_output(R"(4 earlier ticket\(s\) keyed by caller phone)"));
  HttpClient client(daemon.port());
  CHECK(found_by_phone(client, "13800138000") == std::vector<std::string>{ids[2], ids[1], ids[0]});
  CHECK(daemon.stop(SIGTERM) == 0);
}
