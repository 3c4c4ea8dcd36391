// End-to-end: admin work never holds the I/O thread. With one I/O thread, a client keeps asking /healthz while a
// rules reload (compiling the shipped 1,300-unit directory) runs: every answer comes back long before the reload's.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <future>
#include <string>
#include <vector>

#include "support/e2e.hpp"

using namespace std::chrono;

TEST_CASE("a normal client is served while a rules reload runs", "[e2e][stall]") {
  TempDir dir;
  std::ofstream(dir.path() + "/hotline.yaml") << "http:\n  threads: 1\n";
  DaemonProcess daemon(HOTLINED_PATH, {"--config", dir.path() + "/hotline.yaml", "--listen", "127.0.0.1:0",
                                       "--database", dir.path() + "/h.db", "--rules", SHIPPED_RULES_DIR});
  HttpClient admin(daemon.port());
  HttpClient client(daemon.port());
  REQUIRE(client.get("/healthz").status == 200);  // connected and served once

  const auto started = steady_clock::now();
  auto reload = std::async(std::launch::async, [&] {
    const auto r = admin.request("POST", "/v1/admin/reload", "{}", "");
    return std::pair{r.status, steady_clock::now()};
  });
  std::vector<double> latencies_ms;
  // Bounded in count and time; stops when the reload has answered.
  for (int i = 0; i < 5'000 && steady_clock::now() - started < seconds(60); ++i) {
    if (reload.wait_for(seconds(0)) == std::future_status::ready) break;
    const auto t0 = steady_clock::now();
    REQUIRE(client.get("/healthz").status == 200);
    latencies_ms.push_back(duration<double, std::milli>(steady_clock::now() - t0).count());
  }
  const auto [status, finished] = reload.get();
  REQUIRE(status == 200);
  const double reload_ms = duration<double, std::milli>(finished - started).count();
  const double worst_ms = latencies_ms.empty() ? 0 : *std::max_element(latencies_ms.begin(), latencies_ms.end());
  INFO("reload " << reload_ms << " ms, " << latencies_ms.size() << " health checks meanwhile, worst " << worst_ms
                 << " ms");
  // Served all along: many answers while the reload ran, none held for a good part of it.
  CHECK(latencies_ms.size() >= 5);
  CHECK(worst_ms < reload_ms / 2);
}
