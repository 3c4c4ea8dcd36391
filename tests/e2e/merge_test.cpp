// End-to-end: merging tickets (并案) over HTTP with real tokens — a merge only into an open ticket that exists and
// is not merged itself (also at intake), the master listing what was merged into it, the master's approved reply
// reaching every ticket merged into it with its own follow-up, and an operator's unmerge the same day. Ends with
// the event log rebuilding every state (hotlinectl db verify).
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/e2e.hpp"

namespace {

constexpr const char* k_lamp = R"({"content":"胜利路路灯不亮","category":"010101","area":"350602"})";

struct Merging {
  TempDir dir;
  std::string db = dir.path() + "/h.db";
  std::string op = make_token(db, "operator");
  std::string cgj = make_token(db, "unit", "350602.cgj");
  DaemonProcess daemon{HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR}};
  HttpClient client{daemon.port()};

  std::string post(const std::string& body = k_lamp) {
    const auto res = client.request("POST", "/v1/tickets", body, op);
    REQUIRE(res.status == 201);
    return str(json::parse(res.body).at("id"));
  }
  HttpResult act(const std::string& token, const std::string& id, const std::string& action,
                 const std::string& body = "{}") {
    return client.request("POST", "/v1/tickets/" + id + "/" + action, body, token);
  }
  HttpResult merge(const std::string& id, const std::string& into) {
    return act(op, id, "merge", R"({"into":")" + into + R"("})");
  }
  json::object view(const std::string& id) {
    const auto res = client.request("GET", "/v1/tickets/" + id, "", op);
    REQUIRE(res.status == 200);
    return json::parse(res.body).as_object();
  }
  std::string state(const std::string& id) { return str(view(id).at("case").at("state")); }
  std::vector<std::string> merged_list(const std::string& id) {
    std::vector<std::string> out;
    const auto v = view(id);
    if (const auto* merged = v.at("case").as_object().if_contains("merged")) {
      for (const auto& m : merged->as_array()) out.push_back(str(m));
    }
    return out;
  }
  // The payloads of the ticket's events of `kind`, in order.
  std::vector<json::object> events_of(const std::string& id, const std::string& kind) {
    std::vector<json::object> out;
    const auto v = view(id);
    for (const auto& e : v.at("events").as_array()) {
      if (e.at("kind") == kind.c_str()) out.push_back(e.at("payload").as_object());
    }
    return out;
  }
  // Takes ticket `id` (led by 350602.cgj) to an approved reply.
  void reply_approved(const std::string& id, const std::string& text) {
    REQUIRE(act(cgj, id, "sign_for").status == 200);
    REQUIRE(act(cgj, id, "reply", R"({"text":")" + text + R"("})").status == 200);
    REQUIRE(act(op, id, "review_reply", R"({"decision":"approve"})").status == 200);
  }
};

std::string problem_type(const HttpResult& r) {
  return str(json::parse(r.body).at("type"));
}

}  // namespace

TEST_CASE("merge is refused into an unknown, closed or merged ticket and writes nothing", "[e2e][merge]") {
  Merging m;
  const auto master = m.post();
  const auto dup = m.post();
  const auto other = m.post();
  const auto closed = m.post();
  m.reply_approved(closed, "已修复");
  REQUIRE(m.act(m.op, closed, "follow_up", R"({"satisfaction":"satisfied","resolution":"resolved"})").status == 200);
  REQUIRE(m.state(closed) == "closed");

  const auto unknown = m.merge(dup, "ZZ20990101999999");
  CHECK(unknown.status == 422);
  CHECK(problem_type(unknown) == "urn:hotline:problem:invalid-action");
  CHECK(json::parse(unknown.body).at("detail").as_string().find("ZZ20990101999999") != json::string::npos);
  CHECK(m.merge(dup, dup).status == 422);
  const auto into_closed = m.merge(dup, closed);
  CHECK(into_closed.status == 409);
  CHECK(problem_type(into_closed) == "urn:hotline:problem:wrong-state");

  REQUIRE(m.merge(other, master).status == 200);
  const auto into_merged = m.merge(dup, other);
  CHECK(into_merged.status == 409);
  CHECK(problem_type(into_merged) == "urn:hotline:problem:wrong-state");
  // A master is not merged away: the tickets merged into it would follow a ticket that never replies.
  const auto master_away = m.merge(master, dup);
  CHECK(master_away.status == 409);
  CHECK(problem_type(master_away) == "urn:hotline:problem:wrong-state");
  CHECK(json::parse(master_away.body).at("detail").as_string().find(other) != json::string::npos);
  CHECK(m.state(master) == "awaiting_sign_for");
  CHECK(m.events_of(master, "merged").empty());
  CHECK(m.events_of(dup, "merge_received").empty());

  // Nothing was written for a refusal: not on the ticket, not on the would-be masters.
  CHECK(m.state(dup) == "awaiting_sign_for");
  CHECK(m.events_of(dup, "merged").empty());
  CHECK(m.events_of(closed, "merge_received").empty());
  CHECK(m.events_of(other, "merge_received").empty());
  CHECK(m.merged_list(closed).empty());

  // The same rule at intake.
  const auto intake = [&](const std::string& into) {
    return m.client.request("POST", "/v1/tickets",
                            R"({"content":"胜利路路灯不亮","disposition":"merged","merged_into":")" + into + R"("})",
                            m.op);
  };
  CHECK(intake("ZZ20990101999999").status == 422);
  CHECK(intake(closed).status == 409);
  CHECK(intake(other).status == 409);
  const auto taken = intake(master);
  REQUIRE(taken.status == 201);
  const auto at_intake = str(json::parse(taken.body).at("id"));
  CHECK(m.merged_list(master) == std::vector<std::string>{other, at_intake});
  CHECK(m.daemon.stop(SIGTERM) == 0);
  const auto verified = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", m.db});
  INFO(verified.out << verified.err);
  CHECK(verified.status == 0);
}

