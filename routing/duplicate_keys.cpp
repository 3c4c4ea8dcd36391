#include "routing/duplicate_keys.hpp"

#include <string>
#include <unordered_map>

namespace hotline::routing {

bool report_duplicate_keys(YamlReader& reader, const YAML::Node& map) {
  if (!map.IsMap()) return true;
  bool clean = true;
  std::unordered_map<std::string, int> first_line;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    const auto [seen, inserted] = first_line.try_emplace(it->first.Scalar(), reader.line(it->first));
    if (inserted) continue;
    reader.error(it->first,
                 "duplicate key '" + it->first.Scalar() + "' (first at line " + std::to_string(seen->second) + ")");
    clean = false;
  }
  return clean;
}

bool check_unique_keys(YamlReader& reader, const YAML::Node& map, std::string_view what,
                       std::initializer_list<std::string_view> allowed) {
  return reader.check_keys(map, what, allowed);  // which reports keys given twice too
}

}  // namespace hotline::routing
