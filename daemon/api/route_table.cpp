#include "daemon/api/route_table.hpp"

namespace hotline::daemon {

bool path_matches(std::string_view pattern, std::string_view path, PathParams& params) {
  params = {};
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1), path.remove_prefix(1);
    const auto p_end = std::min(pattern.find('/'), pattern.size());
    const auto s_end = std::min(path.find('/'), path.size());
    const std::string_view want = pattern.substr(0, p_end), got = path.substr(0, s_end);
    if (want.size() >= 2 && want.front() == '{' && want.back() == '}') {
      if (got.empty() || params.count == params.values.size()) return false;
      params.values[params.count++] = got;
    } else if (want != got) {
      return false;
    }
    pattern.remove_prefix(p_end), path.remove_prefix(s_end);
  }
  return true;
}

std::string describe_callers(Access access, RoleSet roles) {
  if (access == Access::open) return "none";
  if (roles == RoleSet::everyone()) return "any token";
  std::string out;
  for (const auto r : {CallerRole::operator_, CallerRole::unit, CallerRole::supervisor, CallerRole::admin}) {
    if (roles.allows(r)) out += (out.empty() ? "" : ", ") + std::string(to_string(r));
  }
  return out;
}

}  // namespace hotline::daemon
