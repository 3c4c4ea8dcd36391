// The storage contract: what callers (the writer, the escalation scheduler, feeds, the queue and search endpoints,
// the nightly report, token checks) rely on from the stores, written against their public interfaces only, so the
// same suite runs over every storage engine. An engine takes part through a StoreFactory (how to open its stores
// at a scratch path, and the few things only the engine itself can do behind a store's back); engines.hpp lists
// the engines the suite runs over. Test-only.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "storage/escalation_store.hpp"
#include "storage/report_store.hpp"
#include "storage/ticket_store.hpp"
#include "storage/token_store.hpp"
#include "tests/storage/store_fixture.hpp"

namespace hotline::storage::contract {

// One storage engine, as the contract suite opens it. Every `path` is a file in a scratch folder of its own: when
// it does not exist yet, a writable open creates a fresh, empty store there; when it does, the same call opens
// what is there again (a reopen after every store on it was closed, for durability checks).
class StoreFactory {
 public:
  virtual ~StoreFactory() = default;

  virtual Result<std::unique_ptr<TicketStore>> open_tickets(const std::string& path,
                                                            const OpenOptions& options) const = 0;
  virtual Result<std::unique_ptr<EscalationStore>> open_escalations(const std::string& path,
                                                                    const OpenOptions& options) const = 0;
  virtual Result<std::unique_ptr<TokenStore>> open_tokens(const std::string& path,
                                                          const OpenOptions& options) const = 0;
  virtual Result<std::unique_ptr<ReportStore>> open_report(const std::string& path) const = 0;

  // --- Behind the stores' back: what only the engine knows how to do. ---
  // Marks the (closed) store at `path` as written by a newer build of this engine.
  virtual void make_newer(const std::string& path) const = 0;
  // Tries to rewrite, then to remove, the logged event `seq` through the store's own session, as a buggy caller
  // or a hand-run statement could. The contract: both are refused.
  virtual Result<void> try_update_event(TicketStore& store, std::int64_t seq) const = 0;
  virtual Result<void> try_delete_event(TicketStore& store, std::int64_t seq) const = 0;
};

// The value of a Result that must have succeeded; the error's message and category otherwise.
template <class T>
T must(Result<T> r) {
  if (!r) FAIL("storage error: " << r.error());
  return std::move(*r);
}
inline void must(Result<void> r) {
  if (!r) FAIL("storage error: " << r.error());
}

// Query builders: a query with some fields given, the rest at their defaults (designated initializers would do,
// but -Wextra wants every field named). Convert to the query type where one is expected.
struct Queue {
  QueueQuery q;
  explicit Queue(std::string unit) { q.unit_id = std::move(unit); }
  Queue& closed() { return q.include_closed = true, *this; }
  Queue& state(std::string s) { return q.state = std::move(s), *this; }
  Queue& due_before(std::int64_t ms) { return q.due_before_ms = ms, *this; }
  Queue& after(std::int64_t due_ms, std::string id) { return q.after = std::pair(due_ms, std::move(id)), *this; }
  Queue& limit(int n) { return q.limit = n, *this; }
  operator QueueQuery() const { return q; }  // NOLINT(google-explicit-constructor)
};
struct Search {
  SearchQuery q;
  Search& text(std::string t) { return q.text = std::move(t), *this; }
  Search& state(std::string s) { return q.state = std::move(s), *this; }
  Search& unit(std::string u) { return q.unit_id = std::move(u), *this; }
  Search& from(std::int64_t ms) { return q.from_ms = ms, *this; }
  Search& to(std::int64_t ms) { return q.to_ms = ms, *this; }
  Search& before(std::string id) { return q.before_id = std::move(id), *this; }
  Search& limit(int n) { return q.limit = n, *this; }
  operator SearchQuery() const { return q; }  // NOLINT(google-explicit-constructor)
};
struct Board {
  EscalationQuery q;
  Board& stage(std::string s) { return q.stage = std::move(s), *this; }
  Board& unit(std::string u) { return q.unit_id = std::move(u), *this; }
  Board& limit(int n) { return q.limit = n, *this; }
  operator EscalationQuery() const { return q; }  // NOLINT(google-explicit-constructor)
};

// A scratch folder with one store file (removed with the folder), the engine that opens it, and its writable
// TicketStore (`store`), opened fresh. `reopen()` closes it and opens the same file again.
template <class Engine>
struct Scratch {
  Engine engine;
  test::TempDb tmp;
  std::unique_ptr<TicketStore> store = must(engine.open_tickets(tmp.path, {}));

  void reopen() {
    store.reset();
    store = must(engine.open_tickets(tmp.path, {}));
  }
  // A request handler's store: read-only, on the existing file.
  std::unique_ptr<TicketStore> reader() const {
    return must(engine.open_tickets(tmp.path, {.create = false, .read_only = true}));
  }
  // Runs `body` between BEGIN IMMEDIATE and COMMIT, as the writer thread wraps its jobs.
  template <class Body>
  void in_transaction(Body body) {
    must(store->exec("BEGIN IMMEDIATE"));
    body();
    must(store->exec("COMMIT"));
  }
};

}  // namespace hotline::storage::contract
