// Bearer tokens against a real TokenStore: issued tokens authenticate with their role and unit; a wrong secret,
// a revoked token, a malformed header or a role this build does not know never does.
#include "daemon/access/token_auth.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "storage/database.hpp"
#include "tests/storage/store_fixture.hpp"

using namespace hotline;
using namespace hotline::daemon;
using hotline::storage::test::TempDb;

namespace {

constexpr const char* k_created = "2026-11-26T09:30:00.000+08:00";

struct Tokens {
  TempDb tmp;
  std::unique_ptr<storage::TokenStore> store = std::move(*storage::TokenStore::open(tmp.path));

  std::string issue(const std::string& role, const std::string& unit = "") {
    const auto t = issue_token("test " + role, role, unit, k_created);
    REQUIRE(store->create(t.record));
    return t.text;
  }
};

std::string bearer(const std::string& token) {
  return "Bearer " + token;
}

// The same token id with another secret of the right shape.
std::string with_other_secret(const std::string& token) {
  std::string forged = token;
  forged.back() = forged.back() == '0' ? '1' : '0';
  return forged;
}

}  // namespace

TEST_CASE("an issued token authenticates with its role and unit", "[daemon][access]") {
  Tokens tokens;
  const auto unit = tokens.issue("unit", "350602.cgj");
  const auto op = tokens.issue("operator");

  const auto p = authenticate(bearer(unit), *tokens.store);
  REQUIRE(p);
  CHECK(p->role == CallerRole::unit);
  CHECK(p->unit_id == "350602.cgj");
  CHECK(p->token_id == unit.substr(3, 8));

  const auto o = authenticate(bearer(op), *tokens.store);
  REQUIRE(o);
  CHECK(o->role == CallerRole::operator_);
  CHECK(o->unit_id.empty());
  CHECK(o->token_id == op.substr(3, 8));
}

TEST_CASE("a known token id with a wrong secret is refused", "[daemon][access]") {
  Tokens tokens;
  const auto token = tokens.issue("supervisor");
  REQUIRE(authenticate(bearer(token), *tokens.store));
  CHECK_FALSE(authenticate(bearer(with_other_secret(token)), *tokens.store));
  CHECK_FALSE(authenticate(bearer(token.substr(0, 12) + std::string(64, 'a')), *tokens.store));
  // Another token's secret under this id.
  const auto other = tokens.issue("supervisor");
  CHECK_FALSE(authenticate(bearer(token.substr(0, 12) + other.substr(12)), *tokens.store));
}

TEST_CASE("a revoked token is refused", "[daemon][access]") {
  Tokens tokens;
  const auto token = tokens.issue("admin");
  REQUIRE(authenticate(bearer(token), *tokens.store));
  REQUIRE(*tokens.store->revoke(token.substr(3, 8), k_created));
  CHECK_FALSE(authenticate(bearer(token), *tokens.store));
}

TEST_CASE("an unknown token id is refused", "[daemon][access]") {
  Tokens tokens;
  (void)tokens.issue("operator");
  CHECK_FALSE(authenticate(bearer("hl_00000000_" + std::string(64, '0')), *tokens.store));
}

TEST_CASE("malformed authorization headers are refused", "[daemon][access]") {
  Tokens tokens;
  const auto token = tokens.issue("operator");
  REQUIRE(authenticate(bearer(token), *tokens.store));
  // The scheme's name is case-insensitive (RFC 9110); the token itself is not.
  CHECK(authenticate("bearer " + token, *tokens.store));
  CHECK(authenticate("BEARER " + token, *tokens.store));
  std::string upper_secret = token;
  upper_secret[20] = 'G';  // not hex at all
  std::string upper_hex = token;
  for (std::size_t i = 12; i < upper_hex.size(); ++i) {
    if (upper_hex[i] >= 'a' && upper_hex[i] <= 'f') upper_hex[i] = static_cast<char>(upper_hex[i] - 'a' + 'A');
  }
  std::string bad_id = token;
  bad_id[5] = 'x';
  const std::string cases[] = {
      "",
      token,                                                     // no scheme
      "Basic " + token,                                          // another scheme
      "Bearer" + token,                                          // no space after the scheme
      "Bearerx " + token,                                        // another scheme that starts alike
      "Bearer  " + token,                                        // two spaces
      "Bearer " + token + " ",                                   // trailing space: wrong length
      "Bearer " + token.substr(0, token.size() - 1),             // one digit short
      "Bearer " + token + "0",                                   // one digit too many
      "Bearer " + upper_secret,                                  // non-hex secret
      "Bearer " + bad_id,                                        // non-hex id
      "Bearer hk_" + token.substr(3),                            // wrong prefix
      "Bearer " + token.substr(0, 11) + "-" + token.substr(12),  // wrong separator
      "Bearer hl_" + token.substr(3, 7) + "_" + token.substr(10, 1) + token.substr(12),  // id of 7, secret of 65
  };
  for (const auto& header : cases) {
    INFO(header);
    CHECK_FALSE(authenticate(header, *tokens.store));
  }
  if (upper_hex != token) {  // the secret is lower-case hex, as issued
    CHECK_FALSE(authenticate(bearer(upper_hex), *tokens.store));
  }
}

TEST_CASE("a stored role this build does not know is refused", "[daemon][access]") {
  Tokens tokens;
  auto issued = issue_token("future", "auditor", "", k_created);
  // The schema refuses the row ...
  CHECK_FALSE(tokens.store->create(issued.record).has_value());
  // ... but a database written by another build may hold one: write it past the CHECK and it is still refused.
  auto db = storage::open_database(tokens.tmp.path);
  REQUIRE(db.has_value());
  REQUIRE(db->exec("PRAGMA ignore_check_constraints = ON"));
  REQUIRE(db->exec("INSERT INTO tokens (id, name, role, unit_id, secret_hash, created_at) VALUES ('" +
                   issued.record.id + "', 'future', 'auditor', NULL, '" + issued.record.secret_hash + "', '" +
                   k_created + "')"));
  const auto found = tokens.store->find(issued.record.id);
  REQUIRE(found.has_value());
  REQUIRE(found->has_value());
  REQUIRE((*found)->role == "auditor");
  CHECK_FALSE(authenticate(bearer(issued.text), *tokens.store));
  // Nor is the open-access principal's name a role a token may carry.
  auto local = issue_token("local", "local", "", k_created);
  REQUIRE(db->exec("INSERT INTO tokens (id, name, role, unit_id, secret_hash, created_at) VALUES ('" + local.record.id +
                   "', 'local', 'local', NULL, '" + local.record.secret_hash + "', '" + k_created + "')"));
  CHECK_FALSE(authenticate(bearer(local.text), *tokens.store));
}
