// SIGHUP's re-reading of hotlined's config file (--config). A file with errors is refused whole (each error logged
// as file:line:column) and the running config stays. Otherwise each key whose written value changed is applied
// live when that is safe — log.level, report.time — and every other changed key gets one log line saying it takes
// effect at the next restart.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "daemon/config/config.hpp"

namespace hotline::daemon {

class ConfigReloader {
 public:
  struct Live {
    std::function<void(const std::string& level)> log_level;          // log.level changed
    std::function<void(const std::string& report_time)> report_time;  // report.time changed ("" = off)
    // What the next start would refuse in a file that parses (config_refusals); the file is refused for it too.
    std::function<std::vector<std::string>(const Config& next)> refusals;
  };
  // `path`: the --config file ("" when none was given: reload() does nothing); `text`: what start-up read from
  // it; `overridden`: the keys the command line set (listen, database, rules), which the file cannot change.
  ConfigReloader(std::string path, const std::string& text, std::set<std::string> overridden, Live live);

  // Re-reads the file and applies it to `running` as above. Returns whether the file was accepted.
  bool reload(Config& running);

 private:
  std::string path_;
  std::map<std::string, std::string> in_effect_;  // the keys as written in the file the running config follows
  std::set<std::string> overridden_;
  Live live_;
};

}  // namespace hotline::daemon
