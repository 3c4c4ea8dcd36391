#include "daemon/reader_pool.hpp"

namespace hotline::daemon {

storage::Result<ReaderPool::Lease> ReaderPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(store));
    }
  }
  auto store = storage::TicketStore::open(path_, {.create = false, .read_only = true});
  if (!store) return store.error();
  return Lease(*this, std::move(*store));
}

void ReaderPool::give_back(std::unique_ptr<storage::TicketStore> store) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(store));
}

}  // namespace hotline::daemon
