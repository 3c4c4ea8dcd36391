#include "daemon/app/config_reload.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

namespace hotline::daemon {

ConfigReloader::ConfigReloader(std::string path, const std::string& text, std::set<std::string> overridden, Live live)
    : path_(std::move(path)),
      in_effect_(written_config_keys(text)),
      overridden_(std::move(overridden)),
      live_(std::move(live)) {}

bool ConfigReloader::reload(Config& running) {
  if (path_.empty()) return true;
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    spdlog::error("SIGHUP: cannot read the config file {}; the running config stays", path_);
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  std::vector<routing::Diagnostic> errors;
  const Config next = parse_config(path_, text.str(), errors);
  if (!errors.empty()) {
    spdlog::error("SIGHUP: config {} refused ({} error(s)); the running config stays:", path_, errors.size());
    for (const auto& e : errors) spdlog::error("  {}", e.to_string());
    return false;
  }
  if (live_.refusals) {
    if (const auto problems = live_.refusals(next); !problems.empty()) {
      spdlog::error("SIGHUP: config {} refused ({} error(s)); the running config stays, and a restart would fail:",
                    path_, problems.size());
      for (const auto& p : problems) spdlog::error("  {}", p);
      return false;
    }
  }
  const auto written = written_config_keys(text.str());
  std::set<std::string> keys;
  for (const auto& [k, v] : in_effect_) keys.insert(k);
  for (const auto& [k, v] : written) keys.insert(k);
  int applied = 0, pending = 0;
  for (const auto& key : keys) {
    const auto before = in_effect_.find(key);
    const auto after = written.find(key);
    const bool had = before != in_effect_.end(), has = after != written.end();
    if (had && has && before->second == after->second) continue;
    const std::string was = had ? before->second : "(default)", now = has ? after->second : "(default)";
    if (key == "log.level") {
      running.log_level = next.log_level;
      if (live_.log_level) live_.log_level(next.log_level);
      spdlog::info("config: log.level {} -> {}: applied", was, now);
    } else if (key == "report.time") {
      running.report_time = next.report_time;
      if (live_.report_time) live_.report_time(next.report_time);
      spdlog::info("config: report.time {} -> {}: applied", was, now);
    } else if (overridden_.contains(key)) {
      spdlog::warn("config: {} changed in the file, but the command line's --{} sets it; ignored", key, key);
      continue;  // never in effect: not counted as pending either
    } else {
      spdlog::warn("config: {} changed ({} -> {}): needs a restart of hotlined to take effect", key, was, now);
      ++pending;
      continue;  // still the start-up value: a later SIGHUP says so again
    }
    ++applied;
    if (has) {
      in_effect_[key] = after->second;
    } else {
      in_effect_.erase(key);
    }
  }
  spdlog::info("config {} re-read on SIGHUP: {} change(s) applied, {} waiting for a restart", path_, applied, pending);
  return true;
}

}  // namespace hotline::daemon
