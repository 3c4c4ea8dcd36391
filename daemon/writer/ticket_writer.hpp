// TicketWriter: the single writer thread with group commit. Every job waiting when the writer becomes free runs
// in ONE transaction (up to max_batch jobs), so one WAL sync covers many writes; a job that fails after writing
// makes the writer roll the group back and run it again with each job in its own savepoint, so it undoes only
// itself. Callers are completed only after the commit, so a 2xx still means durable.
// Between groups it adds new tickets to the search index, search_batch at a time: once that many are waiting, or
// whatever is waiting once no job has come for `search_idle`. (Indexing the few dozen tickets of the last group
// in a transaction of their own, with a sync of its own, whenever the queue ran dry held up the next group under
// load, and left FTS5 many small segments to merge.) Thread-safe: async_write may be called from any thread.
#pragma once

#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/system_executor.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "storage/ticket_store.hpp"

namespace hotline::daemon {

// A unit of work on the write connection, run inside the writer's transaction. An error result rolls back what
// the job wrote and is passed to the caller; the job reports anything else through its captures. A job may run
// more than once (its group rolled back in between), so it derives everything from the store and its inputs and
// overwrites, never appends to, what it reports through captures.
using WriteJob = std::function<storage::Result<void>(storage::TicketStore&)>;
using WriteResult = storage::Result<void>;

// Told about the events of every committed transaction (the live feed). Called on the writer thread, so both
// calls must be quick and must not block: wants_events() once per transaction before it begins (false: the
// store records nothing), committed() after a COMMIT with the events in seq order (never for a rolled-back job).
class CommitListener {
 public:
  virtual ~CommitListener() = default;
  virtual bool wants_events() const = 0;
  virtual void committed(std::vector<storage::AppendedEvent> events) = 0;
};

class TicketWriter {
 public:
  // `search_batch`: tickets indexed for search per batch; `search_idle`: how long the queue must stay empty before
  // a smaller batch is indexed (see index_search()).
  TicketWriter(std::unique_ptr<storage::TicketStore> store, std::size_t max_batch, std::int64_t search_batch = 2048,
               std::chrono::milliseconds search_idle = std::chrono::milliseconds(100));
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
          auto executor =
              boost::asio::prefer(boost::asio::get_associated_executor(handler, boost::asio::system_executor()),
                                  boost::asio::execution::outstanding_work.tracked);
          enqueue(std::move(j), Handler(std::move(handler)), boost::asio::any_io_executor(std::move(executor)));
        },
        token, std::move(job));
  }

  // Runs a job and waits for its commit, from a thread that is not an I/O thread (tools, start-up).
  WriteResult run_blocking(WriteJob job);

  // Commits everything already queued, then joins the thread. Idempotent.
  void stop();

  // Installs (or with nullptr removes) the listener; it must outlive the writer or be removed first.
  void set_listener(CommitListener* listener) { listener_.store(listener); }

  std::uint64_t commits() const { return commits_.load(); }
  std::uint64_t jobs() const { return jobs_.load(); }
  // Whether the last transaction that wrote something (or failed) committed: false from a failed commit (disk
  // full, I/O error) until a later write commits; a busy database (another process's lock) does not count.
  // /readyz reports it.
  bool last_write_ok() const { return last_write_ok_.load(); }

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
  // Runs one job on the writer's store; an exception becomes the job's error.
  WriteResult run_job(const WriteJob& work);
  // Runs the batch in one transaction, each job's result into `results`. nullopt: a job failed after writing and
  // the group was rolled back (only when !isolate; run it again isolated). Otherwise the transaction's outcome.
  std::optional<WriteResult> commit_group(std::vector<Job>& batch, std::vector<WriteResult>& results, bool isolate);
  // One batch of search indexing if a full one is waiting, or whatever waits when idle. Returns whether more is due.
  bool index_search(bool idle);
  static void complete(Job& job, WriteResult result);

  std::unique_ptr<storage::TicketStore> store_;
  const std::size_t max_batch_;
  const std::int64_t search_batch_;
  const std::chrono::milliseconds search_idle_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> jobs_{0};
  std::atomic<bool> last_write_ok_{true};
  std::atomic<CommitListener*> listener_{nullptr};
  std::thread thread_;
};

}  // namespace hotline::daemon
