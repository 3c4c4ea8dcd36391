// Strict key checks for one mapping: unknown keys (YamlReader::check_keys) and keys given twice, which yaml-cpp
// keeps while lookups silently take the first. Not thread-safe (like YamlReader).
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string_view>

#include "routing/yaml_reader.hpp"

namespace hotline::routing {

// One error per repeated key of `map` itself (children are not visited, so cyclic aliases such as `&a [*a]`
// cannot make it loop), at the repetition: "duplicate key 'reply' (first at line 3)". True when there was none;
// true for a node that is not a mapping.
bool report_duplicate_keys(YamlReader& reader, const YAML::Node& map);

// YamlReader::check_keys, which reports keys given twice as well. False only when `map` is not a mapping.
bool check_unique_keys(YamlReader& reader, const YAML::Node& map, std::string_view what,
                       std::initializer_list<std::string_view> allowed);

}  // namespace hotline::routing
