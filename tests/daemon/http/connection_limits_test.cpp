// The accept loop's pieces on their own: ConnectionSlots (the connection caps) and AcceptBackoff (what a failed
// accept waits and logs).
#include <boost/asio/error.hpp>
#include <catch2/catch.hpp>
#include <cerrno>
#include <optional>
#include <vector>

#include "daemon/http/accept_backoff.hpp"
#include "daemon/http/connection_slots.hpp"

using namespace hotline::daemon;
using namespace std::chrono;

namespace {

boost::system::error_code sys(int e) {
  return {e, boost::system::system_category()};
}

}  // namespace

TEST_CASE("connections beyond the per-address cap are refused but counted and a full server wakes its loop once",
          "[daemon][http][limits]") {
  ConnectionSlots slots(3, 2);
  std::vector<ConnectionSlots::Slot> open;
  open.push_back(slots.take("10.0.0.1"));
  open.push_back(slots.take("10.0.0.1"));
  open.push_back(slots.take("10.0.0.1"));
  CHECK(open[0].within_address_limit());
  CHECK(open[1].within_address_limit());
  CHECK_FALSE(open[2].within_address_limit());  // refused, yet holding a descriptor until it is closed
  CHECK(slots.open() == 3);

  int woken = 0;
  REQUIRE(slots.wake_when_free([&] { ++woken; }));  // every slot taken
  open.pop_back();
  CHECK(woken == 1);
  CHECK(slots.open() == 2);
  CHECK_FALSE(slots.wake_when_free([&] { ++woken; }));  // a slot is free: no wait
  open.pop_back();
  CHECK(woken == 1);  // a wake-up runs once

  auto other = slots.take("10.0.0.2");
  CHECK(other.within_address_limit());
  auto again = slots.take("10.0.0.1");
  CHECK(again.within_address_limit());  // the first address's slots were given back
}

TEST_CASE("out of descriptors accepting pauses 10 ms doubling to 1 s and is logged once and reset by a success",
          "[daemon][http][limits]") {
  AcceptBackoff b;
  auto t = steady_clock::now();
  const auto first = b.failed(sys(EMFILE), t);
  CHECK(first.wait == milliseconds(10));
  CHECK(first.warn);
  std::vector<long> waits;
  for (int i = 0; i < 9; ++i) {
    const auto step = b.failed(sys(i % 2 == 0 ? ENFILE : ENOBUFS), t);
    CHECK_FALSE(step.warn);
    waits.push_back(static_cast<long>(step.wait.count()));
  }
  CHECK(waits == std::vector<long>{20, 40, 80, 160, 320, 640, 1000, 1000, 1000});
  const auto resumed = b.succeeded(t + milliseconds(2500));
  REQUIRE(resumed);
  CHECK(resumed->failures == 10);
  CHECK(resumed->lasted == milliseconds(2500));
  CHECK_FALSE(b.succeeded(t));  // nothing to report twice

  // A pause again within the minute is not logged, only counted in the next warning.
  const auto soon = b.failed(sys(ENOMEM), t + seconds(10));
  CHECK(soon.wait == milliseconds(10));
  CHECK_FALSE(soon.warn);
  CHECK_FALSE(b.succeeded(t + seconds(11)));
  const auto later = b.failed(sys(EMFILE), t + seconds(90));
  CHECK(later.warn);
  CHECK(later.quiet_pauses == 1);
}

TEST_CASE("a connection that left the queue is retried at once and only a long run of such failures pauses",
          "[daemon][http][limits]") {
  AcceptBackoff b;
  const auto t = steady_clock::now();
  for (int i = 1; i < AcceptBackoff::k_transient_run; ++i) {
    const auto step = b.failed(boost::asio::error::connection_aborted, t);
    CHECK(step.wait == milliseconds(0));
    CHECK_FALSE(step.warn);
  }
  const auto paused = b.failed(boost::asio::error::connection_aborted, t);
  CHECK(paused.wait == milliseconds(10));
  CHECK(paused.warn);
  CHECK(b.succeeded(t));

  // A success in between starts the count again.
  for (int i = 1; i < AcceptBackoff::k_transient_run; ++i) (void)b.failed(sys(ECONNABORTED), t);
  CHECK_FALSE(b.succeeded(t));
  CHECK(b.failed(sys(ECONNABORTED), t).wait == milliseconds(0));
}
