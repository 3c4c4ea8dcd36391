// What a config must satisfy against the world beyond its own file: the time zone installed, the units it names
// defined by the rules, the CA file readable. hotlined checks these at start (and refuses to start) and again on
// SIGHUP before it accepts a re-read file, so that a reload never accepts what the next start would refuse.
#pragma once

#include <string>
#include <vector>

#include "daemon/config/config.hpp"
#include "routing/rule_set.hpp"

namespace hotline::daemon {

// One message per problem ("timezone: unknown time zone 'Asia/Shangai' …"); empty when the config is sound.
std::vector<std::string> config_refusals(const Config& config, const routing::RuleSet& rules);

}  // namespace hotline::daemon
