// Routing benchmark (run by hand; never by CTest):
//   build/release/tests/route_bench [RULES_DIR] [SECONDS]
// Measures decisions per second on one core with ~250-character Chinese texts against the shipped rules, and a
// straightforward baseline in the same run: every matter keyword, place name and rule keyword searched with
// std::string::find. Also the resident memory of the compiled rule set and the time to build and swap it.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "bench_tickets.hpp"
#include "daemon/config/rules_holder.hpp"
#include "routing/router.hpp"

using namespace hotline;
using Clock = std::chrono::steady_clock;

namespace {

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4;
}

// The baseline: the same decision procedure with std::string::find per keyword instead of one automaton pass.
std::string baseline_route(const routing::Ticket& t, const routing::RuleSet& rules) {
  std::size_t best_matter = SIZE_MAX, best_score = 0;
  for (std::size_t m = 0; m < rules.matters().size(); ++m) {
    std::size_t score = 0;
    for (const auto& k : rules.matters()[m].keywords) {
      if (t.content.find(k) != std::string::npos) score += k.size() / 3;
    }
    if (score > best_score) best_score = score, best_matter = m;
  }
  std::string area;
  for (const auto& d : rules.divisions()) {
    bool found = t.content.find(d.name) != std::string::npos;
    for (const auto& a : d.aliases) found = found || t.content.find(a) != std::string::npos;
    if (found && d.code.size() > area.size()) area = d.code;
  }
  const std::string matter = best_matter == SIZE_MAX ? "" : rules.matters()[best_matter].code;
  const auto& matcher = rules.matcher();
  const routing::Rule* winner = nullptr;
  for (const auto& r : rules.rules()) {
    bool ok = r.matters.empty();
    for (const auto& p : r.matters) ok = ok || matter.starts_with(p);
    bool area_ok = r.areas.empty();
    for (const auto& p : r.areas) area_ok = area_ok || area.starts_with(p);
    if (!ok || !area_ok) continue;
    bool any = r.any.empty();
    for (const auto p : r.any) any = any || t.content.find(matcher.pattern(p)) != std::string::npos;
    bool all = true;
    for (const auto p : r.all) all = all && t.content.find(matcher.pattern(p)) != std::string::npos;
    bool none = true;
    for (const auto p : r.none) none = none && t.content.find(matcher.pattern(p)) == std::string::npos;
    if (any && all && none && rules.resolve(r.lead, area) != nullptr &&
        (winner == nullptr || r.priority > winner->priority)) {
      winner = &r;
    }
  }
  return winner ? winner->id : "fallback";
}

// The thread's CPU time: on a shared machine the wall clock also counts the time other processes had the core.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Rate {
  double per_wall_second;
  double per_cpu_second;
};

template <class F>
Rate per_second(double seconds, const std::vector<routing::Ticket>& tickets, F&& f) {
  std::size_t n = 0;
  const auto start = Clock::now();
  const double cpu_start = thread_cpu_seconds();
  const auto until = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < until) {
    for (const auto& t : tickets) f(t);
    n += tickets.size();
  }
  const double cpu = thread_cpu_seconds() - cpu_start;
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  return {static_cast<double>(n) / wall, static_cast<double>(n) / cpu};
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "rules";
  const double seconds = argc > 2 ? std::stod(argv[2]) : 3.0;

  const long before = resident_kib();
  auto first = daemon::load_initial_rules(dir);
  if (!first.ok) {
    for (const auto& d : first.diagnostics) std::cerr << d.to_string() << '\n';
    return 1;
  }
  const long after = resident_kib();
  daemon::RulesHolder holder(dir, first.info);
  const auto swap_start = Clock::now();
  const auto reload = holder.reload();
  const double swap_ms = std::chrono::duration<double, std::milli>(Clock::now() - swap_start).count();
  const auto rules = holder.get();

  const auto tickets = bench::make_tickets();
  std::size_t chars = 0;
  for (const auto& t : tickets) {
    for (const char c : t.content) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }
  std::size_t sink = 0;
  const Rate fast = per_second(seconds, tickets,
                               [&](const routing::Ticket& t) { sink += routing::route(t, *rules).lead->id.size(); });
  const Rate slow =
      per_second(seconds, tickets, [&](const routing::Ticket& t) { sink += baseline_route(t, *rules).size(); });

  std::printf("rules: %zu units, %zu matters, %zu rules, %zu patterns, version %s\n", rules->units().size(),
              rules->matters().size(), rules->rules().size(), rules->matcher().pattern_count(),
              rules->version().c_str());
  std::printf("texts: %zu tickets, %.0f characters on average\n", tickets.size(),
              static_cast<double>(chars) / static_cast<double>(tickets.size()));
  std::printf("route():  %.0f decisions/s on one thread (%.0f per second of the thread's CPU time)\n",
              fast.per_wall_second, fast.per_cpu_second);
  std::printf("baseline: %.0f decisions/s (std::string::find per keyword; %.0f per CPU second)\n", slow.per_wall_second,
              slow.per_cpu_second);
  std::printf("speed-up: %.1fx (CPU time)\n", fast.per_cpu_second / slow.per_cpu_second);
  std::printf("compiled rule set: %.1f MB resident (RSS growth while loading), %.1f MB counted by memory_bytes()\n",
              static_cast<double>(after - before) / 1024.0, static_cast<double>(rules->memory_bytes()) / 1048576.0);
  std::printf("build + check + swap: %.0f ms (reload ok: %s); first load %.0f ms\n", swap_ms, reload.ok ? "yes" : "no",
              first.info.load_ms);
  return sink == 0 ? 1 : 0;
}
