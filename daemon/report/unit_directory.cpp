#include "daemon/report/unit_directory.hpp"

#include <algorithm>

namespace hotline::report {

std::vector<UnitInfo> unit_directory(const routing::RuleSet& rules) {
  std::vector<UnitInfo> out;
  out.reserve(rules.units().size());
  for (const auto& u : rules.units()) out.push_back({u.id, u.name, u.peer_group.empty() ? "(未分组)" : u.peer_group});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

}  // namespace hotline::report
