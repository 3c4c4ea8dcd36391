// Messages to citizens: the `sms:` section's templates (checked when the rules compile), their rendering, the reply
// summary, and which events send which message.
#include "routing/citizen_messages.hpp"

#include <catch2/catch.hpp>

#include "routing/rule_set.hpp"
#include "tests/routing/compile_errors.hpp"

using namespace hotline::routing;

namespace {

const char* k_base = R"(fallback: desk
units:
  - {id: desk, name: 派单中心, kind: 热线派单中心, level: city, areas: ["3506"]}
)";

SourceFile file(std::string path, std::string text) {
  SourceFile f;
  f.path = std::move(path);
  f.text = std::move(text);
  return f;
}

Event event(std::string kind) {
  Event e;
  e.kind = std::move(kind);
  return e;
}

}  // namespace

TEST_CASE("templates are rendered with the signature first and every placeholder filled", "[routing][sms]") {
  CitizenTemplates t;
  t.signature = "【12345】";
  t.reply_chars = 10;
  t.text[0] = "工单{ticket}已受理，查询码{code}。";
  t.text[1] = "{ticket}由{unit}办结：{reply}";
  const MessageFields f{"ZZ1", "123456", "城管局", "路灯已经修好了，感谢您的来电和监督"};
  CHECK(t.render(CitizenMessage::accepted, f) == "【12345】工单ZZ1已受理，查询码123456。");
  CHECK(t.render(CitizenMessage::replied, f) == "【12345】ZZ1由城管局办结：路灯已经修好了，感谢…");
  CHECK_FALSE(t.render(CitizenMessage::follow_up, f));  // no template: not sent
}

TEST_CASE("a reply summary folds white space and is cut at a code point with an ellipsis", "[routing][sms]") {
  CHECK(summarize("路灯已修复", 5) == "路灯已修复");  // exactly the limit: not cut
  CHECK(summarize("路灯已修复了", 5) == "路灯已修复…");
  CHECK(summarize("  已处理\n\n  谢谢 ", 20) == "已处理 谢谢");
  CHECK(summarize("abc def", 4) == "abc…");  // the cut falls on the space: dropped with it
  CHECK(summarize("", 10).empty());
}

TEST_CASE("a template may use only its own placeholders", "[routing][sms]") {
  CHECK_FALSE(CitizenTemplates::check(CitizenMessage::accepted, "工单{ticket}，查询码{code}"));
  CHECK(CitizenTemplates::check(CitizenMessage::follow_up, "查询码{code}")->find("{ticket}, {unit}") !=
        std::string::npos);
  CHECK(CitizenTemplates::check(CitizenMessage::replied, "答复{reply")->find("never closed") != std::string::npos);
  CHECK(CitizenTemplates::check(CitizenMessage::replied, "").has_value());
}

TEST_CASE("intake sends 受理, an approved reply 办结 then 回访, a refusal nothing", "[routing][sms]") {
  using M = CitizenMessage;
  CHECK(messages_for({event("received"), event("dispatched")}) == std::vector<M>{M::accepted});
  CHECK(messages_for({event("received"), event("not_accepted")}).empty());
  CHECK(messages_for({event("reply_approved")}) == std::vector<M>{M::replied, M::follow_up});
  CHECK(messages_for({event("master_replied")}) == std::vector<M>{M::replied, M::follow_up});
  CHECK(messages_for({event("signed_for"), event("replied"), event("reply_rejected")}).empty());
}

TEST_CASE("the sms section is read from the rules and checked with file and line", "[routing][sms]") {
  const std::string sms = R"(sms:
  signature: 【漳州12345】
  reply_chars: 30
  templates:
    accepted: 工单{ticket}已受理，查询码{code}
    follow_up: 请评价工单{ticket}
)";
  const auto r = RuleSet::compile({file("a.yaml", k_base), file("messages/sms.yaml", sms)});
  REQUIRE(r.rule_set);
  const auto& t = r.rule_set->citizen_messages();
  CHECK(t.signature == "【漳州12345】");
  CHECK(t.reply_chars == 30);
  CHECK(t.text[0] == "工单{ticket}已受理，查询码{code}");
  CHECK_FALSE(t.text[1]);
  CHECK(t.text[2] == "请评价工单{ticket}");

  // Without a section: no templates, nothing is sent.
  CHECK(RuleSet::compile({file("a.yaml", k_base)}).rule_set->citizen_messages().empty());

  const auto bad =
      compile_errors({file("a.yaml", k_base), file("m.yaml", "sms:\n  templates:\n    replied: 答复{code}\n"),
                      file("n.yaml", "sms:\n  reply_chars: 5\n")});
  INFO(bad);
  CHECK(bad.find("m.yaml:3:14: error: sms template replied uses {code}") != std::string::npos);
  CHECK(bad.find("n.yaml:2:3: error: sms is given twice (first at m.yaml:2)") != std::string::npos);
  const auto unknown =
      compile_errors({file("a.yaml", k_base), file("m.yaml", "sms:\n  reply_chars: 5\n  templates:\n    later: x\n")});
  INFO(unknown);
  CHECK(unknown.find("m.yaml:2:16: error: sms reply_chars must be 10 to 500, not 5") != std::string::npos);
  CHECK(unknown.find("m.yaml:4:5") != std::string::npos);  // no such message
}
