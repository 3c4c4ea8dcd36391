#include "daemon/runtime/earliest_instant.hpp"

#include <catch2/catch.hpp>

using hotline::daemon::EarliestInstant;

TEST_CASE("only an earlier instant asks for the loop to be woken", "[daemon][timer]") {
  EarliestInstant e;
  CHECK_FALSE(e.peek().has_value());
  CHECK(e.offer(5000));
  CHECK_FALSE(e.offer(5000));  // the same instant: the timer is already set for it
  CHECK_FALSE(e.offer(9000));  // later: covered, the loop looks at all the work when it wakes
  CHECK(e.offer(3000));
  CHECK(e.peek() == 3000);
}

TEST_CASE("an instant is taken once it has come, and then forgotten", "[daemon][timer]") {
  EarliestInstant e;
  CHECK_FALSE(e.take_due(10'000));  // nothing held
  e.offer(5000);
  CHECK_FALSE(e.take_due(4999));
  CHECK(e.peek() == 5000);
  CHECK(e.take_due(5000));
  CHECK_FALSE(e.peek().has_value());
  CHECK_FALSE(e.take_due(5000));
  CHECK(e.offer(8000));  // after a take, any offer is news
}

TEST_CASE("reset replaces the instant, later or none", "[daemon][timer]") {
  EarliestInstant e;
  e.offer(1000);
  e.reset(7000);
  CHECK(e.peek() == 7000);
  e.reset(std::nullopt);
  CHECK_FALSE(e.peek().has_value());
}
