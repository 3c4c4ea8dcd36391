// Time-limit policy: which sign-for, reply, warning, return, extension and follow-up limits apply to a ticket,
// per request type × urgency × channel (× unit level), compiled from rules/time_limits.yaml.
// Built once by compile(), then immutable and shared as shared_ptr<const TimePolicyTable>: safe from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/deadline.hpp"
#include "routing/diagnostic.hpp"
#include "routing/rule_set.hpp"
#include "routing/ticket.hpp"

namespace hotline::routing {

struct TimePolicy {
  TimeLimit sign_for, reply;  // clocks that start at dispatch
  TimeLimit yellow_before;    // yellow card (黄牌) when this much remains: before_deadline(reply deadline, this)
  TimeLimit red_after;        // red card (红牌) this long after the deadline ("0 wd" = at the deadline)
  TimeLimit return_window;    // returns (退单) allowed within this of dispatch
  int max_returns = 0;        // returns allowed per ticket before the hotline must arbitrate
  TimeLimit extension_cap;    // total extension (延期) allowed
  TimeLimit follow_up_delay;  // follow-up call (回访) due this long after the reply
  TimeLimit supervise_after;  // supervise (督办) when still overdue this long after the deadline
  TimeLimit urge_after;       // urge (催办) when still overdue this long after the deadline; defaults to red_after
  TimeLimit dispatch;  // 派单时限: the dispatch desk sends on what it holds within this; defaults to sign_for
  // A unit disputes a declined return (争议, to arbitration) within this of the decline. The one limit with a
  // default in code (1 wd), so a rules folder written before the window existed keeps loading unchanged.
  TimeLimit dispute{1, LimitUnit::working_days, Counting::next_day};

  friend bool operator==(const TimePolicy&, const TimePolicy&) = default;
};

struct PolicyResult;

class TimePolicyTable {
 public:
  // Parses and checks every file (YAML). Top-level keys:
  //   defaults:    {counting: next_day|inclusive, sign_for: 1 wd, reply: 5 wd, yellow_before: 1 wd, red_after: 0 wd,
  //                 return_window: 2 wd, max_returns: 2, extension_cap: 10 wd, follow_up_delay: 1 wd,
  //                 supervise_after: 5 wd, urge_after: 1 wd, dispatch: 2 h, dispute: 1 wd} — exactly once across
  //                 the files, every key but `counting`, `urge_after`, `dispatch` and `dispute` required (counting
  //                 defaults to next_day; urge_after to the red_after of the same policy, so the urge comes with the
  //                 red card; dispatch, when the defaults leave it out, to the sign_for of the same policy; dispute
  //                 to 1 wd, the only number from the code, so older rules folders keep loading).
  //   time_limits: [{when: {type: [..], urgency: [..], channel: [..], level: [..]}, <any key of defaults>}...]
  //                 `when` needs at least one condition; each condition is a value or a non-empty list.
  // Limits are "<n> wd|h|min|s" (parse_time_limit). An entry's `counting` (or else the defaults') applies to every
  // working-day limit of the policy it selects, inherited ones included. Never throws on bad input: every problem
  // (syntax, unknown key or value, bad limit, missing or repeated defaults) is a diagnostic with file:line:column
  // and `table` is null when any is an error. An entry with the same conditions as an earlier one is a warning.
  static PolicyResult compile(const std::vector<SourceFile>& files, FileLimits limits = {});

  // The policy for a ticket. Among entries whose conditions all hold (a `level` condition never holds when
  // `level` is nullopt), the one with the most conditions wins, then the earlier one (files in path order,
  // entries in file order); its keys override the defaults. No entry holds: the defaults.
  TimePolicy select(RequestType type, Urgency urgency, std::string_view channel, std::optional<Level> level) const;
  // Where the entry select() takes was declared; nullopt when the defaults apply.
  std::optional<SourcePos> selected_entry(RequestType type, Urgency urgency, std::string_view channel,
                                          std::optional<Level> level) const;

  const TimePolicy& defaults() const { return defaults_; }
  std::size_t entry_count() const { return entries_.size(); }
  const std::string& version() const { return version_; }  // content hash of the files, 16 hex digits

 private:
  friend class TimePolicyBuilder;
  struct Entry {
    SourcePos pos;
    std::uint32_t types = 0;            // bit per RequestType; 0 = any
    std::uint32_t urgencies = 0;        // bit per Urgency; 0 = any
    std::uint32_t levels = 0;           // bit per Level; 0 = any
    std::vector<std::string> channels;  // empty = any
    int conditions = 0;
    TimePolicy policy;  // the defaults with this entry's keys applied
  };
  TimePolicyTable() = default;
  const Entry* best(RequestType type, Urgency urgency, std::string_view channel, std::optional<Level> level) const;

  TimePolicy defaults_;
  std::vector<Entry> entries_;
  std::string version_;
};

struct PolicyResult {
  std::shared_ptr<const TimePolicyTable> table;
  std::vector<Diagnostic> diagnostics;
};

}  // namespace hotline::routing
