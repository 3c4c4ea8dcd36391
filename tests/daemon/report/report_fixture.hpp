// The scenario database, built once per test run, with its facts and the report as of 2026-11-20 (month period).
#pragma once

#include <memory>
#include <string>

#include "daemon/config/rules_loader.hpp"
#include "daemon/report/report_facts.hpp"
#include "daemon/report/report_model.hpp"
#include "scenario_db.hpp"
#include "support/daemon_process.hpp"

namespace hotline::test {

struct ReportFixture {
  TempDir dir;
  std::string db;
  std::string rules_dir = REPORT_FIXTURES "/rules";
  Scenario scenario;
  daemon::Deployment deployment;
  report::Facts facts;
  report::ReportOptions options;
  report::Report report;

  std::string id(const std::string& label) const { return scenario.ids.at(label); }
  // The cell text of `column` (key) in row `row` of section `key`.
  std::string cell(const std::string& key, std::size_t row, const std::string& column) const;
  // The row of section `key` whose `column` reads `value`; throws when none.
  std::size_t row_where(const std::string& key, const std::string& column, const std::string& value) const;
};

// The fixture of fixtures/<scenario>.txt, as of 2026-11-20 (month period).
std::unique_ptr<ReportFixture> build_report_fixture(const std::string& scenario);
// Built on first use, shared by every test case of the executable.
const ReportFixture& report_fixture();

// Report options for the fixture as of `day` with a period of `kind` (day, week, month).
report::ReportOptions fixture_options(const ReportFixture& f, const std::string& day, const std::string& kind);

}  // namespace hotline::test
