// WAL checkpoints off the writer thread. SQLite's auto-checkpoint runs inside the commit that crosses the
// threshold, on the committing thread: a tenth of the writer's time under intake load. Here the writer's
// connection only reports the WAL's size after each commit; past `threshold_pages`, this object's own thread runs
// a PASSIVE checkpoint on a connection of its own while the writer goes on committing. Past `restart_pages` the
// hook has the writer's connection run a RESTART checkpoint itself (see Connection::hand_off_checkpoints): the
// passive ones never catch up with the last commit under steady load, and the WAL would grow all day; this way
// it starts over at about restart_pages, for a pause of the writer of a few milliseconds.
// Thread-safety: hook() is called by the writer thread; everything else from the owner's thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "storage/statement.hpp"

namespace hotline::daemon {

class WalCheckpointer {
 public:
  // Opens its own connection to the (existing) database at `path`. Throws std::runtime_error when it cannot.
  explicit WalCheckpointer(const std::string& path, int threshold_pages = 1000, int restart_pages = 8000);
  ~WalCheckpointer();  // stops and joins the thread
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // For TicketStore::hand_off_checkpoints on the writer's connection; lives as long as this object.
  storage::Connection::CommitHook* hook() { return &hook_; }

 private:
  void run();

  storage::Connection db_;
  const int threshold_, restart_;
  storage::Connection::CommitHook hook_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hotline::daemon
