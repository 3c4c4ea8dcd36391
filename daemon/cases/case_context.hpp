// What the life-cycle machine is given for a decision taken by the daemon: the clocks and the unit directory as of
// now, and the caller as an actor.
#pragma once

#include <cstdint>
#include <string_view>

#include "daemon/access/token_auth.hpp"
#include "routing/lifecycle.hpp"
#include "routing/rule_set.hpp"

namespace hotline::daemon {

// The life-cycle context (clock arithmetic, unit directory questions) for a decision at `now_ms`.
routing::Context case_context(const routing::RuleSet& rules, const routing::Clocks& clocks, std::int64_t now_ms);
// The machine's actor for a caller taking `action`. Token-less loopback deployments act as the hotline itself.
routing::Actor actor_of(const Principal& who, std::string_view action = {});

}  // namespace hotline::daemon
