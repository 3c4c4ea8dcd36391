// FactBuilder folds stored events, in seq order, into report Facts. It mirrors routing::evolve() for the fields
// the report needs but keeps a few bytes per ticket, so a year of a large city fits in memory. Single-threaded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/report/interner.hpp"
#include "daemon/report/report_facts.hpp"
#include "routing/civil_day.hpp"
#include "storage/report_store.hpp"

namespace hotline::report {

class FactBuilder {
 public:
  FactBuilder();
  // Sizes the tables for about `events` events (a year holds ~7 events per ticket), so they are not copied
  // while growing.
  void reserve(std::int64_t events);
  // Applies one event. Events must come in seq order; unknown kinds are ignored, like routing::evolve().
  void apply(const storage::EventView& e);
  // The facts folded so far; the builder is spent afterwards.
  Facts take();

 private:
  std::uint32_t ticket_index(std::string_view id);
  std::uint32_t* numbered_slot(std::string_view id);
  std::uint32_t add_ticket(std::string_view id);
  static std::uint16_t small_index(Interner& names, std::string_view key);
  AssignmentFacts* find(TicketFacts& t, std::uint16_t unit);
  void dispatched(TicketFacts& t, std::uint32_t ticket, std::uint16_t unit, const storage::EventView& e);
  // Who chose the round a "dispatched" event belongs to (AssignmentFacts::origin); a return's rule.
  std::uint16_t round_origin(TicketFacts& t, bool lead, std::string_view rule);
  std::uint16_t return_origin(const TicketFacts& t, const AssignmentFacts* a) const;
  void recomputed(TicketFacts& t, const storage::EventView& e);
  void withdraw_round(TicketFacts& t);

  Facts facts_;
  // Ticket numbers are prefix + YYYYMMDD + 6-digit daily sequence: they index per-day tables directly (exact,
  // and no hashing). Any other id goes through `other_tickets_`. Units and rules hold "" at index 0.
  std::string prefix_;
  routing::Day first_day_ = 0;
  std::vector<std::vector<std::uint32_t>> by_day_;
  Interner other_tickets_, units_, rules_;
  std::vector<std::uint32_t> other_index_;  // other_tickets_ index -> ticket index
  std::vector<std::unique_ptr<char[]>> arena_;
  std::size_t arena_used_ = 0;
  std::size_t arena_size_ = 0;
  std::string_view last_id_;
  std::uint32_t last_index_ = k_no_index;
  std::string scratch_;
};

// The value of the string member `key` of a flat JSON object of strings (as the daemon stores event payloads);
// "" when absent. Escaped values are decoded into `scratch`, which the result may then point into.
std::string_view payload_field(std::string_view payload, std::string_view key, std::string& scratch);

}  // namespace hotline::report
