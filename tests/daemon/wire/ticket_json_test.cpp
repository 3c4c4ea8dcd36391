#include "daemon/wire/ticket_json.hpp"

#include <catch2/catch.hpp>

using namespace hotline::daemon;
using hotline::routing::RuleSet;

namespace {

const RuleSet& rules() {
  static const auto compiled = RuleSet::compile({{"r.yaml",
                                                  "fallback: desk\n"
                                                  "units: [{id: desk, name: 派单中心}]\n"
                                                  "divisions: [{code: \"350602\", name: 芗城区}]\n"
                                                  "matters: [{code: \"01\", name: 城建}]\n",
                                                  ""}});
  return *compiled.rule_set;
}

Problem problem(std::string_view body) {
  auto r = parse_intake(body, rules());
  REQUIRE(std::holds_alternative<Problem>(r));
  return std::get<Problem>(r);
}

}  // namespace

TEST_CASE("a full intake body is accepted with Chinese aliases", "[daemon][intake]") {
  auto r = parse_intake(R"({"content":"路灯不亮","type":"举报","urgency":"紧急","category":"01","area":"350602",)"
                        R"("address":"胜利路","channel":"web","caller":{"name":"李","phone":"+86 138-0000-0000"}})",
                        rules());
  REQUIRE(std::holds_alternative<IntakeRequest>(r));
  const auto& in = std::get<IntakeRequest>(r);
  CHECK(in.ticket.content == "路灯不亮");
  CHECK(in.ticket.type == hotline::routing::RequestType::report);
  CHECK(in.ticket.urgency == hotline::routing::Urgency::urgent);
  CHECK(in.ticket.area == "350602");
  CHECK(in.caller_phone == "+86 138-0000-0000");
}

TEST_CASE("only content is required, and type defaults to complaint", "[daemon][intake]") {
  auto r = parse_intake(R"({"content":"x","address":null})", rules());
  REQUIRE(std::holds_alternative<IntakeRequest>(r));
  CHECK(std::get<IntakeRequest>(r).ticket.type == hotline::routing::RequestType::complaint);
  CHECK_FALSE(std::get<IntakeRequest>(r).address);
}

TEST_CASE("each bad field is named in the problem", "[daemon][intake]") {
  const std::pair<const char*, const char*> table[] = {
      {R"({})", "content"},
      {R"({"content":""})", "content"},
      {R"({"content":["a"]})", "content"},
      {R"({"content":"a","type":1})", "type"},
      {R"({"content":"a","urgency":"now"})", "urgency"},
      {R"({"content":"a","area":"3506021234567"})", "area"},
      {R"({"content":"a","category":"02"})", "category"},
      {R"({"content":"a","caller":{"name":"a","mail":"x"}})", "caller.mail"},
      {R"({"content":"a","caller":{"phone":12}})", "caller.phone"},
      {R"({"content":"a","extra":true})", "extra"},
      {R"({"content":"a","confidential":"yes"})", "confidential"},
      {R"({"content":"a","confidential":1})", "confidential"},
  };
  for (const auto& [body, field] : table) {
    INFO(body);
    const auto p = problem(body);
    CHECK(p.status == 400);
    CHECK(p.field == field);
  }
  CHECK(problem("{\"content\":\"a\"").type == "malformed-json");
  CHECK(problem("{\"content\":\"\xc3\x28\"}").type == "invalid-utf8");
  CHECK(problem(R"("just a string")").type == "invalid-field");
}

TEST_CASE("problems render as RFC 9457 JSON", "[daemon][intake]") {
  const auto json = bad_field("content", "is required").to_json();
  CHECK(json == R"({"type":"urn:hotline:problem:invalid-field","title":"A field of the request is invalid",)"
                R"("status":400,"detail":"is required","field":"content"})");
}

TEST_CASE("confidential is a boolean at intake, false when left out", "[daemon][intake][confidential]") {
  auto yes = parse_intake(R"({"content":"x","confidential":true})", rules());
  REQUIRE(std::holds_alternative<IntakeRequest>(yes));
  CHECK(std::get<IntakeRequest>(yes).confidential);
  for (const char* body :
       {R"({"content":"x"})", R"({"content":"x","confidential":false})", R"({"content":"x","confidential":null})"}) {
    INFO(body);
    auto no = parse_intake(body, rules());
    REQUIRE(std::holds_alternative<IntakeRequest>(no));
    CHECK_FALSE(std::get<IntakeRequest>(no).confidential);
  }
}

TEST_CASE("a ticket view shows its caller, or only the confidential marker when the caller is withheld",
          "[daemon][wire][confidential]") {
  hotline::storage::StoredTicket t;
  t.id = "ZZ20261126000001";
  t.decision = "{}";
  t.caller_name = "李女士";
  t.caller_phone = "13800138000";
  t.confidential = true;
  const auto shown = ticket_to_json(t, true);
  CHECK(shown.at("confidential") == true);
  CHECK(shown.at("caller").at("name") == "李女士");
  CHECK(shown.at("caller").at("phone") == "13800138000");
  CHECK(carries_caller(t, true));

  const auto withheld = ticket_to_json(t, false);
  CHECK(withheld.at("confidential") == true);
  CHECK(withheld.at("caller") == boost::json::value(boost::json::object{{"confidential", true}}));
  CHECK(boost::json::serialize(withheld).find("13800138000") == std::string::npos);
  CHECK(boost::json::serialize(withheld).find("李女士") == std::string::npos);
  CHECK_FALSE(carries_caller(t, false));

  // A ticket without a caller shows nulls and is no read of caller data.
  t.caller_name.reset();
  t.caller_phone.reset();
  t.confidential = false;
  const auto none = ticket_to_json(t);
  CHECK(none.at("confidential") == false);
  CHECK(none.at("caller").at("phone").is_null());
  CHECK_FALSE(carries_caller(t, true));
}