TEST_CASE("a master lists its merged tickets, its reply reaches them, and an unmerge the same day restores one",
          "[e2e][merge]") {
  Merging m;
  const auto master = m.post();
  const auto dup = m.post();
  const auto mistaken = m.post();
  REQUIRE(m.act(m.cgj, mistaken, "sign_for").status == 200);

  // A good merge: the ticket is merged, the master lists it and has an event for it.
  const auto merged = m.merge(dup, master);
  REQUIRE(merged.status == 200);
  CHECK(str(json::parse(merged.body).at("state")) == "merged");
  CHECK(m.merged_list(master) == std::vector<std::string>{dup});
  const auto received = m.events_of(master, "merge_received");
  REQUIRE(received.size() == 1);
  CHECK(received[0].at("ticket") == dup.c_str());

  // A mistaken merge, undone the same day by an operator: the ticket is back as it was.
  REQUIRE(m.merge(mistaken, master).status == 200);
  CHECK(m.merged_list(master) == std::vector<std::string>{dup, mistaken});
  CHECK(m.act(m.cgj, mistaken, "unmerge").status == 403);
  const auto undone = m.act(m.op, mistaken, "unmerge", R"({"note":"不是同一盏路灯"})");
  REQUIRE(undone.status == 200);
  CHECK(str(json::parse(undone.body).at("state")) == "in_progress");
  CHECK(m.state(mistaken) == "in_progress");
  CHECK_FALSE(m.view(mistaken).at("case").as_object().contains("merged_into"));
  CHECK(m.merged_list(master) == std::vector<std::string>{dup});
  const auto undone_on_master = m.events_of(master, "merge_undone");
  REQUIRE(undone_on_master.size() == 1);
  CHECK(undone_on_master[0].at("ticket") == mistaken.c_str());
  CHECK(m.act(m.op, mistaken, "unmerge").status == 409);  // not merged any more
  // Its unit goes on with it.
  CHECK(m.act(m.cgj, mistaken, "reply", R"({"text":"已处理"})").status == 200);

  // The master's approved reply reaches the merged ticket, which is then followed up like any other.
  m.reply_approved(master, "已更换灯具，恢复照明");
  CHECK(m.state(dup) == "awaiting_follow_up");
  const auto dup_case = m.view(dup).at("case").as_object();
  CHECK(dup_case.at("master_reply") == "已更换灯具，恢复照明");
  CHECK(dup_case.contains("follow_up"));
  const auto replied = m.events_of(dup, "master_replied");
  REQUIRE(replied.size() == 1);
  CHECK(replied[0].at("master") == master.c_str());
  CHECK(m.events_of(mistaken, "master_replied").empty());  // unmerged: it does not follow the master
  CHECK(
      m.act(m.op, dup, "follow_up", R"({"satisfaction":"unsatisfied","resolution":"unresolved","redo":true})").status ==
      422);  // a redo is ordered on the master
  CHECK(m.state(dup) == "awaiting_follow_up");
  const auto followed = m.act(m.op, dup, "follow_up", R"({"satisfaction":"satisfied","resolution":"resolved"})");
  REQUIRE(followed.status == 200);
  CHECK(str(json::parse(followed.body).at("state")) == "closed");

  // A ticket merged into a master whose reply is approved already follows it at once.
  const auto late = m.post();
  const auto late_merge = m.merge(late, master);
  REQUIRE(late_merge.status == 200);
  CHECK(str(json::parse(late_merge.body).at("state")) == "awaiting_follow_up");
  CHECK(m.view(late).at("case").at("master_reply") == "已更换灯具，恢复照明");

  CHECK(m.daemon.stop(SIGTERM) == 0);
  const auto verified = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", m.db});
  INFO(verified.out << verified.err);
  CHECK(verified.status == 0);
  CHECK(verified.out.find(" 0 difference(s)") != std::string::npos);
}
