// hotlinectl rules check: validates a rules folder (errors, then the analysis' warnings) and prints its counts.
#pragma once

#include <iosfwd>
#include <string>

#include "routing/civil_day.hpp"

namespace hotline::daemon {

// Checks what hotlined loads from the folder: the routing files, the calendar and the time limits; `today` (the
// local day) decides whether the calendar's coverage is worth a warning. 0 valid, 1 errors (or warnings with
// `strict`). Human output: each diagnostic on `err`, the counts on `out`. With `as_json` one document on `out`
// instead: {"dir", "ok", "errors", "warnings", "diagnostics": [{"file", "line", "column", "severity", "message"}],
// and when everything loads "version", "units", "divisions", "matters", "rules", "calendar_published_through",
// "model"}; "ok" is the exit code's verdict.
int rules_check(const std::string& dir, routing::Day today, bool strict, bool as_json, std::ostream& out,
                std::ostream& err);

}  // namespace hotline::daemon
