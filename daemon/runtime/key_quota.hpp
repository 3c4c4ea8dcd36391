// KeyQuota: at most `per_key` slots held at once under each key (a client address, a token). take() hands a slot
// out as a lease that gives it back when destroyed. Thread-safe; a lease may outlive the quota it came from.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace hotline::daemon {

class KeyQuota {
  struct State {
    std::mutex mutex;
    std::unordered_map<std::string, std::size_t> held;  // keys holding no slot are erased
  };

 public:
  // One slot under one key; an empty (default) lease holds nothing.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { release(); }
    explicit operator bool() const { return state_ != nullptr; }

   private:
    friend class KeyQuota;
    Lease(std::shared_ptr<State> state, std::string key) : state_(std::move(state)), key_(std::move(key)) {}
    void release();
    std::shared_ptr<State> state_;
    std::string key_;
  };

  explicit KeyQuota(std::size_t per_key) : per_key_(per_key), state_(std::make_shared<State>()) {}

  // A slot under `key`; nullopt when `key` already holds per_key of them.
  std::optional<Lease> take(const std::string& key);
  std::size_t held(const std::string& key) const;
  std::size_t per_key() const { return per_key_; }

 private:
  const std::size_t per_key_;
  std::shared_ptr<State> state_;
};

}  // namespace hotline::daemon
