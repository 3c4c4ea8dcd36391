// Bearer tokens: issuing them (random secret, only its SHA-256 stored) and checking them on requests.
// Token text: "hl_<id>_<secret>", id 8 hex digits (public, for listings and revocation), secret 64 hex digits.
// Stateless functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "daemon/access/roles.hpp"
#include "storage/token_store.hpp"

namespace hotline::daemon {

struct Principal {
  CallerRole role = CallerRole::local;
  std::string unit_id;  // for role unit
  std::string token_id;
};

struct IssuedToken {
  storage::TokenRecord record;
  std::string text;  // shown once to the admin; never stored
};

// A fresh token for `role` (and `unit_id` when role is "unit"). Throws std::runtime_error only if the system
// random source fails.
IssuedToken issue_token(const std::string& name, const std::string& role, const std::string& unit_id,
                        const std::string& created_at);

// The principal for an Authorization header value ("Bearer hl_..."), or nullopt when malformed, unknown,
// revoked, or the secret does not match. Storage errors also give nullopt (the request is refused).
std::optional<Principal> authenticate(std::string_view authorization, storage::TokenStore& tokens);

std::string sha256_hex(std::string_view data);

// `bytes` random bytes (at most 64) from the kernel, as lower-case hex; throws std::runtime_error when getrandom
// fails.
std::string random_hex(std::size_t bytes);

}  // namespace hotline::daemon
