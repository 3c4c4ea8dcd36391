// The case transactions: a new ticket (intake) and every action on an open one, each decided by the life-cycle
// machine and committed through the writer in one transaction with its projection, stage plan and notifications.
// The API, the web terminal and the tools take cases through here and only here. Thread-safe: the calls run on
// any executor; the read-decide-write of an action happens on the writer thread, so no other change to the ticket
// can interleave.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/cases/case_result.hpp"
#include "daemon/config/rules_holder.hpp"
#include "daemon/escalation/escalation_hooks.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "daemon/wire/ticket_json.hpp"
#include "daemon/writer/ticket_writer.hpp"
#include "routing/lifecycle.hpp"
#include "routing/router.hpp"

namespace hotline::daemon {

class CallerKeys;
class LookupCodes;

struct CaseDeps {
  RulesHolder& rules;
  TicketWriter& writer;
  const EscalationHooks* escalation = nullptr;  // stage plans and dispatch notifications; null: none
  SchedulerClock* clock = &wall_clock();        // "now" of every decision and stamp
  std::string ticket_prefix;                    // ids are PREFIX + day + sequence
  const CallerKeys* callers = nullptr;          // keys tickets by caller phone; null: no caller keys
  const LookupCodes* lookup = nullptr;          // the citizen's lookup codes; null: none given
};

// Likely duplicates at intake: open tickets routed on the same matter and area within duplicates.days, whose text is
// at least this alike (routing::bigram_similarity), the most alike first, at most this many; of the newest
// k_duplicate_candidates of them.
constexpr double k_duplicate_min_similarity = 0.5;
constexpr std::size_t k_duplicate_suggestions = 3;
constexpr int k_duplicate_candidates = 20;
struct LikelyDuplicate {
  std::string id;
  double similarity = 0;
};

// How far back intake looks for a caller's earlier tickets, and how many it lists.
constexpr std::int64_t k_caller_history_ms = 90LL * 86'400'000;
constexpr int k_caller_history_limit = 20;

// A ticket taken in.
struct OpenedCase {
  std::string id;
  routing::Case state;  // after the intake events
  LocalStamp received;  // when it was taken in
  // The caller's earlier tickets of the last 90 days (newest first, at most 20), read in the intake's own
  // transaction; nullopt when the ticket has no phone that keys.
  std::optional<std::vector<std::string>> caller_history;
  std::string lookup_code;  // the citizen's 查询码 (only its keyed hash is stored); empty without lookup codes
};

// The likely duplicates of a ticket just taken in (`self`, left out) with `content`, routed on `matter` and `area`:
// read from `store` (a reader: a suggestion needs no transaction, and the writer thread stays free of it), none
// when the matter or the area is unknown or `days` is 0.
storage::Result<std::vector<LikelyDuplicate>> find_likely_duplicates(storage::TicketStore& store,
                                                                     const std::string& self,
                                                                     const std::string& content,
                                                                     const std::string& matter, const std::string& area,
                                                                     std::int64_t now_ms, int days);

// An action applied.
struct MovedCase {
  routing::CaseState before = routing::CaseState::awaiting_sign_for;
  routing::Case after;
  std::vector<routing::Event> events;  // what the action appended, in order
  LocalStamp at;                       // when
  RulesInfo live;                      // the rules, calendar and time limits it was decided under
  // Other tickets of the move whose state changed (a ticket merged into this one taking its approved reply):
  // (before, after) each.
  std::vector<std::pair<routing::CaseState, routing::CaseState>> other_moves;
};

class CaseTransactions {
 public:
  explicit CaseTransactions(CaseDeps deps) : deps_(std::move(deps)) {}

  // Opens a case for `intake`, already routed to `decision` under `live` (`decision_json` is how the ticket
  // stores it), as `who`. Refused when the life-cycle machine refuses the disposition; a storage failure stores
  // nothing.
  boost::asio::awaitable<CaseResult<OpenedCase>> open(IntakeRequest intake, const routing::Decision& decision,
                                                      std::string decision_json, const RulesInfo& live,
                                                      routing::Actor who) const;

  // Whether the caller may see the stored case (null: anyone may). Called on the writer thread.
  using Visible = std::function<bool(const routing::Case&)>;
  // Applies `command` to ticket `id` as `actor`: not_found (also when `visible` says no), refused (nothing
  // written) or the events appended.
  boost::asio::awaitable<CaseResult<MovedCase>> act(std::string id, routing::Command command, routing::Actor actor,
                                                    Visible visible = {}) const;

  const CaseDeps& deps() const { return deps_; }

 private:
  CaseDeps deps_;
};

}  // namespace hotline::daemon
