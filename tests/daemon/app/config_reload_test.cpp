#include "daemon/app/config_reload.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "daemon/app/config_checks.hpp"
#include "daemon/config/rules_loader.hpp"
#include "support/daemon_process.hpp"

using namespace hotline::daemon;

namespace {

struct Seen {
  std::vector<std::string> levels, report_times;
};

// The live rule set hotlined checks a re-read config against (as at start-up).
const hotline::routing::RuleSet& live_rules() {
  static const auto loaded = load_rules(E2E_RULES_DIR);
  REQUIRE(loaded.rule_set);
  return *loaded.rule_set;
}

ConfigReloader::Live recording(Seen& seen) {
  return {[&seen](const std::string& level) { seen.levels.push_back(level); },
          [&seen](const std::string& time) { seen.report_times.push_back(time); },
          [](const Config& next) { return config_refusals(next, live_rules()); }};
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

  // So is a file the next start would refuse, though it parses: a zone not installed, a unit the rules lack, a
  // CA file that is not there. A restart it asks for would fail, and the daemon would stay down.
  for (const char* bad : {"timezone: Asia/Shangai\n", "report:\n  notify: [999999.nope]\n",
                          "notifications:\n  ca_file: /nonexistent/ca.pem\n",
                          "notifications:\n  webhooks:\n    - {unit: 350602.cgjj, url: \"http://127.0.0.1:9/x\"}\n"}) {
    INFO(bad);
    std::ofstream(path) << "log:\n  level: error\n" << bad;
    CHECK_FALSE(reloader.reload(running));
    CHECK(running.log_level == "warn");
  }
  std::ofstream(path) << "log:\n  level: error\ntimezone: Asia/Shanghai\n";
  CHECK(reloader.reload(running));
  CHECK(running.log_level == "error");

  // Without --config there is nothing to re-read.
  Seen none;
  ConfigReloader without("", "", {}, recording(none));
  CHECK(without.reload(running));
  CHECK(none.levels.empty());
}
