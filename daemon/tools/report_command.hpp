// `hotlinectl report nightly`: options, loading the rules (unit directory, calendar) and running the report.
// Called from ctl_app on the main thread.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace hotline::daemon {

struct ReportArgs {
  std::string as_of;  // YYYY-MM-DD, required
  std::string database = "./var/hotline.db";
  std::string out_dir;
  std::string formats = "xlsx,html,csv,json";
  std::string period = "month";  // day, week, month, custom
  std::string from, to;          // custom period, YYYY-MM-DD inclusive
  std::string rules_dir = "rules";
  std::vector<std::string> explain;  // UNIT METRIC
  std::string published_dir;         // report.dir, where hotlined publishes its nightly (month) reports
};

// Adds `report` with its `nightly` subcommand to `app`; returns `nightly` (test ->parsed() after parsing).
CLI::App* add_report_command(CLI::App& app, ReportArgs& args);

// Runs it. Exit codes: 0 written (or explained), 1 database, rules or output error, 2 bad arguments.
int report_nightly(const ReportArgs& args, std::ostream& out, std::ostream& err);

}  // namespace hotline::daemon
