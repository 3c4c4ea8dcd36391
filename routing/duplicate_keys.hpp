// Reports mapping keys given twice in a parsed YAML or JSON document: yaml-cpp keeps both and lookups silently
// take the first, so a repeated key would otherwise be ignored without a word. Not thread-safe (like YamlReader).
#pragma once

#include <yaml-cpp/yaml.h>

#include "routing/yaml_reader.hpp"

namespace hotline::routing {

// One error per repeated key, at the repetition, naming the first place: "duplicate key 'reply' (first at
// line 3)". Walks the whole document. Returns true when there was none.
bool report_duplicate_keys(YamlReader& reader, const YAML::Node& root);

}  // namespace hotline::routing
