// TicketWriter: the single writer thread with group commit. Every job waiting when the writer becomes free runs
// in ONE transaction (up to max_batch jobs), each inside its own savepoint, so one WAL sync covers many writes and
// a failing job undoes only itself. Callers are completed only after the commit, so a 2xx still means durable.
// Thread-safe: async_write may be called from any thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/system_executor.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "storage/ticket_store.hpp"

namespace hotline::daemon {

// A unit of work on the write connection, run inside the writer's transaction. An error result rolls back what
// the job wrote (its savepoint) and is passed to the caller; the job reports anything else through its captures.
using WriteJob = std::function<storage::Result<void>(storage::TicketStore&)>;
using WriteResult = storage::Result<void>;

class TicketWriter {
 public:
  TicketWriter(std::unique_ptr<storage::TicketStore> store, std::size_t max_batch);
  ~TicketWriter();  // stop()
  TicketWriter(const TicketWriter&) = delete;
  TicketWriter& operator=(const TicketWriter&) = delete;

  // Queues `job`; completes once the transaction holding it is committed (or failed), on the handler's executor.
  // After stop() it completes at once with an error.
  template <class Token>
  auto async_write(WriteJob job, Token&& token) {
    return boost::asio::async_initiate<Token, void(WriteResult)>(
        [this](auto handler, WriteJob j) {
          // The handler's own executor (a connection's strand), marked as outstanding work so the io_context
          // keeps running until the commit completes the handler.
          auto executor = boost::asio::prefer(
              boost::asio::get_associated_executor(handler, boost::asio::system_executor()),
              boost::asio::execution::outstanding_work.tracked);
          enqueue(std::move(j), Handler(std::move(handler)), boost::asio::any_io_executor(std::move(executor)));
        },
        token, std::move(job));
  }

  // Runs a job and waits for its commit, from a thread that is not an I/O thread (tools, start-up).
  WriteResult run_blocking(WriteJob job);

  // Commits everything already queued, then joins the thread. Idempotent.
  void stop();

  std::uint64_t commits() const { return commits_.load(); }
  std::uint64_t jobs() const { return jobs_.load(); }

 private:
  using Handler = boost::asio::any_completion_handler<void(WriteResult)>;
  struct Job {
    WriteJob work;
    Handler handler;  // empty for run_blocking
    boost::asio::any_io_executor executor;
    std::function<void(WriteResult)> on_done;  // for run_blocking
  };

  void enqueue(WriteJob work, Handler handler, boost::asio::any_io_executor executor);
  void push(Job job);
  void run();
  static void complete(Job& job, WriteResult result);

  std::unique_ptr<storage::TicketStore> store_;
  const std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> jobs_{0};
  std::thread thread_;
};

}  // namespace hotline::daemon
