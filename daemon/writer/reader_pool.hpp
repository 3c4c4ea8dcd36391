// A small pool of read-only store connections (TicketStore, TokenStore, ...) for request handlers. Thread-safe.
// SQLite connections must not be used by two threads at once, so each lease is exclusive.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/error.hpp"

namespace hotline::daemon {

template <class Store>
class StorePool {
 public:
  explicit StorePool(std::string path) : path_(std::move(path)) {}

  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<Store> store) : pool_(&pool), store_(std::move(store)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (store_) pool_->give_back(std::move(store_));
    }
    Store& operator*() const { return *store_; }
    Store* operator->() const { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
  };

  // An idle connection, or a new one. Errors: the database cannot be opened.
  storage::Result<Lease> acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto store = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(store));
      }
    }
    auto store = Store::open(path_, {.create = false, .read_only = true});
    if (!store) return store.error();
    return Lease(*this, std::move(*store));
  }

 private:
  void give_back(std::unique_ptr<Store> store) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(store));
  }

  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Store>> idle_;
};

}  // namespace hotline::daemon
