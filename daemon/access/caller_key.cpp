#include "daemon/access/caller_key.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>

namespace hotline::daemon {

std::optional<std::string> normalize_phone(std::string_view phone) {
  std::string digits;
  bool plus = false;
  for (const char c : phone) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  // The country code: +86 or 0086 before a number, or a bare 86 before an 11-digit mobile number.
  if (plus && digits.starts_with("86")) {
    digits.erase(0, 2);
  } else if (plus) {
    return std::nullopt;  // another country: not a number of this hotline's callers
  } else if (digits.starts_with("0086")) {
    digits.erase(0, 4);
  } else if (digits.size() == 13 && digits.starts_with("861")) {
    digits.erase(0, 2);
  }
  if (digits.size() < 5 || digits.size() > 15) return std::nullopt;
  return digits;
}

std::string hmac_sha256_hex(std::string_view secret, std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac.data(), &length) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out(length * 2, '0');
  for (unsigned int i = 0; i < length; ++i) {
    out[2 * i] = k_digits[mac[i] >> 4];
    out[2 * i + 1] = k_digits[mac[i] & 0xF];
  }
  return out;
}

std::optional<std::string> CallerKeys::key_of(std::string_view phone) const {
  const auto normal = normalize_phone(phone);
  if (!normal) return std::nullopt;
  return hmac_sha256_hex(secret_, *normal);
}

}  // namespace hotline::daemon
