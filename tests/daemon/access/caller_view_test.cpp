// Who is shown a ticket's caller: every role against a confidential and an ordinary ticket.
#include "daemon/access/caller_view.hpp"

#include <catch2/catch.hpp>
#include <tuple>

using hotline::daemon::caller_view;
using hotline::daemon::CallerRole;
using hotline::daemon::CallerView;

TEST_CASE("a confidential ticket's caller is withheld from unit tokens only; an ordinary one is shown to all",
          "[daemon][access][confidential]") {
  const std::tuple<CallerRole, bool, CallerView> table[] = {
      {CallerRole::operator_, false, CallerView::shown},  {CallerRole::operator_, true, CallerView::shown},
      {CallerRole::supervisor, false, CallerView::shown}, {CallerRole::supervisor, true, CallerView::shown},
      {CallerRole::admin, false, CallerView::shown},      {CallerRole::admin, true, CallerView::shown},
      {CallerRole::local, false, CallerView::shown},      {CallerRole::local, true, CallerView::shown},
      {CallerRole::unit, false, CallerView::shown},       {CallerRole::unit, true, CallerView::withheld},
  };
  for (const auto& [role, confidential, expected] : table) {
    INFO(hotline::daemon::to_string(role) << (confidential ? " confidential" : " ordinary"));
    CHECK(caller_view(role, confidential) == expected);
  }
  CHECK(hotline::daemon::to_string(CallerView::withheld) == "withheld");
}
