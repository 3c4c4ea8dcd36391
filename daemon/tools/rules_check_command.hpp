// hotlinectl rules check: validates a rules folder (errors, then the analysis' warnings) and prints its counts.
#pragma once

#include <iosfwd>
#include <string>

namespace hotline::daemon {

// 0 valid, 1 errors (or warnings with `strict`). Human output: each diagnostic on `err`, the counts on `out`.
// With `as_json` one document on `out` instead: {"dir", "ok", "errors", "warnings", "diagnostics": [{"file",
// "line", "column", "severity", "message"}], and when the rules compile "version", "units", "divisions",
// "matters", "rules"}; "ok" is the exit code's verdict.
int rules_check(const std::string& dir, bool strict, bool as_json, std::ostream& out, std::ostream& err);

}  // namespace hotline::daemon
