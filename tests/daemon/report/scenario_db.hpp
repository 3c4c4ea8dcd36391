// Builds the report test database from tests/daemon/report/fixtures/scenario.txt by driving the real life-cycle machine
// (routing::create_case / decide with the fixture rules' clocks) and the real storage API, so every event and
// payload is exactly what the daemon writes.
#pragma once

#include <map>
#include <string>

namespace hotline::test {

struct Scenario {
  std::map<std::string, std::string> ids;  // label (T01...) -> ticket number
};

// Creates `db_path` (must not exist) from `script_path` with the rules in `rules_dir`. Throws std::runtime_error
// naming the script line when a step is refused or malformed.
Scenario build_scenario_db(const std::string& db_path, const std::string& script_path, const std::string& rules_dir);

}  // namespace hotline::test
