// Sessions in memory: found by their cookie until idle or too old, closed by logout or with their account; the
// lock after five failed logins in a row; Argon2id password hashes.
#include "daemon/access/sessions.hpp"

#include <catch2/catch.hpp>

#include "daemon/access/password.hpp"

using namespace hotline::daemon;

namespace {
constexpr std::int64_t k_minute = 60'000;
}

TEST_CASE("a session lives until it is idle too long or too old", "[daemon][sessions]") {
  Sessions sessions(SessionLimits{30 * k_minute, 120 * k_minute, 5, 15 * k_minute});
  const auto a = sessions.open("wangmin", "operator", "", 0);
  CHECK(a.cookie.size() == 64);
  CHECK(a.session.csrf.size() == 64);
  CHECK(a.session.csrf != a.cookie);
  CHECK(sessions.find(a.cookie, 29 * k_minute)->login == "wangmin");
  CHECK(sessions.find(a.cookie, 58 * k_minute));        // used at 29: idle only 29 minutes
  CHECK_FALSE(sessions.find(a.cookie, 88 * k_minute));  // idle 30 minutes: gone
  CHECK_FALSE(sessions.find(a.cookie, 89 * k_minute));  // and forgotten
  // Used every 20 minutes it still ends at its absolute expiry.
  const auto b = sessions.open("liyun", "unit", "350602.cgj", 0);
  for (std::int64_t t = 20; t < 120; t += 20) CHECK(sessions.find(b.cookie, t * k_minute));
  CHECK_FALSE(sessions.find(b.cookie, 120 * k_minute));
  CHECK_FALSE(sessions.find("not a cookie", 0));
  CHECK_FALSE(sessions.find(std::string(64, 'a'), 0));
}

TEST_CASE("logout and a changed account end sessions; expired ones are dropped", "[daemon][sessions]") {
  Sessions sessions(SessionLimits{30 * k_minute, 120 * k_minute, 5, 15 * k_minute});
  const auto a = sessions.open("wangmin", "operator", "", 0);
  const auto b = sessions.open("wangmin", "operator", "", 0);
  const auto c = sessions.open("liyun", "unit", "350602.cgj", 0);
  CHECK(sessions.close(a.cookie));
  CHECK_FALSE(sessions.close(a.cookie));
  CHECK_FALSE(sessions.find(a.cookie, 1));
  sessions.close_all("wangmin");
  CHECK_FALSE(sessions.find(b.cookie, 1));
  CHECK(sessions.find(c.cookie, 1));
  CHECK(sessions.size() == 1);
  sessions.open("zhaoyi", "unit", "350603.cgj", 200 * k_minute);  // c expired meanwhile: dropped
  CHECK(sessions.size() == 1);
}

TEST_CASE("five failed logins in a row lock the login for a while", "[daemon][sessions]") {
  Sessions sessions(SessionLimits{30 * k_minute, 120 * k_minute, 5, 15 * k_minute});
  for (int i = 1; i <= 4; ++i) CHECK(sessions.failed("liyun", i) == i);
  CHECK_FALSE(sessions.locked_until("liyun", 5));
  CHECK(sessions.failed("liyun", 10) == 5);
  CHECK(sessions.locked_until("liyun", 11) == 10 + 15 * k_minute);
  CHECK_FALSE(sessions.locked_until("wangmin", 11));  // per login
  CHECK_FALSE(sessions.locked_until("liyun", 10 + 15 * k_minute));
  CHECK(sessions.failed("liyun", 20 * k_minute) == 1);          // the lock ran out: counted afresh
  sessions.open("liyun", "unit", "350602.cgj", 21 * k_minute);  // a login forgets the failures
  CHECK(sessions.failed("liyun", 22 * k_minute) == 1);
}

TEST_CASE("passwords are kept as Argon2id hashes and checked against them", "[daemon][sessions]") {
  const auto hash = hash_password("correct horse 1");
  CHECK(hash.starts_with("$argon2id$"));
  CHECK(hash.find("correct horse") == std::string::npos);
  CHECK(hash != hash_password("correct horse 1"));  // salted
  CHECK(verify_password(hash, "correct horse 1"));
  CHECK_FALSE(verify_password(hash, "correct horse 2"));
  CHECK_FALSE(verify_password("not a hash", "correct horse 1"));
  CHECK(password_problem("1234567").find("at least 8") != std::string::npos);
  CHECK(password_problem("王敏王敏王敏王敏").empty());  // 8 characters
  CHECK(password_problem(std::string(129, 'x')).find("at most 128") != std::string::npos);
}
