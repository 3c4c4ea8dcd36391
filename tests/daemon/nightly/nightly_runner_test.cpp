// The daemon's nightly schedule: pure functions of the current instant.
#include "daemon/nightly/nightly_runner.hpp"

#include <catch2/catch.hpp>

#include "daemon/config/config.hpp"
#include "daemon/runtime/local_time.hpp"

namespace hotline::test {
namespace {

std::int64_t at(const char* day, int hour, int minute) {
  return routing::start_of_day(*routing::parse_day(day), 480) + (hour * 60 + minute) * 60'000LL;
}

}  // namespace

TEST_CASE("Report times are HH MM in 24-hour form", "[report][nightly]") {
  CHECK(daemon::parse_time_of_day("02:00") == 120);
  CHECK(daemon::parse_time_of_day("23:59") == 23 * 60 + 59);
  CHECK_FALSE(daemon::parse_time_of_day("24:00"));
  CHECK_FALSE(daemon::parse_time_of_day("2:00"));
  CHECK_FALSE(daemon::parse_time_of_day("02:60"));
  CHECK_FALSE(daemon::parse_time_of_day(""));
}

TEST_CASE("The next run is later today or else tomorrow at the configured local time", "[report][nightly]") {
  CHECK(daemon::next_run_ms(at("2026-11-20", 1, 0), 120, 480) == at("2026-11-20", 2, 0));
  CHECK(daemon::next_run_ms(at("2026-11-20", 2, 0), 120, 480) == at("2026-11-21", 2, 0));  // strictly after
  CHECK(daemon::next_run_ms(at("2026-11-20", 23, 30), 120, 480) == at("2026-11-21", 2, 0));
  CHECK(daemon::next_run_ms(at("2026-12-31", 3, 0), 0, 480) == at("2027-01-01", 0, 0));
}

TEST_CASE("A run reports on the previous local day", "[report][nightly]") {
  CHECK(daemon::report_day_for(at("2026-11-21", 2, 0), 480) == *routing::parse_day("2026-11-20"));
  CHECK(daemon::report_day_for(at("2027-01-01", 0, 0), 480) == *routing::parse_day("2026-12-31"));
}

}  // namespace hotline::test

namespace hotline::test {

TEST_CASE("The nightly report config keys are read and checked", "[report][nightly]") {
  std::vector<routing::Diagnostic> errors;
  const auto c =
      daemon::parse_config("c.yaml", "report:\n  time: \"02:30\"\n  dir: /srv/reports\n  formats: html,csv\n", errors);
  CHECK(errors.empty());
  CHECK(c.report_time == "02:30");
  CHECK(c.report_dir == "/srv/reports");
  CHECK(c.report_formats == "html,csv");
  CHECK(daemon::parse_config("c.yaml", "", errors).report_time.empty());  // off unless configured
  daemon::parse_config("c.yaml", "report:\n  time: \"25:00\"\n  formats: pdf\n", errors);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].to_string().find("report.time") != std::string::npos);
  CHECK(errors[1].to_string().find("unknown format 'pdf'") != std::string::npos);
}

}  // namespace hotline::test

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>

#include "daemon/config/rules_holder.hpp"
#include "report_fixture.hpp"

namespace hotline::test {

TEST_CASE("The nightly runner writes the previous day's report into its folder", "[report][nightly]") {
  const auto& f = report_fixture();
  const auto rules = daemon::load_initial_rules(f.rules_dir);
  REQUIRE(rules.ok);
  daemon::RulesHolder holder(f.rules_dir, rules.info);
  boost::asio::io_context io;
  const auto dir = f.dir.path() + "/nightly";
  daemon::NightlyRunner runner(io, {f.db, dir, {"html", "json"}, 120}, holder);
  const auto files = runner.run_now(*routing::parse_day("2026-11-20")).files;
  REQUIRE(files.size() == 2);
  CHECK(files[0] == dir + "/hotline-report-2026-11-20.html");
  CHECK(std::filesystem::exists(files[1]));
}

TEST_CASE("hotlined with a report time schedules the report and still stops cleanly", "[report][nightly]") {
  const auto& f = report_fixture();
  TempDir dir;
  const auto config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "report:\n  time: \"02:00\"\n  dir: " << dir.path() << "/reports\n";
  DaemonProcess daemon(HOTLINED_PATH, {"--config", config, "--listen", "127.0.0.1:0", "--database",
                                       dir.path() + "/h.db", "--rules", f.rules_dir});
  CHECK(daemon.wait_for_output("nightly report scheduled at 20[0-9-]+T02:00:00"));
  CHECK(daemon.stop(SIGTERM) == 0);
}

}  // namespace hotline::test

namespace hotline::test {
namespace {

class FixedClock final : public daemon::SchedulerClock {
 public:
  explicit FixedClock(std::int64_t ms) : ms_(ms) {}
  std::int64_t now_ms() override { return ms_; }
  std::chrono::milliseconds wait_for(std::int64_t) override { return std::chrono::milliseconds(60'000); }

 private:
  std::int64_t ms_;
};

}  // namespace

TEST_CASE("A night missed while the daemon was down is reported at start-up, once", "[report][nightly]") {
  const auto& f = report_fixture();
  const auto rules = daemon::load_initial_rules(f.rules_dir);
  REQUIRE(rules.ok);
  daemon::RulesHolder holder(f.rules_dir, rules.info);
  const auto dir = f.dir.path() + "/missed";
  // 2026-11-21T10:00+08:00: the 02:00 run for 2026-11-20 was due eight hours ago.
  FixedClock clock(*daemon::parse_rfc3339("2026-11-21T10:00:00+08:00"));
  int announced = 0;
  const auto start_and_stop = [&] {
    boost::asio::io_context io;
    daemon::NightlyRunner runner(
        io, {f.db, dir, {"json"}, 120}, holder,
        [&](const daemon::Publication& p) {
          CHECK(routing::format_day(p.as_of) == "2026-11-20");
          ++announced;
          return std::size_t{0};
        },
        clock);
    runner.start();
    runner.stop();
  };  // the destructor waits for the make-up run
  start_and_stop();
  CHECK(announced == 1);
  CHECK(std::filesystem::exists(dir + "/hotline-report-2026-11-20.json"));
  start_and_stop();  // published now: nothing is made up again
  CHECK(announced == 1);
}

}  // namespace hotline::test
