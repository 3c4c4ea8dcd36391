#include "daemon/writer/wal_checkpointer.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace hotline::daemon {
namespace {

storage::Connection open_or_throw(const std::string& path) {
  auto db = storage::Connection::open(path, /*create=*/false, /*read_only=*/false);
  if (!db) throw std::runtime_error("WAL checkpointer: " + db.error().message);
  return std::move(*db);
}

}  // namespace

WalCheckpointer::WalCheckpointer(const std::string& path, int passive_pages, int restart_pages)
    : db_(open_or_throw(path)), passive_(passive_pages), restart_(restart_pages) {
  hook_ = [this](int pages) {
    if (pages < last_pages_) passive_done_ = false;  // the WAL started over: a new cycle
    last_pages_ = pages;
    // Past the restart size the writer's connection checkpoints itself. No passive run is started then: a
    // checkpoint in progress on our connection makes the restart fail at once (it is tried again next commit).
    if (pages >= restart_) return true;
    if (pages < passive_ || passive_done_) return false;
    passive_done_ = true;
    requests_.fetch_add(1, std::memory_order_relaxed);
    {
      std::lock_guard lock(mutex_);
      due_ = true;
    }
    wake_.notify_one();
    return false;
  };
  thread_ = std::thread([this] { run(); });
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void WalCheckpointer::run() {
  pthread_setname_np(pthread_self(), "hotline-ckpt");
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || due_; });
      if (stopping_) return;  // the last connection to close checkpoints the rest
      due_ = false;
    }
    if (auto r = db_.checkpoint(); !r) spdlog::warn("WAL checkpoint: {}", r.error().message);
  }
}

}  // namespace hotline::daemon
