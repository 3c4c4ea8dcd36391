#include "daemon/access/sessions.hpp"

#include "daemon/access/token_auth.hpp"

namespace hotline::daemon {

Sessions::Opened Sessions::open(std::string login, std::string role, std::string unit_id, std::int64_t now_ms) {
  Opened o{random_hex(32), {std::move(login), std::move(role), std::move(unit_id), random_hex(32), now_ms, now_ms}};
  const std::string key = sha256_hex(o.cookie);
  const std::lock_guard lock(mutex_);
  failures_.erase(o.session.login);
  // Sessions that expired without coming back are dropped as new ones open, so the table stays as large as the
  // sessions in use.
  for (auto it = by_hash_.begin(); it != by_hash_.end();) {
    const auto& s = it->second;
    const bool over = now_ms - s.last_seen_ms >= limits_.idle_ms || now_ms - s.created_ms >= limits_.absolute_ms;
    it = over ? by_hash_.erase(it) : std::next(it);
  }
  by_hash_.emplace(key, o.session);
  return o;
}

std::optional<Session> Sessions::find(std::string_view cookie, std::int64_t now_ms) {
  return look_up(cookie, now_ms, true);
}

std::optional<Session> Sessions::peek(std::string_view cookie, std::int64_t now_ms) {
  return look_up(cookie, now_ms, false);
}

std::optional<Session> Sessions::look_up(std::string_view cookie, std::int64_t now_ms, bool touch) {
  if (cookie.size() != 64) return std::nullopt;
  const std::string key = sha256_hex(cookie);
  const std::lock_guard lock(mutex_);
  const auto it = by_hash_.find(key);
  if (it == by_hash_.end()) return std::nullopt;
  Session& s = it->second;
  if (now_ms - s.last_seen_ms >= limits_.idle_ms || now_ms - s.created_ms >= limits_.absolute_ms) {
    by_hash_.erase(it);
    return std::nullopt;
  }
  if (touch) s.last_seen_ms = std::max(s.last_seen_ms, now_ms);
  return s;
}

bool Sessions::close(std::string_view cookie) {
  const std::string key = sha256_hex(cookie);
  const std::lock_guard lock(mutex_);
  return by_hash_.erase(key) > 0;
}

void Sessions::close_all(const std::string& login) {
  const std::lock_guard lock(mutex_);
  std::erase_if(by_hash_, [&](const auto& kv) { return kv.second.login == login; });
}

std::size_t Sessions::size() const {
  const std::lock_guard lock(mutex_);
  return by_hash_.size();
}

std::optional<std::int64_t> Sessions::locked_until(const std::string& login, std::int64_t now_ms) const {
  const std::lock_guard lock(mutex_);
  const auto it = failures_.find(login);
  if (it == failures_.end() || it->second.locked_until_ms <= now_ms) return std::nullopt;
  return it->second.locked_until_ms;
}

int Sessions::failed(const std::string& login, std::int64_t now_ms) {
  const std::lock_guard lock(mutex_);
  auto& f = failures_[login];
  if (f.locked_until_ms != 0 && f.locked_until_ms <= now_ms) f = {};  // the lock ran out: count afresh
  ++f.in_a_row;
  if (f.in_a_row >= limits_.max_failures) f.locked_until_ms = now_ms + limits_.lockout_ms;
  return f.in_a_row;
}

}  // namespace hotline::daemon
