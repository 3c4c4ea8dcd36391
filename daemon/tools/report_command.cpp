#include "daemon/tools/report_command.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>

#include "daemon/config/rules_loader.hpp"
#include "daemon/report/report_run.hpp"
#include "daemon/report/unit_directory.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/private_folders.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "daemon/tools/database_path.hpp"
#include "storage/report_store.hpp"

namespace hotline::daemon {

CLI::App* add_report_command(CLI::App& app, ReportArgs& args) {
  auto* report = app.add_subcommand("report", "reports over the event log");
  report->require_subcommand(1);
  auto* nightly = report->add_subcommand(
      "nightly", "the nightly escalation report: red/yellow lists, pending reviews, unit rates and rankings, returns");
  nightly->add_option("--as-of", args.as_of, "report day YYYY-MM-DD: events up to its end (24:00 local)")->required();
  nightly->add_option("--database", args.database,
                      "SQLite database file, opened read-only (default: the config's database, else ./var/hotline.db)");
  nightly->add_option("--out", args.out_dir,
                      "folder for the report files (created when missing; default: the config's report.dir)");
  nightly->add_option("--format", args.formats, "comma-separated: xlsx, html, csv, json")->capture_default_str();
  nightly->add_option("--period", args.period, "day, week (Monday..as-of), month (1st..as-of) or custom")
      ->capture_default_str();
  nightly->add_option("--from", args.from, "custom period start YYYY-MM-DD");
  nightly->add_option("--to", args.to, "custom period end YYYY-MM-DD (default: --as-of)");
  nightly->add_option("--rules", args.rules_dir, "rules folder (unit directory, calendar)")->capture_default_str();
  nightly->add_option("--explain", args.explain, "UNIT METRIC: list the tickets behind one figure (writes no files)")
      ->expected(2);
  return nightly;
}

int report_nightly(const ReportArgs& args, std::ostream& out, std::ostream& err) {
  const auto bad = [&](const std::string& message) {
    err << "report nightly: " << message << '\n';
    return 2;
  };
  const auto as_of = routing::parse_day(args.as_of);
  if (!as_of) return bad("--as-of must be a date YYYY-MM-DD, not '" + args.as_of + "'");
  const std::string window(k_date_window);
  if (!parse_caller_day(args.as_of)) return bad("--as-of must be a date from " + window + ", not '" + args.as_of + "'");
  // A day to come has no events yet and would count every deadline before its end as missed. Today may be asked
  // for (a look at the day so far), with the same caveat said out loud.
  const auto now_ms = wall_clock().now_ms();
  const auto today = routing::local_day(now_ms, utc_offset_minutes(now_ms));
  if (*as_of > today) {
    return bad("--as-of must be today (" + routing::format_day(today) + ") or earlier, not '" + args.as_of +
               "': deadlines still to come would count as missed");
  }
  if (*as_of == today) {
    err << "report nightly: today is not over: deadlines still to come before midnight count as missed in this "
           "report; the nightly report for today comes after midnight\n";
  }
  // Files are named by day, not period: another period's report in the published folder would replace (and be
  // served as) that day's nightly report.
  if (args.period != "month" && args.explain.empty() && !args.published_dir.empty()) {
    std::error_code a, b;
    const auto into = std::filesystem::weakly_canonical(args.out_dir, a);
    const auto published = std::filesystem::weakly_canonical(args.published_dir, b);
    if (!a && !b && into == published) {
      return bad("a " + args.period + " report into " + args.out_dir +
                 " (report.dir) would replace the nightly report published there for " + args.as_of +
                 ": give --out another folder");
    }
  }
  report::ReportOptions o;
  o.as_of = *as_of;
  o.period_kind = args.period;
  if (args.period == "custom") {
    const auto from = parse_caller_day(args.from);
    const auto to = args.to.empty() ? as_of : parse_caller_day(args.to);
    if (!from || !to || *from > *to) return bad("--period custom needs --from <= --to (YYYY-MM-DD, " + window + ")");
    o.from = *from;
    o.to = *to;
  } else if (const auto days = report::period_days(args.period, o.as_of)) {
    if (!args.from.empty() || !args.to.empty()) return bad("--from and --to go with --period custom");
    std::tie(o.from, o.to) = *days;
  } else {
    return bad("--period must be day, week, month or custom, not '" + args.period + "'");
  }
  std::optional<report::Metric> metric;
  if (!args.explain.empty()) {
    metric = report::parse_metric(args.explain[1]);
    if (!metric) return bad("unknown metric '" + args.explain[1] + "' (e.g. on_time_rate or 按时办结率)");
  } else if (args.out_dir.empty()) {
    return bad("--out is required (or --explain UNIT METRIC)");
  }
  std::string format_error;
  const auto formats = report::parse_formats(args.formats, format_error);
  if (!format_error.empty()) return bad(format_error);

  if (!require_database("report nightly", args.database, err)) return 1;
  const auto deployment = load_deployment(args.rules_dir);
  if (!deployment.ok()) {
    for (const auto& d : deployment.diagnostics) err << d.to_string() << '\n';
    err << "report nightly: rules in '" << args.rules_dir << "' are invalid\n";
    return 1;
  }
  o.utc_offset_minutes = utc_offset_minutes(routing::start_of_day(o.as_of, 480));
  o.calendar = deployment.calendar.get();
  o.units = report::unit_directory(*deployment.rules);
  o.database_label = std::filesystem::path(args.database).filename().string();
  const auto progress = [&err](const std::string& line) { err << "report nightly: " << line << '\n'; };

  if (metric) {
    auto facts = report::load_facts(args.database, report::as_of_ms(o), progress);
    if (!facts) {
      err << "report nightly: " << facts.error().message << '\n';
      return 1;
    }
    if (!report::explain_figure(*facts, o, args.explain[0], *metric, out)) {
      if (deployment.rules->find_unit(args.explain[0]) == nullptr) {
        err << "report nightly: no unit '" << args.explain[0] << "' in " << args.rules_dir << " nor in the tickets\n";
        return 1;
      }
      err << "report nightly: unit '" << args.explain[0] << "' has no tickets up to " << args.as_of << '\n';
      return 1;
    }
    return 0;
  }
  // The database is checked before the folder is made, so a run that cannot read it leaves nothing behind.
  if (const auto store = storage::ReportStore::open(args.database); !store) {
    err << "report nightly: " << store.error().message << '\n';
    return 1;
  }
  if (const auto ec = create_private_folders(args.out_dir)) {  // 0750, as hotlined makes report.dir
    err << "report nightly: cannot create " << args.out_dir << ": " << ec.message() << '\n';
    return 1;
  }
  const auto result = report::run_report({args.database, args.out_dir, formats, o}, progress);
  if (!result.error.empty()) {
    err << "report nightly: " << result.error << '\n';
    return 1;
  }
  out << "report " << args.as_of << " (" << o.period_kind << " " << routing::format_day(o.from) << " — "
      << routing::format_day(o.to) << "): " << result.files.size() << " file(s) written\n";
  for (const auto& f : result.files) out << "  " << f << '\n';
  return 0;
}

}  // namespace hotline::daemon
