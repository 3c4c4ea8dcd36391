// People's sessions in the web terminal: the server's side of the session cookie, kept in memory (a restart logs
// everyone out), each with an idle and an absolute expiry and its CSRF token; and the lock on a login after
// repeated failures. A session is found by the SHA-256 of its cookie value, never the value itself. Thread-safe
// (one mutex; every call is a map look-up).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace hotline::daemon {

struct SessionLimits {
  std::int64_t idle_ms = 30 * 60'000LL;         // sessions.idle_minutes: unused this long, a session ends
  std::int64_t absolute_ms = 12 * 3'600'000LL;  // sessions.max_hours: a session ends this long after login
  int max_failures = 5;                         // failed logins in a row that lock the login
  std::int64_t lockout_ms = 15 * 60'000LL;      // sessions.lockout_minutes: how long it stays locked
};

struct Session {
  std::string login, role, unit_id;  // the account's, as at login (checked again against the account per request)
  std::string csrf;                  // sent back as X-CSRF-Token with every state-changing request
  std::int64_t created_ms = 0, last_seen_ms = 0;
};

class Sessions {
 public:
  explicit Sessions(SessionLimits limits = {}) : limits_(limits) {}

  struct Opened {
    std::string cookie;  // the session id: 32 random bytes, hex; only its hash is kept
    Session session;
  };
  // A new session for an account that just logged in (its failures forgotten).
  Opened open(std::string login, std::string role, std::string unit_id, std::int64_t now_ms);
  // The live session of cookie value `cookie`, touched; nullopt (and forgotten) when unknown, idle too long or
  // past its absolute expiry.
  std::optional<Session> find(std::string_view cookie, std::int64_t now_ms);
  // As find(), without touching it: for a feed that checks its session is still open (a feed is not activity).
  std::optional<Session> peek(std::string_view cookie, std::int64_t now_ms);
  // Logout: false when there was no such session.
  bool close(std::string_view cookie);
  // Every session of `login` ends (its account was disabled or changed).
  void close_all(const std::string& login);
  std::size_t size() const;

  // When `login` opens again, while it is locked at now_ms.
  std::optional<std::int64_t> locked_until(const std::string& login, std::int64_t now_ms) const;
  // A failed login: the failures in a row so far; the limit's one locks the login for lockout_ms.
  int failed(const std::string& login, std::int64_t now_ms);

  const SessionLimits& limits() const { return limits_; }

 private:
  std::optional<Session> look_up(std::string_view cookie, std::int64_t now_ms, bool touch);
  struct Failures {
    int in_a_row = 0;
    std::int64_t locked_until_ms = 0;
  };
  const SessionLimits limits_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Session> by_hash_;  // SHA-256 hex of the cookie → session
  std::map<std::string, Failures> failures_;          // by login
};

}  // namespace hotline::daemon
