// People's passwords: Argon2id through libsodium (crypto_pwhash_str, the "interactive" cost: 2 passes over 64 MiB,
// about a tenth of a second), so a stolen database gives no password back cheaply. Slow on purpose: call it off
// the I/O threads. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace hotline::daemon {

// The encoded hash ($argon2id$v=19$m=…) of `password`; throws std::runtime_error when libsodium cannot start or
// runs out of memory.
std::string hash_password(std::string_view password);

// Whether `password` matches `encoded` (a hash_password text); false for a malformed hash.
bool verify_password(std::string_view encoded, std::string_view password);

// Why `password` is refused for an account ("" when it is good enough): fewer than 8 characters, or longer than
// 128 bytes.
std::string password_problem(std::string_view password);

}  // namespace hotline::daemon
