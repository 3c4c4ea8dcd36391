// WAL checkpoints off the writer thread. SQLite's auto-checkpoint runs inside the commit that crosses the
// threshold, on the committing thread: a tenth of the writer's time under intake load. Here the writer's
// connection only reports the WAL's size after each commit, and the WAL goes through cycles:
// - When it reaches `passive_pages`, this object's own thread runs ONE passive checkpoint on a connection of its
//   own while the writer goes on committing. One run for the whole stretch matters: a group commit rewrites the
//   last, partly filled page of every table and index it touches, so the WAL holds each such page many times
//   over, and a single run copies only its newest version. (Running after every commit, as before, copied
//   nearly every frame: 8.3 KB per ticket at intake load, against 2.2 KB with one run per cycle.)
// - When it reaches `restart_pages`, the hook has the writer's connection run a RESTART checkpoint itself (see
//   Connection::hand_off_checkpoints). It copies only what came after the passive run, a pause of the writer
//   of a few milliseconds, and the WAL starts over; passive runs alone never catch up with the last commit
//   under steady load, and the WAL would grow all day.
// If a restart cannot happen (a reader still uses the WAL, or the passive run is still going), the writer tries
// again after its next commit.
// Thread-safety: hook() is called by the writer thread; everything else from the owner's thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "storage/statement.hpp"

namespace hotline::daemon {

class WalCheckpointer {
 public:
  // Opens its own connection to the (existing) database at `path`. Throws std::runtime_error when it cannot.
  explicit WalCheckpointer(const std::string& path, int passive_pages = 7000, int restart_pages = 8000);
  ~WalCheckpointer();  // stops and joins the thread
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // For TicketStore::hand_off_checkpoints on the writer's connection; lives as long as this object.
  storage::Connection::CommitHook* hook() { return &hook_; }

  // Passive checkpoints asked of this object's thread so far (at most one per WAL cycle).
  std::uint64_t passive_requests() const { return requests_.load(std::memory_order_relaxed); }

 private:
  void run();

  storage::Connection db_;
  const int passive_, restart_;
  storage::Connection::CommitHook hook_;
  int last_pages_ = 0;         // writer thread only: the WAL's size after the previous commit
  bool passive_done_ = false;  // writer thread only: this cycle's passive run was asked for
  std::atomic<std::uint64_t> requests_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hotline::daemon
