// End-to-end: the rule authors' command-line tools on the shipped rules.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "support/e2e.hpp"

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A copy of the e2e rules in `dir`, with `cases` (a golden case file's YAML) as its golden cases when given.
std::string copy_of_e2e_rules(const TempDir& dir, const std::string& cases = "") {
  const auto rules = dir.path() + "/rules";
  std::filesystem::copy(E2E_RULES_DIR, rules, std::filesystem::copy_options::recursive);
  if (!cases.empty()) {
    std::filesystem::create_directories(rules + "/tests");
    std::ofstream(rules + "/tests/one.yaml") << cases;
  }
  return rules;
}

}  // namespace

TEST_CASE("hotlinectl route explains the README example and survives bad lines", "[e2e][tools]") {
  const auto r = run_command(HOTLINECTL_PATH, {"route", "--rules", SHIPPED_RULES_DIR, "--explain"},
                             "{\"content\":\"漳浦县绥安镇某小区物业乱收停车费\"}\n"
                             "not json\n"
                             "\n"
                             "{\"content\":\"龙文区工地半夜施工噪音吵得睡不着\",\"type\":\"投诉\"}\n"
                             "{\"type\":\"投诉\"}\n");
  CHECK(r.status == 0);
  const auto out = lines_of(r.out);
  REQUIRE(out.size() == 4);
  const auto first = json::parse(out[0]).as_object();
  CHECK(first.at("area").at("code") == "350623100");
  CHECK(first.at("category").at("inferred") == true);
  CHECK(json::value_to<std::string>(first.at("unit").at("id")).starts_with("350623"));
  CHECK_FALSE(first.at("explain").as_array().empty());
  CHECK(json::parse(out[1]).at("line") == 2);
  CHECK(json::parse(out[1]).at("error").at("type") == "urn:hotline:problem:malformed-json");
  CHECK(json::parse(out[2]).at("area").at("code") == "350603");
  CHECK(json::parse(out[3]).at("line") == 5);
  CHECK(r.err.find("2 bad line(s)") != std::string::npos);
}

TEST_CASE("rules diff reports exactly the tickets a changed rule reroutes", "[e2e][tools]") {
  TempDir dir;
  const std::string changed = dir.path() + "/rules";
  std::filesystem::copy(SHIPPED_RULES_DIR, changed, std::filesystem::copy_options::recursive);
  const std::string file = changed + "/dispatch/01-urban-construction.yaml";
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  // streetlight-central sends central-district lamps to the district 城管局; send them to the city's instead.
  const std::regex central(R"((- id: streetlight-central\n(?:.*\n)*?    lead: )\{kind: 城市管理局, level: county\})");
  REQUIRE(std::regex_search(yaml, central));
  yaml = std::regex_replace(yaml, central, "$1 3506.cgj", std::regex_constants::format_first_only);
  std::ofstream(file) << yaml;

  std::string tickets;
  for (int i = 0; i < 5; ++i) {  // central districts: rerouted
    tickets += R"({"content":"路灯不亮)" + std::to_string(i) +
               R"(","category":"010101","area":"350602"})"
               "\n";
  }
  for (int i = 0; i < 3; ++i) {  // elsewhere: unchanged
    tickets += R"({"content":"路灯不亮","category":"010101","area":"350623100"})"
               "\n";
  }
  tickets += R"({"content":"老板拖欠工资三个月","area":"350603"})"
             "\n";
  tickets += "broken line\n";
  const auto r = run_command(HOTLINECTL_PATH, {"rules", "diff", SHIPPED_RULES_DIR, changed}, tickets);
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("9 ticket(s) routed, 5 route differently, 1 bad line(s) skipped\n  skipped line 10: ") !=
        std::string::npos);
  CHECK(r.out.find("5  350602.cgj 芗城区城市管理局 [streetlight-central]\n   → 3506.cgj 漳州市城市管理局 "
                   "[streetlight-central]") != std::string::npos);
  CHECK(r.out.find("line 1: 路灯不亮0") != std::string::npos);
  CHECK(r.out.find("line 4:") == std::string::npos);  // three examples per group by default

  // Input of which no line is a ticket compares nothing: that is a failure, not "0 route differently".
  const auto none = run_command(HOTLINECTL_PATH, {"rules", "diff", SHIPPED_RULES_DIR, changed},
                                "{\"id\":1,\"content\":\"路灯不亮\"}\nnot json\n");
  CHECK(none.status == 1);
  CHECK(none.out.find("0 ticket(s) routed, 0 route differently, 2 bad line(s) skipped") != std::string::npos);
  CHECK(none.err.find("none of the 2 line(s) is a ticket") != std::string::npos);
}

