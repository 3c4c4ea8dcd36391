#include "daemon/ticket_writer.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <future>
#include <vector>

namespace hotline::daemon {

TicketWriter::TicketWriter(std::unique_ptr<storage::TicketStore> store, std::size_t max_batch)
    : store_(std::move(store)), max_batch_(max_batch == 0 ? 1 : max_batch), thread_([this] { run(); }) {}

TicketWriter::~TicketWriter() { stop(); }

void TicketWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void TicketWriter::complete(Job& job, WriteResult result) {
  if (job.on_done) {
    job.on_done(std::move(result));
    return;
  }
  auto executor = std::move(job.executor);
  boost::asio::post(executor, [h = std::move(job.handler), r = std::move(result)]() mutable {
    std::move(h)(std::move(r));
  });
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
  complete(job, storage::Error{0, "the daemon is shutting down"});
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

void TicketWriter::run() {
  std::vector<Job> batch;
  std::vector<WriteResult> results;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued has been committed
      // Take everything that arrived while the previous commit was syncing: that is the group.
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    results.assign(batch.size(), WriteResult{});
    auto begun = store_->exec("BEGIN IMMEDIATE");
    if (begun) {
      for (std::size_t i = 0; i < batch.size(); ++i) {
        // Each job in its own savepoint: a failing job undoes only what it wrote.
        if (auto r = store_->exec("SAVEPOINT job"); !r) {
          results[i] = r.error();
          continue;
        }
        results[i] = batch[i].work(*store_);
        if (!results[i]) (void)store_->exec("ROLLBACK TO job");
        (void)store_->exec("RELEASE job");
      }
      if (auto committed = store_->exec("COMMIT"); !committed) {
        (void)store_->exec("ROLLBACK");
        begun = committed;
      }
    }
    if (begun) {
      commits_.fetch_add(1);
      jobs_.fetch_add(batch.size());
    } else {
      spdlog::error("commit of {} job(s) failed: {}", batch.size(), begun.error().message);
      for (auto& r : results) r = begun.error();
    }
    for (std::size_t i = 0; i < batch.size(); ++i) complete(batch[i], std::move(results[i]));
    batch.clear();
  }
}

}  // namespace hotline::daemon
