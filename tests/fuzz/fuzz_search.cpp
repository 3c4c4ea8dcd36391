// GET /v1/tickets as far as the database: parse_search_query() on a query string, then TicketStore::search() over
// a temporary store of a few tickets, half of them in the trigram index and half beyond it (both paths of the
// query builder). Any q, state, unit, from, to, cursor and limit.
//
// Invariants: no exception escapes; a query that passes the documented validation (a 400 otherwise) always
// runs — never a SQLite error — and returns at most `limit` rows, newest id first, each older than the cursor and
// in the state asked for.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "daemon/api/query_params.hpp"
#include "daemon/runtime/local_time.hpp"
#include "storage/ticket_store.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace hotline;

std::string g_dir;
std::unique_ptr<storage::TicketStore> g_store;

storage::NewTicket ticket(std::string content, std::string unit, std::string unit_name, std::int64_t received_ms,
                          std::string address) {
  storage::NewTicket t;
  t.prefix = "ZZ";
  t.day = "20261126";
  t.received_at = daemon::local_stamp_ms(received_ms).rfc3339;
  t.received_ms = received_ms;
  t.type = "complaint";
  t.urgency = "normal";
  t.channel = "phone";
  t.content = std::move(content);
  if (!address.empty()) t.address = std::move(address);
  t.state = "awaiting_sign_for";
  t.unit_id = unit;
  t.unit_name = std::move(unit_name);
  t.rule_id = "streetlight";
  t.rules_version = "0123456789abcdef";
  t.decision = "{}";
  t.events = {{"", 0, "received", "operator", "operator", "", "{}"},
              {"", 0, "dispatched", "router", "system", unit, "{}"}};
  return t;
}

void remove_store() {
  g_store.reset();
  if (!g_dir.empty()) std::filesystem::remove_all(g_dir);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const auto e = daemon::select_time_zone("Asia/Shanghai"); !e.empty()) {
    std::fprintf(stderr, "%s\n", e.c_str());
    std::abort();
  }
  std::string pattern = std::filesystem::temp_directory_path().string() + "/hotline-fuzz-search-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  g_dir = pattern;
  std::atexit(remove_store);
  g_store = storage::TicketStore::open(g_dir + "/t.db").value();
  std::vector<storage::NewTicket> batch{
      ticket("小区门口路灯不亮已经一周", "350602.cgj", "芗城区城市管理局", 1'795'000'000'000, "芗城区胜利路 12 号"),
      ticket("工地夜间施工噪音扰民", "350602.cgj", "芗城区城市管理局", 1'795'000'100'000, ""),
      ticket("拖欠工资三个月 \"老板\" 不露面 100%", "3506.rsj", "漳州市人力资源和社会保障局", 1'795'000'200'000,
             "漳浦县 'x' 工业园"),
      ticket("water main burst on Shengli Road", "350623.cgj", "漳浦县城市管理局", 1'795'000'300'000, ""),
  };
  if (!g_store->insert_tickets(batch)) std::abort();
  if (g_store->index_search(2).value() != 2) std::abort();  // two indexed, two beyond the index
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string target = "/v1/tickets?" + std::string(fuzz::text(data, size));
  const auto parsed = daemon::parse_search_query(target);
  if (const auto* p = std::get_if<daemon::Problem>(&parsed)) {
    FUZZ_CHECK(p->status == 400, p->detail);
    return 0;
  }
  const auto& q = std::get<storage::SearchQuery>(parsed);
  const auto rows = g_store->search(q);
  FUZZ_CHECK(rows.has_value(), rows.has_error() ? rows.error().message : "");
  FUZZ_CHECK(rows->size() <= static_cast<std::size_t>(q.limit), "at most limit rows");
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const auto& r = (*rows)[i];
    if (i > 0) FUZZ_CHECK((*rows)[i - 1].ticket_id > r.ticket_id, "newest first");
    if (q.before_id) FUZZ_CHECK(r.ticket_id < *q.before_id, "older than the cursor");
    if (q.state) FUZZ_CHECK(r.state == *q.state, "the state asked for");
  }
  return 0;
}
