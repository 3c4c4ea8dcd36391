// The seven unit metrics, computed from report Facts. The definitions are written down in
// daemon/report/README.md; contribution() is the single place that applies them, so every figure and every
// `--explain` listing agree. Pure functions of their arguments; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "daemon/report/report_facts.hpp"

namespace hotline::report {

enum class Metric { sign_for, on_time, returns, redo, satisfaction, resolution, response };
inline constexpr int k_metric_count = 7;
inline constexpr std::array<Metric, k_metric_count> k_metrics{
    Metric::sign_for,     Metric::on_time,    Metric::returns, Metric::redo,
    Metric::satisfaction, Metric::resolution, Metric::response};

std::string_view metric_key(Metric m);   // "sign_for_rate", "on_time_rate", ... (JSON keys, --explain names)
std::string_view metric_name(Metric m);  // 及时签收率, 按时办结率, ...
// Accepts the key, the key without "_rate", or the Chinese name; nullopt otherwise.
std::optional<Metric> parse_metric(std::string_view text);

struct Ratio {
  std::int64_t num = 0;
  std::int64_t den = 0;
  friend bool operator==(const Ratio&, const Ratio&) = default;
};

// What one assignment contributes to one metric: `counted` puts it in the denominator, `hit` also in the
// numerator (hit implies counted).
struct Contribution {
  bool counted = false;
  bool hit = false;
};
Contribution contribution(const Facts& f, const AssignmentFacts& a, Metric m, std::int64_t as_of_ms);

// The cohort of a period: assignments dispatched in [from_ms, to_ms).
struct Window {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  bool contains(std::int64_t ms) const { return ms >= from_ms && ms < to_ms; }
};

struct UnitFigures {
  std::int64_t assignments = 0;       // dispatched in the window, lead and co-handling (excluded tickets left out)
  std::int64_t lead_assignments = 0;  // of which as lead
  std::int64_t open = 0;              // open at as-of (any dispatch date), not withdrawn, not yet replied
  std::int64_t overdue = 0;           // of which past the live reply deadline
  std::array<Ratio, k_metric_count> rates{};
  const Ratio& rate(Metric m) const { return rates[static_cast<std::size_t>(m)]; }
};

// Figures per interned unit (index = Facts unit index). `as_of_ms` is the end of the report day.
std::vector<UnitFigures> unit_figures(const Facts& f, const Window& window, std::int64_t as_of_ms);

// Every assignment of `unit` in the window that the metric counts, in ticket-id order.
std::vector<std::uint32_t> explain(const Facts& f, std::uint16_t unit, Metric m, const Window& window,
                                   std::int64_t as_of_ms);

// Whether an open assignment's reply is still owed at as-of (the case is open, it is not withdrawn, not replied).
bool owes_reply(const Facts& f, const AssignmentFacts& a);

}  // namespace hotline::report
