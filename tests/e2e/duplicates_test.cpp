// End-to-end: intake suggests an open ticket of the same matter and area with much the same words as a likely
// duplicate, with its similarity; another matter, other words or a merged ticket are not suggested.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/e2e.hpp"

namespace {

std::string intake(const std::string& content, const std::string& category, const std::string& extra = "") {
  return R"({"content":")" + content + R"(","category":")" + category + R"(","area":"350602")" + extra + "}";
}

std::vector<std::string> suggested(const json::value& body) {
  std::vector<std::string> out;
  if (const auto* d = body.as_object().if_contains("likely_duplicates")) {
    for (const auto& v : d->as_array()) {
      const double similarity = v.at("similarity").as_double();
      CHECK((similarity >= 0.5 && similarity <= 1.0));
      out.push_back(str(v.at("id")));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("intake suggests an open ticket of the same matter and area with much the same words", "[e2e][callers]") {
  TempDir dir;
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--listen", "127.0.0.1:0", "--database", dir.path() + "/h.db", "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  const auto take = [&](const std::string& body) {
    const auto r = client.post("/v1/tickets", body);
    INFO(r.body);
    REQUIRE(r.status == 201);
    return json::parse(r.body);
  };
  const std::string lamp = "胜利西路十二号小区门口的路灯坏了三个晚上，一到晚上漆黑一片，老人出门很不方便";
  const auto first = take(intake(lamp, "010101"));
  CHECK(suggested(first).empty());  // nothing before it
  const auto first_id = str(first.at("id"));

  // Another caller about the same lamp, in nearly the same words.
  const auto second = take(intake("胜利西路十二号小区门口路灯坏了三个晚上了，晚上漆黑一片，老人出门不方便", "010101"));
  CHECK(suggested(second) == std::vector<std::string>{first_id});
  // The same words under another matter, or other words under the same matter: not suggested.
  CHECK(suggested(take(intake(lamp, "010102"))).empty());
  CHECK(suggested(take(intake("延安南路的路灯杆被车撞歪了，随时可能倒下来", "010101"))).empty());

  // Merged into the first, the second is no longer open: only the first is suggested from now on.
  const auto merged = client.post("/v1/tickets/" + str(second.at("id")) + "/merge", R"({"into":")" + first_id + "\"}");
  REQUIRE(merged.status == 200);
  CHECK(suggested(take(intake(lamp, "010101"))) == std::vector<std::string>{first_id});
}
