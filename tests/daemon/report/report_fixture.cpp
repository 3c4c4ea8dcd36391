#include "report_fixture.hpp"

#include <filesystem>
#include <stdexcept>

#include "daemon/report/report_run.hpp"
#include "daemon/report/unit_directory.hpp"

namespace hotline::test {

report::ReportOptions fixture_options(const ReportFixture& f, const std::string& day, const std::string& kind) {
  report::ReportOptions o;
  o.as_of = *routing::parse_day(day);
  o.period_kind = kind;
  std::tie(o.from, o.to) = *report::period_days(kind, o.as_of);
  o.utc_offset_minutes = 480;
  o.calendar = f.deployment.calendar.get();
  o.units = report::unit_directory(*f.deployment.rules);
  o.database_label = "scenario.db";
  return o;
}

std::unique_ptr<ReportFixture> build_report_fixture(const std::string& scenario) {
  auto f = std::make_unique<ReportFixture>();
  f->db = f->dir.path() + "/" + scenario + ".db";
  f->scenario =
      build_scenario_db(f->db, (std::filesystem::path(REPORT_FIXTURES) / (scenario + ".txt")).string(), f->rules_dir);
  f->deployment = daemon::load_deployment(f->rules_dir);
  f->options = fixture_options(*f, "2026-11-20", "month");
  f->facts = report::load_facts(f->db, report::as_of_ms(f->options), {}).value();
  f->report = report::build_report(f->facts, f->options);
  return f;
}

const ReportFixture& report_fixture() {
  static const std::unique_ptr<ReportFixture> fixture = build_report_fixture("scenario");
  return *fixture;
}

std::string ReportFixture::cell(const std::string& key, std::size_t row, const std::string& column) const {
  const auto* s = report.find(key);
  if (s == nullptr) throw std::runtime_error("no section " + key);
  for (std::size_t c = 0; c < s->columns.size(); ++c) {
    if (s->columns[c].key == column) return report::display(s->rows.at(row).at(c));
  }
  throw std::runtime_error("no column " + column + " in " + key);
}

std::size_t ReportFixture::row_where(const std::string& key, const std::string& column,
                                     const std::string& value) const {
  const auto* s = report.find(key);
  if (s == nullptr) throw std::runtime_error("no section " + key);
  for (std::size_t r = 0; r < s->rows.size(); ++r) {
    if (cell(key, r, column) == value) return r;
  }
  throw std::runtime_error("no row with " + column + " = " + value + " in " + key);
}

}  // namespace hotline::test
