// Queue benchmark (run by hand; never by CTest):
//   build/release/tests/queue_bench [TICKETS] [DB_PATH]
// (a DB_PATH given is kept afterwards, for tests/bench/web_bench.mjs; the default temporary file is removed)
// Seeds a database with TICKETS tickets (default 100,000), all in one unit's queue (a quarter closed), then times the
// unit queue queries the liaison terminals make: first page, a deep page by cursor, overdue only, a state filter, a
// full-text search, and a county government's search over the units below it.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/ticket_store.hpp"

using namespace hotline::storage;
using Clock = std::chrono::steady_clock;

namespace {

template <class F>
double best_ms(int runs, F&& f) {
  double best = 1e9;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const int tickets = argc > 1 ? std::stoi(argv[1]) : 100000;
  const std::string path =
      argc > 2 ? argv[2] : (std::filesystem::temp_directory_path() / "hotline-queue-bench.db").string();
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  auto store = TicketStore::open(path).value();
  const std::int64_t base_ms = 1'790'000'000'000;
  const auto seed_start = Clock::now();
  (void)store->exec("BEGIN");
  for (int i = 0; i < tickets; ++i) {
    NewTicket t;
    t.id = "ZZ20260101" + std::to_string(1000000 + i).substr(1);
    t.received_at = "2026-01-01T09:00:00.000+08:00";
    t.received_ms = base_ms + i * 1000LL;
    t.type = "complaint";
    t.urgency = "normal";
    t.content = "第" + std::to_string(i) + "号工单：小区门口路灯不亮，晚上出行很不方便，请尽快维修。";
    t.state = i % 4 == 0 ? "closed" : "in_progress";
    const std::string unit = "350602.cgj";
    t.unit_id = unit;
    t.unit_name = unit;
    t.rule_id = "r";
    t.rules_version = "v";
    t.decision = "{}";
    if (auto r = store->insert_ticket(t); !r) return std::fprintf(stderr, "%s\n", r.error().message.c_str()), 1;
    Projection p;
    p.state = t.state;
    p.updated_ms = t.received_ms;
    const std::int64_t due = t.received_ms + 5LL * 86400000 + (i % 97) * 3600000LL;
    p.assignments.push_back({0, unit, std::nullopt, true, "in_progress", t.state != "closed", t.received_ms, due});
    if (t.state != "closed") p.deadlines.push_back({unit, "reply", due, false, due});
    if (auto r = store->write_projection(t.id, p); !r)
      return std::fprintf(stderr, "%s\n", r.error().message.c_str()), 1;
  }
  (void)store->exec("COMMIT");
  const double seed_s = std::chrono::duration<double>(Clock::now() - seed_start).count();

  auto reader = TicketStore::open(path, {.create = false, .read_only = true}).value();
  QueueQuery first{"350602.cgj", false, std::nullopt, std::nullopt, std::nullopt, 50};
  std::size_t rows = 0;
  const double first_ms = best_ms(20, [&] { rows = reader->queue(first).value().size(); });
  // A deep page: the cursor of row 40,000 of the open queue.
  auto deep = first;
  deep.limit = 500;
  std::pair<std::int64_t, std::string> cursor{0, ""};
  for (int page = 0; page < 80; ++page) {
    deep.after = cursor;
    const auto r = reader->queue(deep).value();
    if (r.empty()) break;
    cursor = {r.back().reply_due_ms, r.back().ticket_id};
  }
  auto deep_page = first;
  deep_page.after = cursor;
  const double deep_ms = best_ms(20, [&] { (void)reader->queue(deep_page).value(); });
  auto overdue = first;
  overdue.due_before_ms = base_ms + 5LL * 86400000 + 3600000LL * 10;
  const double overdue_ms = best_ms(20, [&] { (void)reader->queue(overdue).value(); });
  auto closed = first;
  closed.state = "closed";
  closed.include_closed = true;
  const double closed_ms = best_ms(5, [&] { (void)reader->queue(closed).value(); });
  SearchQuery search;
  search.text = "第4242号";
  std::size_t hits = 0;
  const double search_ms = best_ms(5, [&] { hits = reader->search(search).value().size(); });
  // A county government's search (its own tickets and those of the 40 units below it, one of them 350602.cgj):
  // the newest page, and the same text.
  SearchQuery subtree;
  subtree.unit_ids = {"350602.gov", "350602.cgj"};
  for (int k = 0; k < 39; ++k) subtree.unit_ids.push_back("350602" + std::to_string(100 + k) + ".gov");
  SearchQuery own;  // the liaison of 350602.cgj itself, for comparison
  own.unit_id = "350602.cgj";
  const double own_page_ms = best_ms(20, [&] { (void)reader->search(own).value(); });
  std::size_t subtree_rows = 0, subtree_hits = 0;
  const double subtree_page_ms = best_ms(20, [&] { subtree_rows = reader->search(subtree).value().size(); });
  subtree.text = search.text;
  const double subtree_search_ms = best_ms(5, [&] { subtree_hits = reader->search(subtree).value().size(); });

  std::printf("seeded %d tickets, all in 350602.cgj's queue, a quarter closed, in %.1f s\n", tickets, seed_s);
  std::printf("queue first page (50 rows, got %zu): %.2f ms\n", rows, first_ms);
  std::printf("queue page after 40,000 rows by cursor: %.2f ms\n", deep_ms);
  std::printf("queue overdue only: %.2f ms\n", overdue_ms);
  std::printf("queue state=closed: %.2f ms\n", closed_ms);
  std::printf("full-text search '第4242号' (%zu hit(s)): %.2f ms\n", hits, search_ms);
  std::printf("a unit's search, newest page: its own tickets %.2f ms\n", own_page_ms);
  std::printf(
      "a county government's search, units below it included: newest page (%zu rows) %.2f ms, "
      "'第4242号' (%zu hit(s)) %.2f ms\n",
      subtree_rows, subtree_page_ms, subtree_hits, subtree_search_ms);
  if (argc <= 2) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
  }
  return 0;
}
