// Routing benchmark (run by hand; never by CTest):
//   build/release/tests/route_bench [RULES_DIR] [SECONDS] [ROUNDS] [LENGTHS]
// Measures decisions per second on one core with ~250-character Chinese texts against the shipped rules, and a
// straightforward baseline in the same run: every matter keyword, place name and rule keyword searched with
// std::string::find. Also the resident memory of the compiled rule set and the time to build and swap it. Unless
// LENGTHS is 0, the same texts cut to a half, a quarter and two characters are measured too.
#include <algorithm>
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

// The machine's speed varies from run to run (a virtual machine: the same binary reads anywhere from 150,000 to
// 225,000 decisions per CPU second in one minute), so the time is cut into rounds: the best round is the code's
// own speed, the median what a run may expect.
struct Rate {
  double per_wall_second;  // over all rounds
  double best_per_cpu_second;
  double median_per_cpu_second;
};

template <class F>
Rate per_second(double seconds, int rounds, const std::vector<routing::Ticket>& tickets, F&& f) {
  std::size_t n = 0;
  std::vector<double> rates;
  const auto start = Clock::now();
  for (int r = 0; r < rounds; ++r) {
    std::size_t round_n = 0;
    const double cpu_start = thread_cpu_seconds();
    const auto until = Clock::now() + std::chrono::duration<double>(seconds / rounds);
    while (Clock::now() < until) {
      for (const auto& t : tickets) f(t);
      round_n += tickets.size();
    }
    rates.push_back(static_cast<double>(round_n) / (thread_cpu_seconds() - cpu_start));
    n += round_n;
  }
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(rates.begin(), rates.end());
  return {static_cast<double>(n) / wall, rates.back(), rates[rates.size() / 2]};
}

// The same tickets cut to their first `chars` characters (a call as an operator types it is short; a written
// message as long as the full texts or longer).
std::vector<routing::Ticket> cut_to(std::vector<routing::Ticket> tickets, std::size_t chars) {
  for (auto& t : tickets) {
    std::size_t seen = 0, at = 0;
    for (; at < t.content.size(); ++at) {
      if ((static_cast<unsigned char>(t.content[at]) & 0xC0) != 0x80 && seen++ == chars) break;
    }
    t.content.resize(at);
  }
  return tickets;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "rules";
  const double seconds = argc > 2 ? std::stod(argv[2]) : 3.0;
  const int rounds = argc > 3 ? std::max(1, std::stoi(argv[3])) : 5;
  const bool by_length = argc > 4 ? std::stoi(argv[4]) != 0 : true;  // 0: the full texts only (callgrind runs)

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
  const auto route_one = [&](const routing::Ticket& t) { sink += routing::route(t, *rules).lead->id.size(); };
  const Rate fast = per_second(seconds, rounds, tickets, route_one);
  const Rate slow =
      per_second(seconds, rounds, tickets, [&](const routing::Ticket& t) { sink += baseline_route(t, *rules).size(); });

  std::printf("rules: %zu units, %zu matters, %zu rules, %zu patterns, version %s\n", rules->units().size(),
              rules->matters().size(), rules->rules().size(), rules->matcher().pattern_count(),
              rules->version().c_str());
  std::printf("texts: %zu tickets, %.0f characters on average\n", tickets.size(),
              static_cast<double>(chars) / static_cast<double>(tickets.size()));
  std::printf("route():  %.0f decisions per CPU second, best of %d rounds (median %.0f; %.0f per wall second)\n",
              fast.best_per_cpu_second, rounds, fast.median_per_cpu_second, fast.per_wall_second);
  // How the time grows with the text: the full texts, their first half, their first quarter and their first two
  // characters (what a decision costs with almost no text), measured in turn within each round (the machine's speed
  // drifts between rounds), the best round of each; and the slope of the line (least squares) through the three
  // longer lengths, the cost of a further character. The line's intercept is no cost every decision pays: the
  // evidence a text brings (keywords, matters touched, rules) comes in over its first few dozen characters.
  if (by_length) {
    constexpr int k_lengths = 4;
    const std::size_t average = chars / tickets.size();
    const std::size_t lengths[k_lengths] = {average, average / 2, average / 4, 2};
    const std::vector<routing::Ticket> sets[k_lengths] = {tickets, cut_to(tickets, lengths[1]),
                                                          cut_to(tickets, lengths[2]), cut_to(tickets, lengths[3])};
    double best[k_lengths] = {};
    for (int r = 0; r < rounds; ++r) {
      for (int k = 0; k < k_lengths; ++k) {
        best[k] =
            std::max(best[k], per_second(seconds / rounds / k_lengths, 1, sets[k], route_one).best_per_cpu_second);
      }
    }
    double mx = 0, my = 0;
    for (int k = 0; k < 3; ++k) mx += static_cast<double>(lengths[k]) / 3, my += 1e6 / best[k] / 3;
    double sxy = 0, sxx = 0;
    for (int k = 0; k < 3; ++k) {
      const double dx = static_cast<double>(lengths[k]) - mx;
      sxy += dx * (1e6 / best[k] - my), sxx += dx * dx;
    }
    const double per_char_us = sxy / sxx;
    std::printf(
        "by length, in turn: %zu characters %.0f, %zu characters %.0f, %zu characters %.0f, %zu characters %.0f "
        "decisions per CPU second (best of %d rounds)\n",
        lengths[0], best[0], lengths[1], best[1], lengths[2], best[2], lengths[3], best[3], rounds);
    std::printf("per decision: %.2f us on %zu characters; %.1f ns more per character from %zu to %zu (the slope)\n",
                1e6 / best[3], lengths[3], per_char_us * 1000, lengths[2], lengths[0]);
  }
  std::printf("baseline: %.0f decisions per CPU second, best of %d rounds (std::string::find per keyword)\n",
              slow.best_per_cpu_second, rounds);
  std::printf("speed-up: %.1fx (best rounds)\n", fast.best_per_cpu_second / slow.best_per_cpu_second);
  std::printf("compiled rule set: %.1f MB resident (RSS growth while loading), %.1f MB counted by memory_bytes()\n",
              static_cast<double>(after - before) / 1024.0, static_cast<double>(rules->memory_bytes()) / 1048576.0);
  std::printf("automaton: %zu states, %.0f KiB; n-gram index: %zu slots, %.0f KiB\n", rules->matcher().state_count(),
              static_cast<double>(rules->matcher().memory_bytes()) / 1024.0, rules->gram_index().slot_count(),
              static_cast<double>(rules->gram_index().memory_bytes()) / 1024.0);
  std::printf("build + check + swap: %.0f ms (reload ok: %s); first load %.0f ms\n", swap_ms, reload.ok ? "yes" : "no",
              first.info.load_ms);
  return sink == 0 ? 1 : 0;
}
