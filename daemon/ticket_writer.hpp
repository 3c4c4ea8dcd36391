// TicketWriter: the single writer thread with group commit. Every ticket waiting when the writer becomes free
// goes into one transaction (up to max_batch), so one WAL sync covers many tickets; each caller is completed
// only after that commit, so a 201 still means durable. Thread-safe: async_insert may be called from any thread.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/system_executor.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/ticket_store.hpp"

namespace hotline::daemon {

using InsertResult = storage::Result<std::string>;  // the ticket number, or why nothing was written

class TicketWriter {
 public:
  TicketWriter(std::unique_ptr<storage::TicketStore> store, std::size_t max_batch);
  ~TicketWriter();  // stop()
  TicketWriter(const TicketWriter&) = delete;
  TicketWriter& operator=(const TicketWriter&) = delete;

  // Queues `ticket`; completes with its number once committed (or the error) on the handler's executor.
  // After stop() it completes at once with an error.
  template <class Token>
  auto async_insert(storage::NewTicket ticket, Token&& token) {
    return boost::asio::async_initiate<Token, void(InsertResult)>(
        [this](auto handler, storage::NewTicket t) {
          // The handler's own executor (a connection's strand), marked as outstanding work so the io_context
          // keeps running until the commit completes the handler.
          auto executor = boost::asio::prefer(
              boost::asio::get_associated_executor(handler, boost::asio::system_executor()),
              boost::asio::execution::outstanding_work.tracked);
          enqueue(std::move(t), Handler(std::move(handler)), boost::asio::any_io_executor(std::move(executor)));
        },
        token, std::move(ticket));
  }

  // Commits everything already queued, then joins the thread. Idempotent.
  void stop();

  std::uint64_t commits() const { return commits_.load(); }
  std::uint64_t tickets() const { return tickets_.load(); }

 private:
  using Handler = boost::asio::any_completion_handler<void(InsertResult)>;
  struct Job {
    storage::NewTicket ticket;
    Handler handler;
    boost::asio::any_io_executor executor;
  };

  void enqueue(storage::NewTicket ticket, Handler handler, boost::asio::any_io_executor executor);
  void run();
  static void complete(Job& job, InsertResult result);

  std::unique_ptr<storage::TicketStore> store_;
  const std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> tickets_{0};
  std::thread thread_;
};

}  // namespace hotline::daemon
