// FactBuilder, the ticket half: ticket ids to dense indices. Ticket numbers index per-day tables directly;
// any other id goes through an interner.
#include <algorithm>

#include "daemon/report/fact_builder.hpp"

namespace hotline::report {

std::uint32_t* FactBuilder::numbered_slot(std::string_view id) {
  constexpr std::size_t k_digits = 14;  // YYYYMMDD + 6-digit sequence
  if (id.size() <= k_digits) return nullptr;
  const auto prefix = id.substr(0, id.size() - k_digits);
  if (prefix_.empty()) prefix_ = prefix;
  if (prefix != prefix_) return nullptr;
  int n[k_digits];
  for (std::size_t i = 0; i < k_digits; ++i) {
    const char c = id[prefix.size() + i];
    if (c < '0' || c > '9') return nullptr;
    n[i] = c - '0';
  }
  const int year = n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3];
  const int month = n[4] * 10 + n[5];
  const int day_of_month = n[6] * 10 + n[7];
  const int seq = ((((n[8] * 10 + n[9]) * 10 + n[10]) * 10 + n[11]) * 10 + n[12]) * 10 + n[13];
  if (month < 1 || month > 12 || day_of_month < 1 || day_of_month > routing::days_in_month(year, month)) return nullptr;
  const auto day = routing::day_from_civil(year, month, day_of_month);
  if (by_day_.empty()) first_day_ = day;
  if (day < first_day_) {  // an id older than the first one seen: shift the table (rare, bounded by the span)
    if (first_day_ - day > 100'000) return nullptr;
    by_day_.insert(by_day_.begin(), static_cast<std::size_t>(first_day_ - day), {});
    first_day_ = day;
  }
  const auto d = static_cast<std::size_t>(day - first_day_);
  if (d > 100'000) return nullptr;
  if (d >= by_day_.size()) by_day_.resize(d + 1);
  auto& slots = by_day_[d];
  if (static_cast<std::size_t>(seq) >= slots.size()) slots.resize(static_cast<std::size_t>(seq) + 1, k_no_index);
  return &slots[static_cast<std::size_t>(seq)];
}

std::uint32_t FactBuilder::add_ticket(std::string_view id) {
  constexpr std::size_t k_block = 1 << 20;
  if (arena_.empty() || arena_size_ - arena_used_ < id.size()) {
    arena_size_ = std::max(k_block, id.size());
    arena_.push_back(std::make_unique<char[]>(arena_size_));
    arena_used_ = 0;
  }
  char* at = arena_.back().get() + arena_used_;  // blocks never move: the views stay valid
  std::copy(id.begin(), id.end(), at);
  arena_used_ += id.size();
  facts_.ticket_ids.emplace_back(at, id.size());
  facts_.tickets.emplace_back();
  return static_cast<std::uint32_t>(facts_.tickets.size() - 1);
}

std::uint32_t FactBuilder::ticket_index(std::string_view id) {
  // A ticket's events mostly come together (intake writes received + dispatched in one transaction).
  if (last_index_ != k_no_index && id == last_id_) return last_index_;
  if (auto* slot = numbered_slot(id)) {
    if (*slot == k_no_index) *slot = add_ticket(id);
    last_index_ = *slot;
  } else {
    const auto other = other_tickets_.intern(id);
    if (other == other_index_.size()) other_index_.push_back(add_ticket(id));
    last_index_ = other_index_[other];
  }
  last_id_ = facts_.ticket_ids[last_index_];
  return last_index_;
}

}  // namespace hotline::report
