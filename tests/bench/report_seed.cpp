// Report benchmark seeder (run by hand through tests/bench/report_bench.sh; never by CTest):
//   build/release/tests/report_seed DB_PATH [TICKETS] [RULES_DIR]
// Writes a year of a large city ending 2026-11-30 (default 1,000,000 tickets) with the real schema and event
// payloads shaped exactly as the daemon stores them: dispatch over the shipped unit directory (a few busy units,
// a long tail), late sign-fors, returns with reasons, extensions, redos, urges and warnings, merged and
// not-accepted tickets; tickets still open at the end have only the events that happened by then. Events are
// inserted in time order (as the daemon appends them), in big transactions with the per-ticket index built last.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "daemon/config/rules_loader.hpp"
#include "routing/civil_day.hpp"
#include "storage/database.hpp"

using namespace hotline;
using Clock = std::chrono::steady_clock;

namespace {

enum Kind : std::uint8_t {
  received,
  dispatched,
  dispatched_co,
  signed_for,
  return_requested,
  return_approved,
  redispatched,
  return_declined,
  extension_requested,
  extension_approved,
  replied,
  reply_approved,
  followed_up,
  followed_up_redo,
  redo,
  closed,
  urged,
  warned,
  not_accepted,
  answered_directly,
  merged
};
constexpr const char* k_kind_names[] = {
    "received",        "dispatched",     "dispatched",      "signed_for",          "return_requested",
    "return_approved", "dispatched",     "return_declined", "extension_requested", "extension_approved",
    "replied",         "reply_approved", "followed_up",     "followed_up",         "redo",
    "closed",          "urged",          "warned",          "not_accepted",        "answered_directly",
    "merged"};

struct SeedEvent {
  std::int64_t at_ms;
  std::uint32_t ticket;
  std::uint16_t unit;
  std::uint8_t kind;
  std::uint8_t variant;  // satisfaction / reason choice
};

constexpr int k_offset = 480;
constexpr std::uint16_t k_no_unit = 0xFFFF;
constexpr std::int64_t k_hour = 3'600'000;
constexpr std::int64_t k_day = 86'400'000;

std::int64_t midnight_after(std::int64_t ms, int days) {
  return routing::start_of_day(routing::local_day(ms, k_offset) + days, k_offset);
}

std::string payload(const SeedEvent& e, const std::vector<std::string>& units, const std::string& rule,
                    std::uint16_t other_unit) {
  static const char* satisfaction[] = {"satisfied",           "satisfied",   "satisfied",
                                       "basically_satisfied", "unsatisfied", "unrated"};
  static const char* resolution[] = {"resolved",           "resolved",   "resolved",
                                     "partially_resolved", "unresolved", "resolved"};
  switch (e.kind) {
    case received:
      return R"({"channel":"phone","disposition":"dispatch","type":"complaint","urgency":"normal"})";
    case dispatched:
    case dispatched_co:
    case redispatched:
      return fmt::format(R"({{"lead":"{}","reply_due":"{}","reply_provisional":"false","rule":"{}",)"
                         R"("rules_version":"676f71ab66635af3","sign_for_due":"{}","sign_for_provisional":"false",)"
                         R"("unit":"{}"}})",
                         e.kind == dispatched_co ? "false" : "true", midnight_after(e.at_ms, 8),
                         e.kind == redispatched ? "" : rule, midnight_after(e.at_ms, 2), units[e.unit]);
    case return_requested:
      return e.variant % 2
                 ? R"({"previous_state":"in_progress","reason":"该事项不属于本单位职责范围，建议改派住建部门","reason_code":"not_our_duty"})"
                 : R"({"previous_state":"awaiting_sign_for","reason":"诉求地点不在本辖区","reason_code":"not_our_territory"})";
    case return_approved:
      return fmt::format(R"({{"co":"","new_lead":"{}","previous_lead":"{}"}})", units[other_unit], units[e.unit]);
    case return_declined:
      return R"({"note":"属于本单位职责","state":"in_progress"})";
    case extension_requested:
      return R"({"reason":"需要协调多个部门现场处置","working_days":"3"})";
    case extension_approved:
      return fmt::format(R"({{"reply_due":"{}","reply_provisional":"false","working_days":"3"}})",
                         midnight_after(e.at_ms, 9));
    case replied:
      return R"({"basis":"《漳州市城市管理条例》","handler":"","text":"经核实，已安排人员现场处理，问题已解决，并电话告知市民。"})";
    case reply_approved:
      return fmt::format(R"({{"follow_up_due":"{}","follow_up_provisional":"false"}})", midnight_after(e.at_ms, 2));
    case followed_up:
      return fmt::format(R"({{"redo":"false","resolution":"{}","satisfaction":"{}"}})", resolution[e.variant % 6],
                         satisfaction[e.variant % 6]);
    case followed_up_redo:
      return R"({"redo":"true","resolution":"unresolved","satisfaction":"unsatisfied"})";
    case redo:
      return fmt::format(R"({{"reply_due":"{}","reply_provisional":"false"}})", midnight_after(e.at_ms, 8));
    case urged:
      return R"({"note":"请尽快办理"})";
    case warned:
      return R"({"clock":"reply","stage":"yellow"})";
    case not_accepted:
      return R"({"reason":"不属于12345受理范围"})";
    case answered_directly:
      return R"({"answer":"已由话务员直接答复政策咨询"})";
    case merged:
      return R"({"into":"ZZ20260101000001"})";
    default:
      return "{}";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: report_seed DB_PATH [TICKETS] [RULES_DIR]\n");
    return 2;
  }
  const std::string path = argv[1];
  const std::uint32_t tickets = argc > 2 ? static_cast<std::uint32_t>(std::stoul(argv[2])) : 1'000'000;
  const std::string rules_dir = argc > 3 ? argv[3] : "rules";
  const auto rules = daemon::load_rules(rules_dir).rule_set;
  if (!rules) {
    std::fprintf(stderr, "report_seed: rules in %s are invalid\n", rules_dir.c_str());
    return 1;
  }
  std::vector<std::string> units;
  for (const auto& u : rules->units()) units.push_back(u.id);
  std::vector<std::string> rule_ids;
  for (const auto& r : rules->rules()) rule_ids.push_back(r.id);

  const auto start = Clock::now();
  std::mt19937_64 rng(12345);
  const auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  const auto chance = [&](double p) { return uniform(0, 1) < p; };
  // A few busy units and a long tail, as in a real city: 1/(rank+5) weights.
  std::vector<double> weights;
  for (std::size_t i = 0; i < units.size(); ++i) weights.push_back(1.0 / static_cast<double>(i + 5));
  std::shuffle(weights.begin(), weights.end(), rng);
  std::discrete_distribution<std::size_t> pick_unit(weights.begin(), weights.end());

  const auto last_day = *routing::parse_day("2026-11-30");
  const std::int64_t end_ms = routing::start_of_day(last_day + 1, k_offset);
  const std::int64_t begin_ms = routing::start_of_day(last_day - 364, k_offset);
  std::vector<SeedEvent> events;
  events.reserve(static_cast<std::size_t>(tickets) * 8);
  std::vector<std::int64_t> received_at(tickets);
  std::vector<std::uint16_t> rule_of(tickets), other_unit(tickets);
  for (std::uint32_t t = 0; t < tickets; ++t) {
    const auto day = static_cast<std::int64_t>(uniform(0, 365));
    auto at = begin_ms + day * k_day + static_cast<std::int64_t>(uniform(8, 21) * static_cast<double>(k_hour));
    received_at[t] = at;
    rule_of[t] = static_cast<std::uint16_t>(std::uniform_int_distribution<std::size_t>(0, rule_ids.size() - 1)(rng));
    auto unit = static_cast<std::uint16_t>(pick_unit(rng));
    other_unit[t] = static_cast<std::uint16_t>(pick_unit(rng));
    const auto variant = static_cast<std::uint8_t>(std::uniform_int_distribution<int>(0, 5)(rng));
    const auto add = [&](std::int64_t when, Kind k, std::uint16_t u) { events.push_back({when, t, u, k, variant}); };
    add(at, received, k_no_unit);
    if (chance(0.03)) {
      add(at, not_accepted, k_no_unit);
      continue;
    }
    if (chance(0.03)) {
      add(at, answered_directly, k_no_unit);
      continue;
    }
    add(at, dispatched, unit);
    if (chance(0.10)) add(at, dispatched_co, other_unit[t]);
    if (chance(0.01)) {
      add(at + 2 * k_hour, merged, k_no_unit);
      continue;
    }
    if (chance(0.05)) {
      at += static_cast<std::int64_t>(uniform(0.5, 20) * static_cast<double>(k_hour));
      add(at, return_requested, unit);
      at += static_cast<std::int64_t>(uniform(1, 20) * static_cast<double>(k_hour));
      if (chance(0.7)) {
        add(at, return_approved, unit);
        unit = other_unit[t];
        add(at, redispatched, unit);
      } else {
        add(at, return_declined, unit);
      }
    }
    at += static_cast<std::int64_t>((chance(0.9) ? uniform(0.2, 20) : uniform(24, 80)) * static_cast<double>(k_hour));
    add(at, signed_for, unit);
    if (chance(0.10)) add(at + k_day, urged, unit);
    if (chance(0.10)) add(at + 2 * k_day, warned, unit);
    if (chance(0.05)) {
      add(at + 2 * k_day, extension_requested, unit);
      add(at + 2 * k_day + 2 * k_hour, extension_approved, unit);
    }
    at += static_cast<std::int64_t>((chance(0.85) ? uniform(0.5, 6) : uniform(6, 12)) * static_cast<double>(k_day));
    add(at, replied, unit);
    at += static_cast<std::int64_t>(uniform(1, 20) * static_cast<double>(k_hour));
    add(at, reply_approved, k_no_unit);
    at += static_cast<std::int64_t>(uniform(20, 48) * static_cast<double>(k_hour));
    if (chance(0.04)) {
      add(at, followed_up_redo, k_no_unit);
      add(at, redo, unit);
      at += static_cast<std::int64_t>(uniform(1, 5) * static_cast<double>(k_day));
      add(at, replied, unit);
      add(at + k_hour, reply_approved, k_no_unit);
      at += k_day;
    }
    add(at, followed_up, k_no_unit);
    add(at, closed, k_no_unit);
  }
  // The daemon appends in time order; events after the end of the year have not happened yet.
  std::erase_if(events, [&](const SeedEvent& e) { return e.at_ms >= end_ms; });
  std::stable_sort(events.begin(), events.end(),
                   [](const SeedEvent& a, const SeedEvent& b) { return a.at_ms < b.at_ms; });

  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto db = storage::open_database(path).value();
  (void)db.exec("PRAGMA synchronous=OFF; PRAGMA cache_size=-400000; DROP INDEX events_by_ticket;");
  std::vector<std::string> ids(tickets);
  {
    // Ticket numbers in intake order: prefix, local date, daily sequence.
    std::vector<std::uint32_t> order(tickets);
    for (std::uint32_t t = 0; t < tickets; ++t) order[t] = t;
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return received_at[a] < received_at[b]; });
    routing::Day day = 0;
    int seq = 0;
    for (const auto t : order) {
      const auto d = routing::local_day(received_at[t], k_offset);
      seq = d == day ? seq + 1 : 1;
      day = d;
      const auto c = routing::civil_from_day(d);
      ids[t] = fmt::format("ZZ{:04d}{:02d}{:02d}{:06d}", c.year, c.month, c.day, seq);
    }
    (void)db.exec("BEGIN");
    storage::Statement ins(db.get(),
                           "INSERT INTO tickets(id, received_at, received_ms, type, urgency, channel, content, state,"
                           " unit_id, unit_name, rule_id, rules_version, decision, updated_ms)"
                           " VALUES(?1, '', ?2, 'complaint', 'normal', 'phone', ?3, 'closed', ?4, ?4, ?5,"
                           " '676f71ab66635af3', '{}', ?2)");
    for (const auto t : order) {
      ins.bind(1, ids[t]).bind(2, received_at[t]).bind(3, "芗城区胜利路路灯不亮，晚上出行很不方便，请尽快维修。");
      ins.bind(4, units[0]).bind(5, rule_ids[rule_of[t]]);
      (void)ins.run();
    }
    (void)db.exec("COMMIT");
  }
  std::fprintf(stderr, "report_seed: %u tickets inserted after %.1f s\n", tickets,
               std::chrono::duration<double>(Clock::now() - start).count());
  storage::Statement ins(db.get(),
                         "INSERT INTO events(ticket_id, at, at_ms, kind, actor, role, unit_id, payload)"
                         " VALUES(?1, '', ?2, ?3, 'seed', 'system', ?4, ?5)");
  (void)db.exec("BEGIN");
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    ins.bind(1, ids[e.ticket]).bind(2, e.at_ms).bind(3, k_kind_names[e.kind]);
    if (e.unit != k_no_unit) {
      ins.bind(4, units[e.unit]);
    } else {
      ins.bind_null(4);
    }
    ins.bind(5, payload(e, units, rule_ids[rule_of[e.ticket]], other_unit[e.ticket]));
    (void)ins.run();
    if (i % 1'000'000 == 999'999) (void)db.exec("COMMIT; BEGIN");
  }
  (void)db.exec("COMMIT");
  (void)db.exec("CREATE INDEX events_by_ticket ON events(ticket_id, seq); PRAGMA wal_checkpoint(TRUNCATE);");
  std::printf("report_seed: %u tickets, %zu events in %.1f s -> %s\n", tickets, events.size(),
              std::chrono::duration<double>(Clock::now() - start).count(), path.c_str());
  return 0;
}
