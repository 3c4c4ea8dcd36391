// End-to-end: the knowledge base is searched over HTTP, offered beside a consultation's routing decision, and
// cited by a direct answer; an entry past its date is neither offered nor citable.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/e2e.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> ids_of(const json::value& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries.as_array()) out.push_back(str(e.at("id")));
  return out;
}

// The shipped rules plus an entry whose date has passed.
std::string rules_with_expired_entry(const TempDir& dir) {
  const std::string rules = dir.path() + "/rules";
  fs::copy(SHIPPED_RULES_DIR, rules, fs::copy_options::recursive);
  std::ofstream(rules + "/knowledge/expired.yaml", std::ios::binary) << R"(knowledge:
  - id: kb-old-subsidy
    matter: "080206"
    question: 旧版社保卡换卡补贴怎么领？
    keywords: [换卡补贴]
    answer: 已停止发放。
    source: 已废止的通知
    valid_until: "2020-12-31"
)";
  return rules;
}

}  // namespace

TEST_CASE("the knowledge base is searched, suggested for consultations and cited by a direct answer",
          "[e2e][knowledge]") {
  TempDir dir;
  const auto rules = rules_with_expired_entry(dir);
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--listen", "127.0.0.1:0", "--database", dir.path() + "/h.db", "--rules", rules});
  HttpClient client(daemon.port());

  // Search: the matching entries with what matched; the expired one is never offered.
  const auto found = client.get("/v1/kb?q=%E7%A4%BE%E4%BF%9D%E5%8D%A1%E4%B8%A2%E4%BA%86");  // 社保卡丢了
  REQUIRE(found.status == 200);
  const auto body = json::parse(found.body);
  REQUIRE(ids_of(body.at("entries")) == std::vector<std::string>{"kb-social-security-card"});
  const auto& entry = body.at("entries").at(0);
  CHECK(str(entry.at("matter")) == "080206");
  CHECK(str(entry.at("matter_name")) == "社保卡");
  CHECK(entry.at("matched").as_array().size() == 1);
  CHECK_FALSE(str(entry.at("answer")).empty());
  CHECK_FALSE(str(entry.at("source")).empty());
  CHECK(ids_of(json::parse(client.get("/v1/kb?q=%E6%8D%A2%E5%8D%A1%E8%A1%A5%E8%B4%B4").body).at("entries")).empty());
  // Bad queries name the parameter.
  for (const std::string bad :
       {"/v1/kb", "/v1/kb?q=", "/v1/kb?q=x&limit=0", "/v1/kb?q=x&matter=abc", "/v1/kb?q=x&color=red", "/v1/kb?q=%01"}) {
    INFO(bad);
    CHECK(client.get(bad).status == 400);
  }

  // A consultation gets the entries beside its routing decision, in explain and at intake; a complaint does not.
  const std::string question = R"({"type":"consultation","content":"请问新生儿上户口要带什么材料？"})";
  const auto explained = client.post("/v1/route/explain", question);
  REQUIRE(explained.status == 200);
  CHECK(ids_of(json::parse(explained.body).at("knowledge")).at(0) == "kb-household-registration");
  const auto taken = client.post("/v1/tickets", question);
  REQUIRE(taken.status == 201);
  CHECK(ids_of(json::parse(taken.body).at("knowledge")).at(0) == "kb-household-registration");
  const auto complaint =
      client.post("/v1/tickets", R"({"type":"complaint","content":"新生儿上户口被派出所拖了三个月"})");
  REQUIRE(complaint.status == 201);
  CHECK_FALSE(json::parse(complaint.body).as_object().contains("knowledge"));

  // Answered on the spot citing the entry: its answer stands in, and the event names the entry.
  const auto answered = client.post("/v1/tickets", R"({"type":"consultation","content":"居住证怎么办理",
      "disposition":"answered_directly","kb":"kb-residence-permit"})");
  REQUIRE(answered.status == 201);
  const auto id = str(json::parse(answered.body).at("id"));
  const auto view = json::parse(client.get("/v1/tickets/" + id).body);
  bool cited = false;
  for (const auto& e : view.at("events").as_array()) {
    if (str(e.at("kind")) != "answered_directly") continue;
    const auto& data = e.at("payload");
    cited = str(data.at("kb")) == "kb-residence-permit" && str(data.at("answer")).find("居住证") != std::string::npos;
  }
  CHECK(cited);

  // Citing an unknown entry, an expired one, or citing without a direct answer: refused, nothing written.
  const auto before = json::parse(client.get("/v1/tickets?limit=500").body).at("items").as_array().size();
  const auto refused = [&](const std::string& request) {
    const auto r = client.post("/v1/tickets", request);
    INFO(r.body);
    CHECK(r.status == 400);
    return str(json::parse(r.body).at("field"));
  };
  CHECK(refused(R"({"content":"问题","disposition":"answered_directly","kb":"kb-nothing"})") == "kb");
  CHECK(refused(R"({"content":"问题","disposition":"answered_directly","kb":"kb-old-subsidy"})") == "kb");
  CHECK(refused(R"({"content":"问题","kb":"kb-residence-permit"})") == "kb");
  CHECK(json::parse(client.get("/v1/tickets?limit=500").body).at("items").as_array().size() == before);
}
