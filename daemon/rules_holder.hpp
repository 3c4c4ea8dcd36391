// The live rule set: readers take a snapshot (shared_ptr) per request; a reload swaps in a complete new set in
// one step, and in-flight requests keep the set they started with. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "routing/rule_set.hpp"

namespace hotline::daemon {

class RulesHolder {
 public:
  explicit RulesHolder(std::shared_ptr<const routing::RuleSet> initial) : current_(std::move(initial)) {}

  std::shared_ptr<const routing::RuleSet> get() const {
    std::lock_guard lock(mutex_);
    return current_;
  }

  void swap_in(std::shared_ptr<const routing::RuleSet> next) {
    std::lock_guard lock(mutex_);
    current_.swap(next);  // the old set is released outside the caller's critical path, by `next` going out of scope
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const routing::RuleSet> current_;
};

}  // namespace hotline::daemon
