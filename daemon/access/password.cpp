#include "daemon/access/password.hpp"

#include <sodium.h>

#include <stdexcept>

namespace hotline::daemon {
namespace {

void start_sodium() {
  static const int started = sodium_init();  // thread-safe once; 1 = already started by someone else
  if (started < 0) throw std::runtime_error("libsodium cannot start");
}

}  // namespace

std::string hash_password(std::string_view password) {
  start_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("cannot hash a password: out of memory");
  }
  return out;
}

bool verify_password(std::string_view encoded, std::string_view password) {
  start_sodium();
  if (encoded.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string text(encoded);  // NUL-terminated for libsodium
  return crypto_pwhash_str_verify(text.c_str(), password.data(), password.size()) == 0;
}

std::string password_problem(std::string_view password) {
  std::size_t chars = 0;
  for (const char c : password) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
  }
  if (chars < 8) return "a password needs at least 8 characters";
  if (password.size() > 128) return "a password may have at most 128 bytes";
  return {};
}

}  // namespace hotline::daemon
