#include "daemon/tools/label_map.hpp"

#include <fstream>

#include "daemon/tools/csv_record.hpp"
#include "routing/rule_set.hpp"

namespace hotline::daemon {

LabelMap read_label_map(const std::string& path, const routing::RuleSet& rules, std::vector<std::string>& errors) {
  LabelMap map;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back(path + ": cannot read the label map");
    return map;
  }
  std::vector<std::string> fields;
  std::size_t line = 0;
  bool first = true;
  while (true) {
    const auto where = path + ": line " + std::to_string(line + 1) + ": ";
    if (!csv_record(in, fields, line)) break;
    if (first) drop_byte_order_mark(fields), first = false;
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    if (fields.size() != 2) {
      errors.push_back(where + std::to_string(fields.size()) + " fields; give the history's label, then a code");
      continue;
    }
    const std::string& label = fields[0];
    const std::string& code = fields[1];
    if (label.empty()) {
      errors.push_back(where + "the label is empty");
    } else if (rules.find_matter(code) == nullptr) {
      errors.push_back(where + "'" + code + "' is not a matter code of the catalogue");
    } else if (const auto [at, added] = map.emplace(label, code); !added && at->second != code) {
      errors.push_back(where + "'" + label + "' was mapped to '" + at->second + "' before");
    }
  }
  if (map.empty() && errors.empty()) errors.push_back(path + ": the label map is empty");
  return map;
}

}  // namespace hotline::daemon
