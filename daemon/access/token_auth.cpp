#include "daemon/access/token_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace hotline::daemon {
namespace {

std::string hex(const unsigned char* data, std::size_t n) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = k_digits[data[i] >> 4];
    out[2 * i + 1] = k_digits[data[i] & 0xF];
  }
  return out;
}

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string random_hex(std::size_t bytes) {
  std::array<unsigned char, 64> buf{};
  std::size_t got = 0;
  while (got < bytes) {
    const ssize_t n = ::getrandom(buf.data() + got, bytes - got, 0);
    if (n <= 0) throw std::runtime_error("getrandom failed");
    got += static_cast<std::size_t>(n);
  }
  return hex(buf.data(), bytes);
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return hex(digest.data(), length);
}

IssuedToken issue_token(const std::string& name, const std::string& role, const std::string& unit_id,
                        const std::string& created_at) {
  IssuedToken t;
  const std::string id = random_hex(4);
  const std::string secret = random_hex(32);
  t.record.id = id;
  t.record.name = name;
  t.record.role = role;
  if (role == "unit") t.record.unit_id = unit_id;
  t.record.secret_hash = sha256_hex(secret);
  t.record.created_at = created_at;
  t.text = "hl_" + id + "_" + secret;
  return t;
}

std::optional<Principal> authenticate(std::string_view authorization, storage::TokenStore& tokens) {
  // The scheme's name is case-insensitive (RFC 9110, 11.1): "bearer" and "BEARER" are Bearer too.
  constexpr std::string_view scheme = "bearer ";
  if (authorization.size() < scheme.size() ||
      !std::equal(scheme.begin(), scheme.end(), authorization.begin(),
                  [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
    return std::nullopt;
  }
  const std::string_view token = authorization.substr(scheme.size());
  // hl_ + 8 hex + _ + 64 hex
  if (token.size() != 3 + 8 + 1 + 64 || !token.starts_with("hl_") || token[11] != '_') return std::nullopt;
  const std::string_view id = token.substr(3, 8);
  const std::string_view secret = token.substr(12);
  if (!is_hex(id) || !is_hex(secret)) return std::nullopt;
  auto found = tokens.find(std::string(id));
  if (!found || !*found || (*found)->revoked_at) return std::nullopt;
  const auto& record = **found;
  const std::string hash = sha256_hex(secret);
  if (hash.size() != record.secret_hash.size() ||
      CRYPTO_memcmp(hash.data(), record.secret_hash.data(), hash.size()) != 0) {
    return std::nullopt;
  }
  const auto role = parse_token_role(record.role);
  if (!role) return std::nullopt;  // a role this build does not know is refused, never given a default
  return Principal{*role, record.unit_id.value_or(""), record.id};
}

}  // namespace hotline::daemon
