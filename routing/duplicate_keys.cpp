#include "routing/duplicate_keys.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace hotline::routing {

bool report_duplicate_keys(YamlReader& reader, const YAML::Node& root) {
  bool clean = true;
  // An explicit stack: a hostile file must not be able to exhaust the call stack by nesting.
  std::vector<YAML::Node> pending{root};
  while (!pending.empty()) {
    const YAML::Node node = pending.back();
    pending.pop_back();
    if (node.IsSequence()) {
      for (const auto& item : node) pending.push_back(item);
    } else if (node.IsMap()) {
      std::unordered_map<std::string, int> first_line;
      for (auto it = node.begin(); it != node.end(); ++it) {
        pending.push_back(it->second);
        if (!it->first.IsScalar()) continue;
        const auto [seen, inserted] = first_line.try_emplace(it->first.Scalar(), reader.line(it->first));
        if (inserted) continue;
        reader.error(it->first,
                     "duplicate key '" + it->first.Scalar() + "' (first at line " + std::to_string(seen->second) + ")");
        clean = false;
      }
    }
  }
  return clean;
}

}  // namespace hotline::routing
