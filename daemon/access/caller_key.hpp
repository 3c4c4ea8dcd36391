// Callers by phone without phone numbers in an index: a caller's number is normalised (digits only, the +86 /
// 0086 country code dropped) and keyed with HMAC-SHA256 under the database's own secret; tickets carry the key,
// and "this caller's tickets" is a look-up of the key. The secret never leaves the database it was made for.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hotline::daemon {

// "+86 138-0013-8000", "0086 13800138000", "(0596) 2345678" → "13800138000", "05962345678". Spaces, dashes,
// dots and parentheses are dropped; nullopt when what is left is not 5 to 15 digits (nothing to key).
std::optional<std::string> normalize_phone(std::string_view phone);

// HMAC-SHA256 of `text` under `secret`, as 64 lower-case hex digits; throws when OpenSSL fails.
std::string hmac_sha256_hex(std::string_view secret, std::string_view text);

class CallerKeys {
 public:
  explicit CallerKeys(std::string secret) : secret_(std::move(secret)) {}
  // The key of a phone number (64 hex digits), nullopt when it does not normalise.
  std::optional<std::string> key_of(std::string_view phone) const;
  const std::string& secret() const { return secret_; }

 private:
  std::string secret_;
};

}  // namespace hotline::daemon
