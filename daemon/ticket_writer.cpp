#include "daemon/ticket_writer.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

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

void TicketWriter::complete(Job& job, InsertResult result) {
  auto executor = std::move(job.executor);
  boost::asio::post(executor, [h = std::move(job.handler), r = std::move(result)]() mutable {
    std::move(h)(std::move(r));
  });
}

void TicketWriter::enqueue(storage::NewTicket ticket, Handler handler, boost::asio::any_io_executor executor) {
  Job job{std::move(ticket), std::move(handler), std::move(executor)};
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

void TicketWriter::run() {
  std::vector<Job> batch;
  std::vector<storage::NewTicket> tickets;
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
    tickets.clear();
    for (auto& job : batch) tickets.push_back(std::move(job.ticket));
    auto result = store_->insert_tickets(tickets);
    if (result) {
      commits_.fetch_add(1);
      tickets_.fetch_add(tickets.size());
    } else {
      spdlog::error("commit of {} ticket(s) failed: {}", tickets.size(), result.error().message);
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      complete(batch[i], result ? InsertResult(tickets[i].id) : InsertResult(result.error()));
    }
    batch.clear();
  }
}

}  // namespace hotline::daemon
