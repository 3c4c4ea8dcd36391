// What a rules author should do about a YAML syntax error: yaml-cpp's own words ("illegal map value", "end of map
// not found") say what the parser met, not what was typed wrong. Pure.
#pragma once

#include <string>
#include <string_view>

namespace hotline::routing {

// A hint for yaml-cpp's `message` at 1-based `line` of `text` (the line before it is looked at too: yaml-cpp
// often reports a missing space after a colon on the next line); "" when there is none to give.
std::string yaml_syntax_hint(std::string_view message, std::string_view text, int line);

}  // namespace hotline::routing
