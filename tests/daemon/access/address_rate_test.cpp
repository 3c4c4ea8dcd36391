// The per-address rate limit of the public endpoints: a token bucket per client address, bounded in memory.
#include "daemon/access/address_rate.hpp"

#include <catch2/catch.hpp>
#include <string>

using hotline::daemon::AddressRate;

TEST_CASE("an address gets its burst, then one look-up per refill interval", "[daemon][access][public]") {
  AddressRate rate(10);  // ten a minute: a token every 6 s
  const std::int64_t t0 = 1'000'000;
  for (int i = 0; i < 10; ++i) CHECK(rate.allow("10.0.0.1", t0));
  std::int64_t retry = 0;
  CHECK_FALSE(rate.allow("10.0.0.1", t0, &retry));
  CHECK(retry == 6000);
  CHECK_FALSE(rate.allow("10.0.0.1", t0 + 5999));
  CHECK(rate.allow("10.0.0.1", t0 + 6000));  // the refusals took nothing
  CHECK_FALSE(rate.allow("10.0.0.1", t0 + 6000));
  // Another address has its own bucket.
  CHECK(rate.allow("10.0.0.2", t0));
  // A quiet minute refills the bucket, never beyond the burst.
  for (int i = 0; i < 10; ++i) CHECK(rate.allow("10.0.0.1", t0 + 600'000));
  CHECK_FALSE(rate.allow("10.0.0.1", t0 + 600'000));
}

TEST_CASE("the buckets kept are bounded: full ones are dropped, and a new address waits when none is",
          "[daemon][access][public]") {
  AddressRate rate(2, 3);
  const std::int64_t t0 = 0;
  for (const char* a : {"a", "b", "c"}) CHECK(rate.allow(a, t0));
  CHECK(rate.addresses() == 3);
  // Every bucket still owes a token: a fourth address is refused rather than evicting a limited one.
  CHECK_FALSE(rate.allow("d", t0));
  CHECK(rate.addresses() == 3);
  // Half a minute later they have refilled: they are dropped and the new address gets a bucket.
  CHECK(rate.allow("d", t0 + 30'000));
  CHECK(rate.addresses() == 1);
}
