// A small pool of read-only TicketStore connections for request handlers. Thread-safe.
// SQLite connections must not be shared between threads at once, so each lease is exclusive.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/ticket_store.hpp"

namespace hotline::daemon {

class ReaderPool {
 public:
  explicit ReaderPool(std::string path) : path_(std::move(path)) {}

  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<storage::TicketStore> store) : pool_(&pool), store_(std::move(store)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (store_) pool_->give_back(std::move(store_));
    }
    storage::TicketStore& operator*() const { return *store_; }
    storage::TicketStore* operator->() const { return store_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<storage::TicketStore> store_;
  };

  // An idle connection, or a new one. Errors: the database cannot be opened.
  storage::Result<Lease> acquire();

 private:
  void give_back(std::unique_ptr<storage::TicketStore> store);

  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<storage::TicketStore>> idle_;
};

}  // namespace hotline::daemon
