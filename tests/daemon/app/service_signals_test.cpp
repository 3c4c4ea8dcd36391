#include "daemon/app/service_signals.hpp"

#include <pthread.h>
#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

using hotline::daemon::ServiceSignals;

namespace {

bool blocked_here(int signal) {
  sigset_t now;
  pthread_sigmask(SIG_BLOCK, nullptr, &now);
  return sigismember(&now, signal) == 1;
}

}  // namespace

// On a thread of its own, whose mask dies with it; raise() signals that thread only.
TEST_CASE("stop and reload signals are read on the loop in order, one raised before the loop ran included",
          "[app][signals]") {
  std::vector<int> heard;
  std::vector<int> blocked_in_later_thread;
  bool ended = false;
  std::thread([&] {
    boost::asio::io_context ioc;
    ServiceSignals signals(ioc);
    REQUIRE(::raise(SIGHUP) == 0);  // blocked now: pending, where the default action would end the process
    std::thread([&] {
      for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGUSR1}) {
        if (blocked_here(signal)) blocked_in_later_thread.push_back(signal);
      }
    }).join();
    signals.listen([&](int signal) {
      heard.push_back(signal);
      if (signal == SIGHUP) {
        ::raise(SIGTERM);
      } else {
        signals.close();
      }
    });
    ioc.run();  // returns once closed: nothing else of the signals keeps the loop alive
    ended = true;
  }).join();
  CHECK(heard == std::vector<int>{SIGHUP, SIGTERM});
  CHECK(blocked_in_later_thread == std::vector<int>{SIGINT, SIGTERM, SIGHUP});  // those three only
  CHECK(ended);
  CHECK_FALSE(blocked_here(SIGTERM));  // the constructor's mask is its own thread's
}
