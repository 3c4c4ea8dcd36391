#include "daemon/runtime/key_quota.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <vector>

using hotline::daemon::KeyQuota;

TEST_CASE("a key holds at most per_key slots and a released slot can be taken again", "[daemon][runtime][quota]") {
  KeyQuota quota(2);
  auto a1 = quota.take("a");
  auto a2 = quota.take("a");
  REQUIRE(a1);
  REQUIRE(a2);
  CHECK_FALSE(quota.take("a"));
  CHECK(quota.take("b"));  // another key has its own slots (this one is given back at once)
  CHECK(quota.held("a") == 2);
  CHECK(quota.held("b") == 0);

  a1.reset();
  CHECK(quota.held("a") == 1);
  auto a3 = quota.take("a");
  CHECK(a3);
  CHECK_FALSE(quota.take("a"));
}

TEST_CASE("a moved lease is given back once and a lease may outlive its quota", "[daemon][runtime][quota]") {
  std::optional<KeyQuota::Lease> kept;
  {
    KeyQuota quota(1);
    auto lease = quota.take("k");
    REQUIRE(lease);
    KeyQuota::Lease moved = std::move(*lease);
    lease.reset();  // the moved-from lease holds nothing
    CHECK(quota.held("k") == 1);
    KeyQuota::Lease assigned;
    assigned = std::move(moved);
    CHECK(quota.held("k") == 1);
    kept.emplace(std::move(assigned));
  }
  kept.reset();  // the quota is gone: giving the slot back must still be safe
  SUCCEED();
}
