#include "daemon/report/metrics.hpp"

#include <algorithm>

namespace hotline::report {
namespace {

constexpr std::array<std::string_view, k_metric_count> k_keys{"sign_for_rate", "on_time_rate",      "return_rate",
                                                              "redo_rate",     "satisfaction_rate", "resolution_rate",
                                                              "response_rate"};
constexpr std::array<std::string_view, k_metric_count> k_names{"及时签收率", "按时办结率", "回退率", "重办率",
                                                               "满意率",     "解决率",     "响应率"};

// A clock is settled at as-of when the act happened or the deadline passed (due < as-of: acting at the
// deadline instant itself is on time, and as-of is the first instant the report does not see).
bool settled(std::int64_t act_ms, std::int64_t due_ms, std::int64_t as_of_ms) {
  return act_ms != 0 || due_ms < as_of_ms;
}

bool rated(Satisfaction s) {
  return s == Satisfaction::satisfied || s == Satisfaction::basically_satisfied || s == Satisfaction::unsatisfied;
}

}  // namespace

std::string_view metric_key(Metric m) {
  return k_keys[static_cast<std::size_t>(m)];
}
std::string_view metric_name(Metric m) {
  return k_names[static_cast<std::size_t>(m)];
}

std::optional<Metric> parse_metric(std::string_view text) {
  for (const auto m : k_metrics) {
    const auto key = metric_key(m);
    if (text == key || text == metric_name(m) || text == key.substr(0, key.size() - 5)) return m;
  }
  return std::nullopt;
}

Contribution contribution(const Facts& f, const AssignmentFacts& a, Metric m, std::int64_t as_of_ms) {
  const auto& t = f.tickets[a.ticket];
  if (excluded(t)) return {};
  // The dispatch desk neither signs for nor replies: its one clock is the dispatch limit, which the red and
  // yellow lists show (派单). Its holding a ticket is no unit's round, so no rate judges it.
  if (a.desk) return {};
  switch (m) {
    case Metric::sign_for: {
      // Every assignment, lead or co-handling. One withdrawn before it was signed (an approved return) is left
      // out: the dispatch was wrong, not the unit.
      if (a.withdrawn && a.signed_ms == 0) return {};
      if (!settled(a.signed_ms, a.sign_for_due_ms, as_of_ms)) return {};
      return {true, a.signed_ms != 0 && a.signed_ms <= a.sign_for_due_ms};
    }
    case Metric::response: {
      // Every assignment: signing for it or asking to return it before the sign-for deadline is a response.
      const auto first = a.signed_ms == 0             ? a.return_requested_ms
                         : a.return_requested_ms == 0 ? a.signed_ms
                                                      : std::min(a.signed_ms, a.return_requested_ms);
      if (!settled(first, a.sign_for_due_ms, as_of_ms)) return {};
      return {true, first != 0 && first <= a.sign_for_due_ms};
    }
    case Metric::returns:
      // Lead assignments, withdrawn ones included (an approved return withdraws the very assignment returned).
      if (!a.lead) return {};
      return {true, a.return_requested_ms != 0};
    default:
      break;
  }
  // The remaining metrics judge the lead's handling of the case: current lead assignments only.
  if (!a.lead || a.withdrawn) return {};
  switch (m) {
    case Metric::on_time:
      // The first round's reply (not rejected) against the first round's deadline before extensions.
      if (!settled(a.first_round_reply_ms, a.original_reply_due_ms, as_of_ms)) return {};
      return {true, a.first_round_reply_ms != 0 && a.first_round_reply_ms <= a.original_reply_due_ms};
    case Metric::redo:
      if (!t.followed_up) return {};
      return {true, t.redos > 0};
    case Metric::satisfaction:
      if (!rated(t.satisfaction)) return {};
      return {true, t.satisfaction != Satisfaction::unsatisfied};
    case Metric::resolution:
      if (!t.followed_up || t.resolution == Resolution::none) return {};
      return {true, t.resolution == Resolution::resolved};
    default:
      return {};
  }
}

bool owes_reply(const Facts& f, const AssignmentFacts& a) {
  return routing::is_open(f.tickets[a.ticket].state) && !a.withdrawn && a.replied_ms == 0;
}

std::vector<UnitFigures> unit_figures(const Facts& f, const Window& window, std::int64_t as_of_ms) {
  std::vector<UnitFigures> out(f.unit_ids.size());
  for (const auto& a : f.assignments) {
    auto& u = out[a.unit];
    if (owes_reply(f, a)) {
      ++u.open;
      if (a.reply_due_ms < as_of_ms) ++u.overdue;
    }
    if (!window.contains(a.dispatched_ms) || excluded(f.tickets[a.ticket])) continue;
    ++u.assignments;
    if (a.lead) ++u.lead_assignments;
    for (const auto m : k_metrics) {
      const auto c = contribution(f, a, m, as_of_ms);
      auto& r = u.rates[static_cast<std::size_t>(m)];
      r.den += c.counted ? 1 : 0;
      r.num += c.hit ? 1 : 0;
    }
  }
  return out;
}

std::vector<std::uint32_t> explain(const Facts& f, std::uint16_t unit, Metric m, const Window& window,
                                   std::int64_t as_of_ms) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < f.assignments.size(); ++i) {
    const auto& a = f.assignments[i];
    if (a.unit != unit || !window.contains(a.dispatched_ms)) continue;
    if (contribution(f, a, m, as_of_ms).counted) out.push_back(i);
  }
  std::stable_sort(out.begin(), out.end(), [&](auto x, auto y) {
    return f.ticket_id(f.assignments[x].ticket) < f.ticket_id(f.assignments[y].ticket);
  });
  return out;
}

}  // namespace hotline::report