TEST_CASE("the shipped rules check clean and have at least 1,300 units", "[e2e][tools]") {
  const auto r = run_command(HOTLINECTL_PATH, {"rules", "check", SHIPPED_RULES_DIR});
  CHECK(r.status == 0);
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, std::regex(R"(OK — (\d+) units)")));
  CHECK(std::stoi(m[1]) >= 1300);
  CHECK(r.err.find("error:") == std::string::npos);
}

TEST_CASE("rules check refuses what hotlined refuses: the time limits and the calendar too", "[e2e][tools]") {
  TempDir dir;
  const auto rules = copy_of_e2e_rules(dir);
  std::ofstream(rules + "/time_limits.yaml", std::ios::app) << "bogus: 1\n";
  const auto r = run_command(HOTLINECTL_PATH, {"rules", "check", rules});
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK(r.err.find("time_limits.yaml") != std::string::npos);
  CHECK(r.err.find("unknown key 'bogus'") != std::string::npos);
  CHECK(r.out.find("OK") == std::string::npos);
  const auto daemon = run_command(HOTLINED_PATH, {"--check-config", "--rules", rules});
  CHECK(daemon.status == 1);
}

TEST_CASE("hotlined --check-config fails on rules whose golden cases fail, as a reload would", "[e2e][tools]") {
  TempDir dir;
  const auto rules =
      copy_of_e2e_rules(dir,
                        "cases:\n  - ticket: {content: 路灯不亮, category: \"010101\", area: \"350602\"}\n"
                        "    expect: {unit: 350623.cgj}\n");
  const auto r = run_command(HOTLINED_PATH, {"--check-config", "--rules", rules});
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK(r.err.find("fail 1 golden case(s)") != std::string::npos);
  CHECK(r.out.find("OK") == std::string::npos);
  std::filesystem::remove(rules + "/tests/one.yaml");
  CHECK(run_command(HOTLINED_PATH, {"--check-config", "--rules", rules}).status == 0);
}

TEST_CASE("rules test lists each failing case, and says when the case names what the rules lack", "[e2e][tools]") {
  TempDir dir;
  const auto rules = copy_of_e2e_rules(dir,
                                       "cases:\n"
                                       "  - ticket: {content: 路灯不亮, category: \"010101\", area: \"350602\"}\n"
                                       "    expect: {unit: 350602.cgj}\n"
                                       "  - ticket: {content: 路灯不亮, category: \"010101\", area: \"350602\"}\n"
                                       "    expect: {unit: 350602005.gvo, rule: street-vendng}\n");
  const auto r = run_command(HOTLINECTL_PATH, {"rules", "test", rules});
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  const auto all = r.out + r.err;
  CHECK(all.find("one.yaml:4: unit: expected 350602005.gvo, got 350602.cgj") != std::string::npos);
  CHECK(all.find("the case itself is wrong: no unit '350602005.gvo' in these rules; no rule 'street-vendng' in "
                 "these rules") != std::string::npos);
  CHECK(all.find("one.yaml:2:") == std::string::npos);  // the first case passes
}

TEST_CASE("rules check --strict fails on warnings", "[e2e][tools]") {
  TempDir dir;
  std::filesystem::copy(E2E_RULES_DIR, dir.path() + "/rules", std::filesystem::copy_options::recursive);
  std::ofstream(dir.path() + "/rules/zz-dup.yaml")
      << "rules:\n  - id: twin\n    when: {keywords: [路灯]}\n    lead: 3506.cgj\n";
  const auto lax = run_command(HOTLINECTL_PATH, {"rules", "check", dir.path() + "/rules"});
  CHECK(lax.status == 0);
  CHECK(lax.err.find("rule 'twin' can never win: rule 'streetlight-keyword'") != std::string::npos);
  CHECK(run_command(HOTLINECTL_PATH, {"rules", "check", "--strict", dir.path() + "/rules"}).status == 1);
}
