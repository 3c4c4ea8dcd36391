// hotlinectl report nightly as a user runs it: files and summary, --explain, and clear errors with exit 1.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "report_fixture.hpp"

namespace hotline::test {

TEST_CASE("hotlinectl report nightly writes every format and lists the files", "[report][command]") {
  const auto& f = report_fixture();
  const auto out = f.dir.path() + "/cli";
  const auto r = run_command(HOTLINECTL_PATH, {"report", "nightly", "--as-of", "2026-11-20", "--database", f.db,
                                               "--out", out, "--format", "html,json", "--rules", f.rules_dir});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("2 file(s) written") != std::string::npos);
  CHECK(r.err.find("read 18 tickets / ") != std::string::npos);
  CHECK(std::filesystem::exists(out + "/hotline-report-2026-11-20.html"));
  CHECK(std::filesystem::exists(out + "/hotline-report-2026-11-20.json"));
  CHECK_FALSE(std::filesystem::exists(out + "/hotline-report-2026-11-20.xlsx"));
}

TEST_CASE("Explain lists the tickets behind a figure", "[report][command]") {
  const auto& f = report_fixture();
  const auto r = run_command(HOTLINECTL_PATH, {"report", "nightly", "--as-of", "2026-11-20", "--database", f.db,
                                               "--rules", f.rules_dir, "--explain", "3506.cgj", "按时办结率"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("2 / 4 = 50.00%") != std::string::npos);
  CHECK(r.out.find(f.id("T01") + "\tyes") != std::string::npos);
  CHECK(r.out.find(f.id("T02") + "\tno") != std::string::npos);
  CHECK(r.out.find(f.id("T03") + "\tno") != std::string::npos);
  CHECK(r.out.find(f.id("T04") + "\tyes") != std::string::npos);
  CHECK(r.out.find(f.id("T05")) == std::string::npos);  // withdrawn by its approved return
  CHECK(r.out.find(f.id("T17")) == std::string::npos);  // not settled yet
}

TEST_CASE("A missing database is a one-line error with exit code 1 and no file is created", "[report][command]") {
  const auto& f = report_fixture();
  const auto missing = f.dir.path() + "/missing.db";
  const auto r = run_command(HOTLINECTL_PATH, {"report", "nightly", "--as-of", "2026-11-20", "--database", missing,
                                               "--out", f.dir.path() + "/none", "--rules", f.rules_dir});
  CHECK(r.status == 1);
  CHECK(r.err == "report nightly: no database at " + missing +
                     " — start hotlined once to create it, or give --config or --database\n");
  CHECK_FALSE(std::filesystem::exists(missing));
  CHECK_FALSE(std::filesystem::exists(f.dir.path() + "/none"));
}

TEST_CASE("A file that is not a database is a clear error with exit code 1", "[report][command]") {
  const auto& f = report_fixture();
  const auto bogus = f.dir.path() + "/bogus.db";
  { std::ofstream(bogus) << "this is not sqlite, just text long enough to have a header......................"; }
  const auto r = run_command(HOTLINECTL_PATH, {"report", "nightly", "--as-of", "2026-11-20", "--database", bogus,
                                               "--out", f.dir.path() + "/none", "--rules", f.rules_dir});
  CHECK(r.status == 1);
  CHECK(r.err.find("is not a readable hotline database") != std::string::npos);
}

TEST_CASE("Bad arguments exit 2", "[report][command]") {
  const auto& f = report_fixture();
  // A day to come would count every deadline before its end as missed: refused, nothing written. Today is a look
  // at the day so far, and says so.
  const auto today = [] {
    using namespace std::chrono;
    const year_month_day d{floor<days>(system_clock::now() + hours(8))};  // Asia/Shanghai, as the fixture
    return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                       static_cast<unsigned>(d.day()));
  }();
  const auto later = f.dir.path() + "/later";
  const auto future = run_command(HOTLINECTL_PATH, {"report", "nightly", "--as-of", "2099-12-31", "--database", f.db,
                                                    "--out", later, "--rules", f.rules_dir});
  CHECK(future.status == 2);
  CHECK(future.err.find("--as-of must be today (" + today + ") or earlier") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(later));
  const auto so_far = run_command(HOTLINECTL_PATH, {"report", "nightly", "--as-of", today, "--database", f.db, "--out",
                                                    f.dir.path() + "/today", "--rules", f.rules_dir});
  CHECK(so_far.status == 0);
  CHECK(so_far.err.find("today is not over") != std::string::npos);
  // Files are named by day: a week's report into the folder the nightly reports are published in would replace
  // that day's. Refused there (the config's report.dir), written anywhere else.
  const auto config = f.dir.path() + "/published.yaml";
  std::ofstream(config) << "report:\n  dir: published\n";
  const std::vector<std::string> week_args{"--config", config, "report",     "nightly", "--as-of", "2026-11-20",
                                           "--period", "week", "--database", f.db,      "--rules", f.rules_dir};
  const auto week = run_command(HOTLINECTL_PATH, week_args);
  CHECK(week.status == 2);
  CHECK(week.err.find("(report.dir) would replace the nightly report published there for 2026-11-20") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(f.dir.path() + "/published"));
  auto elsewhere = week_args;
  elsewhere.insert(elsewhere.end(), {"--out", f.dir.path() + "/weekly"});
  CHECK(run_command(HOTLINECTL_PATH, elsewhere).status == 0);
  CHECK(run_command(HOTLINECTL_PATH, {"report", "nightly", "--as-of", "2026-13-01", "--database", f.db, "--out", "x"})
            .status == 2);
  CHECK(run_command(HOTLINECTL_PATH,
                    {"report", "nightly", "--as-of", "2026-11-20", "--database", f.db, "--out", "x", "--format", "pdf"})
            .status == 2);
  CHECK(run_command(HOTLINECTL_PATH, {"report", "nightly", "--as-of", "2026-11-20", "--database", f.db}).status == 2);
  const auto year_zero =
      run_command(HOTLINECTL_PATH, {"report", "nightly", "--as-of", "0000-01-01", "--database", f.db, "--out", "x"});
  CHECK(year_zero.status == 2);
  CHECK(year_zero.err == "report nightly: --as-of must be a date from 2000-01-01 to 2099-12-31, not '0000-01-01'\n");
  CHECK(run_command(HOTLINECTL_PATH, {"report", "nightly", "--as-of", "2026-11-20", "--database", f.db, "--out", "x",
                                      "--period", "custom", "--from", "1999-12-31"})
            .status == 2);
}

}  // namespace hotline::test
