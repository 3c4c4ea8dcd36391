#include "storage/time_budget.hpp"

namespace hotline::storage {
namespace {

// Virtual-machine steps between two looks at the clock: a few microseconds of work, so the deadline is kept to
// well under a millisecond while the clock costs nothing measurable.
constexpr int k_steps_per_check = 4000;

}  // namespace

TimeBudget::TimeBudget(sqlite3* db, std::chrono::milliseconds budget)
    : db_(budget.count() > 0 ? db : nullptr), deadline_(std::chrono::steady_clock::now() + budget) {
  if (db_ != nullptr) sqlite3_progress_handler(db_, k_steps_per_check, &TimeBudget::on_progress, this);
}

TimeBudget::~TimeBudget() {
  if (db_ != nullptr) sqlite3_progress_handler(db_, 0, nullptr, nullptr);
}

int TimeBudget::on_progress(void* self) {
  auto* budget = static_cast<TimeBudget*>(self);
  if (std::chrono::steady_clock::now() < budget->deadline_) return 0;
  budget->exceeded_ = true;
  return 1;  // non-zero: SQLite interrupts the running statement
}

}  // namespace hotline::storage
