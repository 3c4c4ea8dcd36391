#include "daemon/config/rules_holder.hpp"

#include <chrono>
#include <utility>

#include "daemon/config/rules_loader.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/scheduler_clock.hpp"

namespace hotline::daemon {

ReloadOutcome load_initial_rules(const std::string& dir, const routing::FileLimits& limits) {
  const auto started = std::chrono::steady_clock::now();
  auto loaded = load_deployment(dir, limits);
  ReloadOutcome out;
  out.diagnostics = std::move(loaded.diagnostics);
  if (!loaded.ok()) return out;
  out.ok = true;
  out.info.rules = std::move(loaded.rules);
  out.info.calendar = std::move(loaded.calendar);
  out.info.policy = std::move(loaded.policy);
  out.info.load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  out.info.loaded_at = local_stamp_ms(wall_clock().now_ms()).rfc3339;
  return out;
}

ReloadOutcome RulesHolder::reload() {
  std::lock_guard serial(reload_mutex_);
  auto outcome = load_initial_rules(dir_, limits_);
  RulesInfo old;  // released after the lock, so readers never wait for the old set to be freed
  {
    std::lock_guard lock(mutex_);
    if (outcome.ok) old = std::exchange(current_, outcome.info);
    outcome.info = current_;
  }
  return outcome;
}

}  // namespace hotline::daemon
