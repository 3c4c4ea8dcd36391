// The citizen's lookup code (查询码): six random digits given at intake, with which a caller asks how the case
// stands (GET /v1/public/tickets/{id}?code=…) without a token. The ticket keeps only a keyed hash of the code
// (HMAC-SHA256 under the database's caller key, with a prefix of its own), compared in constant time.
#pragma once

#include <string>
#include <string_view>

namespace hotline::daemon {

inline constexpr std::size_t k_lookup_code_digits = 6;

// Six digits from the operating system's random source (getrandom); throws when it fails.
std::string make_lookup_code();

class LookupCodes {
 public:
  explicit LookupCodes(std::string secret) : secret_(std::move(secret)) {}
  // The stored form of a code: 64 hex digits.
  std::string hash_of(std::string_view code) const;
  // Whether `code` is the one whose hash is `stored`, in time independent of where they differ; false for an
  // empty `stored` (a ticket without a code), after the same work.
  bool matches(std::string_view code, std::string_view stored) const;

 private:
  std::string secret_;
};

}  // namespace hotline::daemon
