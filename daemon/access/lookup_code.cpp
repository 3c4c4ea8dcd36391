#include "daemon/access/lookup_code.hpp"

#include <openssl/crypto.h>
#include <sys/random.h>

#include <cstdint>
#include <stdexcept>

#include "daemon/access/caller_key.hpp"

namespace hotline::daemon {

std::string make_lookup_code() {
  std::string code;
  while (code.size() < k_lookup_code_digits) {
    std::uint8_t bytes[16];
    if (getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
      throw std::runtime_error("getrandom failed");
    }
    for (const auto b : bytes) {
      if (b < 250 && code.size() < k_lookup_code_digits) code.push_back(static_cast<char>('0' + b % 10));  // unbiased
    }
  }
  return code;
}

std::string LookupCodes::hash_of(std::string_view code) const {
  return hmac_sha256_hex(secret_, "lookup-code:" + std::string(code));
}

bool LookupCodes::matches(std::string_view code, std::string_view stored) const {
  const std::string mine = hash_of(code);
  const std::string_view theirs = stored.size() == mine.size() ? stored : std::string_view(mine);
  const bool same = CRYPTO_memcmp(mine.data(), theirs.data(), mine.size()) == 0;
  return same && stored.size() == mine.size();
}

}  // namespace hotline::daemon
