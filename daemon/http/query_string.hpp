// Query strings of request targets: "a=1&q=%E8%B7%AF%E7%81%AF" → [(a, 1), (q, 路灯)]. Pure.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotline::daemon {

// The decoded parameters after '?', in order ('+' is a space; malformed %-escapes are kept as they are).
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view target);

}  // namespace hotline::daemon
