// One report run: read the event log (read-only, one pass), build the report and write the requested formats
// into a folder, each file under a temporary name renamed into place (no half-written report is ever visible).
// Used by `hotlinectl report nightly` and the daemon's nightly runner. Each call opens its own read-only
// connection, so calls may run on any thread, concurrently with the daemon's writer.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "daemon/report/metrics.hpp"
#include "daemon/report/report_model.hpp"
#include "storage/error.hpp"

namespace hotline::report {

// Reads every event before `until_ms` from the database at `path` into Facts. `progress` (may be empty) gets
// one line per million events and a final "read N tickets / M events in S s" line.
storage::Result<Facts> load_facts(const std::string& path, std::int64_t until_ms,
                                  const std::function<void(const std::string&)>& progress);

// "xlsx,html,csv,json" -> the list, in that canonical order; an error message names an unknown format.
std::vector<std::string> parse_formats(const std::string& text, std::string& error);

struct RunRequest {
  std::string database;
  std::string out_dir;
  std::vector<std::string> formats;  // from parse_formats
  ReportOptions options;
};

struct RunResult {
  std::vector<std::string> files;  // paths written, in writing order
  std::string error;               // "" on success
};

// Removes the temporary files in `out_dir` that a run killed mid-write left (named for a process that is gone);
// returns how many. run_report() does this first.
int remove_stale_temporaries(const std::string& out_dir);

// Loads, builds and writes. The folder is created when missing. Files are created 0640 (less the umask). On error
// nothing partial is left in the folder.
RunResult run_report(const RunRequest& request, const std::function<void(const std::string&)>& progress);

// Writes the figure of `metric` for `unit` and every ticket behind it (numerator marked) to `out`.
// Returns false when the unit has no assignment at all in the facts.
bool explain_figure(const Facts& f, const ReportOptions& o, const std::string& unit, Metric metric, std::ostream& out);

}  // namespace hotline::report
