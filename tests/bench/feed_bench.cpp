// Feed latency benchmark: how long after a ticket's 201 its dispatch reaches a liaison terminal on the SSE feed.
// Starts hotlined on 127.0.0.1:0 with a fresh database, opens one unit feed, posts TICKETS tickets to that unit
// one after another and reports p50/p99/max of (a) 201 received -> SSE message read and (b) POST sent -> SSE
// message read. Optionally LOAD background connections post tickets for another unit at the same time.
// Usage: build/release/tests/feed_bench [TICKETS] [LOAD] [HOTLINED] [RULES_DIR]   (defaults 200 0 and the build's)
#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "support/daemon_process.hpp"
#include "support/http_client.hpp"
#include "support/sse_client.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

double us(Clock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

void report(const char* what, std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto at = [&](double q) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
  };
  std::printf("%-28s p50 %8.0f us   p99 %8.0f us   max %8.0f us   (n=%zu)\n", what, at(0.50), at(0.99), v.back(),
              v.size());
}

}  // namespace

int main(int argc, char** argv) {
  const int tickets = argc > 1 ? std::stoi(argv[1]) : 200;
  const int load = argc > 2 ? std::stoi(argv[2]) : 0;
  const std::string hotlined = argc > 3 ? argv[3] : HOTLINED_PATH;
  const std::string rules = argc > 4 ? argv[4] : SHIPPED_RULES_DIR;
  hotline::test::TempDir dir;
  hotline::test::DaemonProcess daemon(
      hotlined, {"--listen", "127.0.0.1:0", "--database", dir.path() + "/b.db", "--rules", rules});
  hotline::test::SseClient feed(daemon.port(), "/v1/units/350602.cgj/feed");
  if (feed.status() != 200) {
    std::cerr << "feed refused: " << feed.status() << '\n';
    return 1;
  }
  std::atomic<bool> stop{false};
  std::atomic<long> background{0};
  std::vector<std::thread> loaders;
  for (int i = 0; i < load; ++i) {
    loaders.emplace_back([&] {
      hotline::test::HttpClient c(daemon.port());
      while (!stop.load()) {
        if (c.post("/v1/tickets", R"({"content":"路灯不亮","category":"010101","area":"350623"})").status == 201) {
          background.fetch_add(1);
        }
      }
    });
  }
  hotline::test::HttpClient client(daemon.port());
  std::vector<double> from_201, from_send;
  const auto started = Clock::now();
  for (int i = 0; i < tickets; ++i) {
    const auto sent = Clock::now();
    const auto res = client.post("/v1/tickets", R"({"content":"胜利路路灯不亮","category":"010101","area":"350602"})");
    const auto got_201 = Clock::now();
    if (res.status != 201) {
      std::cerr << "intake failed: " << res.status << ' ' << res.body << '\n';
      return 1;
    }
    const auto id = boost::json::value_to<std::string>(boost::json::parse(res.body).at("id"));
    // Bounded: a message that does not come within 10 s is a failure, not a wait.
    while (true) {
      const auto m = feed.next(10s);
      if (!m) {
        std::cerr << "no SSE message for " << id << '\n';
        return 1;
      }
      if (m->data.find(id) != std::string::npos) break;
    }
    const auto seen = Clock::now();
    from_201.push_back(us(seen - got_201));
    from_send.push_back(us(seen - sent));
  }
  const auto elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  stop = true;
  for (auto& t : loaders) t.join();
  std::printf("feed latency, %d tickets, %d background connection(s) (%ld background tickets, %.0f/s):\n", tickets,
              load, background.load(), static_cast<double>(background.load()) / elapsed);
  report("201 -> SSE message", from_201);
  report("POST sent -> SSE message", from_send);
  return 0;
}
