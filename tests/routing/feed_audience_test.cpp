#include "routing/feed_audience.hpp"

#include <catch2/catch.hpp>

using hotline::routing::Event;
using hotline::routing::feed_audience;
using hotline::routing::feed_summary;

namespace {

struct Row {
  const char* kind;
  const char* unit;
  std::map<std::string, std::string> data;
  std::vector<std::string> audience;
  bool whole_case;
};

Event event(const Row& r) {
  Event e;
  e.kind = r.kind;
  e.unit = r.unit;
  e.data = r.data;
  return e;
}

}  // namespace

TEST_CASE("each event kind reaches the units it concerns", "[feed]") {
  const std::vector<Row> table{
      {"dispatched", "350602.cgj", {{"unit", "350602.cgj"}, {"lead", "true"}}, {"350602.cgj"}, false},
      {"dispatched", "350602.sw", {{"unit", "350602.sw"}, {"lead", "false"}}, {"350602.sw"}, false},
      {"passed_down", "350602.gov", {{"child", "350602.sl"}, {"previous_handler", ""}}, {"350602.sl"}, false},
      {"passed_down",
       "350602.gov",
       {{"child", "350602.sl"}, {"previous_handler", "350602.xq"}},
       {"350602.sl", "350602.xq"},
       false},
      {"return_approved",
       "350602.cgj",
       {{"previous_lead", "350602.cgj"}, {"new_lead", "350602.sw"}},
       {"350602.cgj"},
       false},
      {"return_declined", "350602.cgj", {{"note", "yours"}}, {"350602.cgj"}, false},
      {"extension_approved", "350602.cgj", {{"working_days", "2"}}, {"350602.cgj"}, false},
      {"extension_declined", "350602.cgj", {{"note", "no"}}, {"350602.cgj"}, false},
      {"reply_approved", "350602.cgj", {}, {"350602.cgj"}, false},
      {"reply_rejected", "350602.cgj", {{"note", "incomplete"}}, {"350602.cgj"}, false},
      {"followed_up", "350602.cgj", {{"satisfaction", "unsatisfied"}}, {"350602.cgj"}, false},
      {"redo", "350602.cgj", {}, {"350602.cgj"}, false},
      {"urged", "350602.cgj", {}, {"350602.cgj"}, false},
      {"urged", "", {}, {}, true},
      {"supervised", "350602.cgj", {}, {"350602.cgj"}, false},
      {"supervised", "", {}, {}, true},
      {"warned", "350602.cgj", {{"stage", "yellow"}, {"clock", "reply"}}, {"350602.cgj"}, false},
      {"stage_red", "350602.cgj", {{"clock", "sign_for"}}, {"350602.cgj"}, false},
      {"stage_supervise", "350602.cgj", {}, {"350602.cgj"}, false},
      {"deadline_recomputed", "350602.cgj", {{"clock", "reply"}}, {"350602.cgj"}, false},
      {"closed", "", {}, {}, true},
      {"merged", "", {{"into", "ZZ1"}}, {}, true},
      {"unmerged", "", {{"from", "ZZ1"}}, {}, true},
      {"master_replied", "", {{"master", "ZZ1"}, {"text", "done"}}, {}, true},
      {"received", "", {}, {}, false},
      {"signed_for", "350602.cgj", {}, {}, false},
      {"replied", "350602.cgj", {{"text", "done"}}, {}, false},
      {"return_requested", "350602.cgj", {}, {}, false},
      {"extension_requested", "350602.cgj", {}, {}, false},
      {"not_accepted", "", {}, {}, false},
      {"answered_directly", "", {}, {}, false},
      {"some_future_notice", "350602.cgj", {}, {"350602.cgj"}, false},
      {"some_future_notice", "", {}, {}, false},
  };
  for (const auto& row : table) {
    INFO(row.kind << " unit=" << row.unit);
    const auto a = feed_audience(event(row));
    CHECK(a.units == row.audience);
    CHECK(a.whole_case == row.whole_case);
    // The outcomes of what a unit asked or replied also reach the unit it passed the case down to.
    const std::string kind = row.kind;
    CHECK(a.handler_too == (kind == "return_approved" || kind == "return_declined" || kind == "extension_approved" ||
                            kind == "extension_declined" || kind == "reply_approved" || kind == "reply_rejected" ||
                            kind == "followed_up" || kind == "redo"));
  }
}

TEST_CASE("summaries name what happened in one line", "[feed]") {
  CHECK(feed_summary(event({"dispatched", "350602.cgj", {{"lead", "true"}}, {}, false})) ==
        "dispatched to 350602.cgj as lead unit");
  CHECK(feed_summary(event({"dispatched", "350602.sw", {{"lead", "false"}}, {}, false})) ==
        "dispatched to 350602.sw as co-handling unit");
  CHECK(feed_summary(event({"return_declined", "u", {{"note", "it is yours"}}, {}, false})) ==
        "return declined: it is yours");
  CHECK(feed_summary(event({"extension_approved", "u", {{"working_days", "3"}}, {}, false})) ==
        "extension of 3 working day(s) approved");
  CHECK(feed_summary(event({"stage_yellow", "u", {{"clock", "reply"}}, {}, false})) ==
        "yellow stage on the reply clock");
  CHECK(feed_summary(event({"brand_new", "u", {}, {}, false})) == "brand_new");
}
