#include "daemon/app/config_reload.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/daemon_process.hpp"

using namespace hotline::daemon;

namespace {

struct Seen {
  std::vector<std::string> levels, report_times;
};

ConfigReloader::Live recording(Seen& seen) {
  return {[&seen](const std::string& level) { seen.levels.push_back(level); },
          [&seen](const std::string& time) { seen.report_times.push_back(time); }};
}

}  // namespace

TEST_CASE("a re-read config applies log.level and report.time live and nothing else", "[config][reload]") {
  hotline::test::TempDir dir;
  const std::string path = dir.path() + "/hotline.yaml";
  const std::string first = "log:\n  level: info\nreport:\n  time: \"02:00\"\nhttp:\n  body_limit: 65536\n";
  std::ofstream(path) << first;
  Seen seen;
  ConfigReloader reloader(path, first, {"listen"}, recording(seen));
  Config running;
  running.report_time = "02:00";
  running.body_limit = 65536;

  std::ofstream(path) << "log:\n  level: warn\nreport:\n  time: \"03:30\"\nhttp:\n  body_limit: 131072\n"
                         "listen: 127.0.0.1:9999\n";
  CHECK(reloader.reload(running));
  CHECK(seen.levels == std::vector<std::string>{"warn"});
  CHECK(seen.report_times == std::vector<std::string>{"03:30"});
  CHECK(running.log_level == "warn");
  CHECK(running.report_time == "03:30");
  CHECK(running.body_limit == 65536);  // needs a restart: the running value stays
  CHECK(running.listen == Config{}.listen);

  // Unchanged since: nothing is applied again. report.time removed: the nightly runs stop ("").
  std::ofstream(path) << "log:\n  level: warn\nhttp:\n  body_limit: 131072\n";
  CHECK(reloader.reload(running));
  CHECK(seen.levels.size() == 1);
  CHECK(seen.report_times == std::vector<std::string>{"03:30", ""});
  CHECK(running.report_time.empty());

  // A file with an error is refused whole: not even its valid log.level is applied.
  std::ofstream(path) << "log:\n  level: debug\nhttp:\n  body_limit: 1\n";
  CHECK_FALSE(reloader.reload(running));
  CHECK(seen.levels.size() == 1);
  CHECK(running.log_level == "warn");

  // Without --config there is nothing to re-read.
  Seen none;
  ConfigReloader without("", "", {}, recording(none));
  CHECK(without.reload(running));
  CHECK(none.levels.empty());
}
