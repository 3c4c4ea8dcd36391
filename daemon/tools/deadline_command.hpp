// hotlinectl deadline: when is it due? Previews every clock of the time-limit policy for a request type,
// urgency and channel from a given instant, with the working days each one spans.
#pragma once

#include <iosfwd>
#include <string>

namespace hotline::daemon {

struct DeadlineArgs {
  std::string rules_dir = "rules";
  std::string type = "complaint";
  std::string urgency = "normal";
  std::string channel = "phone";
  std::string level;  // city, county, township; empty = any
  std::string from;   // RFC 3339; empty = now
  bool json = false;  // one JSON document instead of the text
};

// Prints the preview to `out`; returns the exit code (2 for bad arguments, 1 when the rules do not load).
int deadline_preview(const DeadlineArgs& args, std::ostream& out, std::ostream& err);

}  // namespace hotline::daemon
