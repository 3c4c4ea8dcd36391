// ConnectionSlots: the server's open connections, at most `max_total` in all (http.max_connections) and
// `max_per_address` from one client address (http.max_connections_per_address). Every accepted connection holds a
// slot until it closes, a refused one too (while it is answered and closed); the accept loop does not accept
// while every slot is taken and is woken when one frees. Thread-safe; a slot may outlive the server.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "daemon/runtime/key_quota.hpp"

namespace hotline::daemon {

class ConnectionSlots {
  struct State {
    std::mutex mutex;
    std::size_t open = 0;
    std::function<void()> wake;  // run once by the next release
  };

 public:
  class Slot {
   public:
    Slot(Slot&&) noexcept = default;
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();
    // False when the client's address held max_per_address connections already: the connection is refused.
    bool within_address_limit() const { return static_cast<bool>(address_); }

   private:
    friend class ConnectionSlots;
    Slot(std::shared_ptr<State> state, KeyQuota::Lease address)
        : state_(std::move(state)), address_(std::move(address)) {}
    std::shared_ptr<State> state_;
    KeyQuota::Lease address_;
  };

  ConnectionSlots(std::size_t max_total, std::size_t max_per_address);

  // The slot of a connection just accepted from `address`.
  Slot take(const std::string& address);
  // When every slot is taken: true, and `wake` runs once, on the thread that frees the next slot. False (and
  // `wake` dropped) when a slot is free.
  bool wake_when_free(std::function<void()> wake);
  // `wake` runs once, on the thread that frees the next slot (replacing any wake-up set before); nullptr: none.
  void wake_on_release(std::function<void()> wake);
  std::size_t open() const;
  std::size_t max_total() const { return max_total_; }

 private:
  const std::size_t max_total_;
  KeyQuota per_address_;
  std::shared_ptr<State> state_;
};

}  // namespace hotline::daemon
