#include "daemon/writer/ticket_writer.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <future>
#include <optional>
#include <vector>

namespace hotline::daemon {

TicketWriter::TicketWriter(std::unique_ptr<storage::TicketStore> store, std::size_t max_batch,
                           std::int64_t search_batch, std::chrono::milliseconds search_idle)
    : store_(std::move(store)),
      max_batch_(max_batch == 0 ? 1 : max_batch),
      search_batch_(search_batch < 1 ? 1 : search_batch),
      search_idle_(search_idle),
      thread_([this] { run(); }) {}

TicketWriter::~TicketWriter() {
  stop();
}

void TicketWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void TicketWriter::complete(Job& job, WriteResult result) {
  // What the job captured is released before its caller resumes, so the caller is the last to hold it (and
  // frees it on its own thread) rather than the writer freeing it later, concurrently with the caller.
  job.work = nullptr;
  if (job.on_done) {
    job.on_done(std::move(result));
    return;
  }
  auto executor = std::move(job.executor);
  boost::asio::post(executor,
                    [h = std::move(job.handler), r = std::move(result)]() mutable { std::move(h)(std::move(r)); });
}

void TicketWriter::push(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(job));
      wake_.notify_one();
      return;
    }
  }
  complete(job, storage::Error{storage::ErrorCategory::unavailable, "the daemon is shutting down"});
}

void TicketWriter::enqueue(WriteJob work, Handler handler, boost::asio::any_io_executor executor) {
  push(Job{std::move(work), std::move(handler), std::move(executor), {}});
}

WriteResult TicketWriter::run_blocking(WriteJob work) {
  std::promise<WriteResult> done;
  auto future = done.get_future();
  push(Job{std::move(work), {}, {}, [&done](WriteResult r) { done.set_value(std::move(r)); }});
  return future.get();
}

WriteResult TicketWriter::run_job(const WriteJob& work) {
  // A job that throws fails alone, like one that returns an error: the group runs again with it isolated and
  // rolled back to its savepoint, and the writer thread goes on.
  try {
    return work(*store_);
  } catch (const std::exception& e) {
    return storage::Error{storage::ErrorCategory::internal, std::string("the write job failed: ") + e.what()};
  } catch (...) {
    return storage::Error{storage::ErrorCategory::internal, "the write job failed"};
  }
}

std::optional<WriteResult> TicketWriter::commit_group(std::vector<Job>& batch, std::vector<WriteResult>& results,
                                                      bool isolate) {
  // The events the store records for the listener follow the transaction: whatever is rolled back is dropped.
  auto& appended = store_->appended();
  appended.clear();
  if (auto begun = store_->exec("BEGIN IMMEDIATE"); !begun) return WriteResult(begun);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto mark = static_cast<std::ptrdiff_t>(appended.size());
    if (!isolate) {
      // The fast path runs jobs back to back. A savepoint per job would copy every page a job touches into the
      // sub-journal (half the writer's time in measurements), and failures that wrote nothing need no undo.
      const auto before = store_->total_changes();
      results[i] = run_job(batch[i].work);
      if (!results[i] && store_->total_changes() != before) {
        // A job failed after writing: undo the whole group and run it again with each job isolated.
        (void)store_->exec("ROLLBACK");
        appended.clear();
        return std::nullopt;
      }
      continue;
    }
    if (auto r = store_->exec("SAVEPOINT job"); !r) {
      results[i] = r.error();
      continue;
    }
    results[i] = run_job(batch[i].work);
    if (!results[i]) {
      (void)store_->exec("ROLLBACK TO job");
      appended.erase(appended.begin() + mark, appended.end());  // a failed job publishes nothing
    }
    (void)store_->exec("RELEASE job");
  }
  if (auto committed = store_->exec("COMMIT"); !committed) {
    (void)store_->exec("ROLLBACK");
    appended.clear();
    return WriteResult(committed);
  }
  return WriteResult{};
}

void TicketWriter::run() {
  // Named so `top -H` and the intake benchmark can tell the writer's CPU time from the I/O threads'.
  pthread_setname_np(pthread_self(), "hotline-writer");
  std::vector<Job> batch;
  std::vector<WriteResult> results;
  bool search_due = true;  // tickets may be waiting for the search index (from an earlier run, too)
  while (true) {
    {
      std::unique_lock lock(mutex_);
      const auto ready = [&] { return stopping_ || !queue_.empty(); };
      if (!search_due) {
        wake_.wait(lock, ready);
      } else if (!wake_.wait_for(lock, search_idle_, ready)) {
        lock.unlock();  // idle for a while: index what is waiting
        search_due = index_search(/*idle=*/true);
        continue;
      }
      if (queue_.empty()) return;  // stopping, and everything queued has been committed
      // Take everything that arrived while the previous commit was syncing: that is the group.
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    results.assign(batch.size(), WriteResult{});
    // Asked before BEGIN: a feed that subscribes meanwhile waits for a later transaction (its barrier job).
    CommitListener* listener = listener_.load();
    const bool publish = listener != nullptr && listener->wants_events();
    store_->record_appended(publish);
    const auto changes_before = store_->total_changes();
    auto outcome = commit_group(batch, results, /*isolate=*/false);
    if (!outcome) outcome = commit_group(batch, results, /*isolate=*/true);
    const WriteResult& committed = *outcome;
    // A failure that may have lost a write (full disk, I/O error) keeps /readyz failing until a write commits.
    // A busy database (another process holds the write lock) lost nothing: /readyz's own probe reports it while it
    // lasts, and it must not leave the daemon unready after the lock is let go.
    if (committed ? store_->total_changes() != changes_before
                  : committed.error().category != storage::ErrorCategory::busy) {
      last_write_ok_ = static_cast<bool>(committed);
    }
    if (committed) {
      commits_.fetch_add(1);
      jobs_.fetch_add(batch.size());
      auto& appended = store_->appended();
      if (publish && !appended.empty()) listener->committed(std::move(appended));
      appended.clear();
    } else {
      spdlog::error("commit of {} job(s) failed: {}", batch.size(), committed.error().message);
      for (auto& r : results) r = committed.error();
    }
    for (std::size_t i = 0; i < batch.size(); ++i) complete(batch[i], std::move(results[i]));
    batch.clear();
    search_due = index_search(/*idle=*/false);
  }
}

bool TicketWriter::index_search(bool idle) {
  auto backlog = store_->search_backlog();
  if (!backlog) {
    spdlog::warn("search index: {}", backlog.error().message);
    return false;
  }
  if (*backlog == 0) return false;
  // Under load, wait until a full batch has gathered: FTS5 pays per batch, so large ones are cheap per ticket.
  if (!idle && *backlog < search_batch_) return true;
  auto added = store_->index_search(search_batch_);
  if (!added) {
    spdlog::warn("search index: {}", added.error().message);
    return false;  // tried again after the next group
  }
  return *added == search_batch_;
}

}  // namespace hotline::daemon
