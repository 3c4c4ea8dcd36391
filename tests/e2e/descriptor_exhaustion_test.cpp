// End-to-end: issue 14, "one client freezes everyone". With a low open-files limit, idle connections take every
// descriptor the daemon may have: accepting then pauses with a backoff instead of spinning on EMFILE (the daemon
// stays idle and logs one line, not thousands a second), and once the connections close it serves again.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/e2e.hpp"
#include "support/raw_connection.hpp"

using hotline::test::RawConnection;
using namespace std::chrono;

namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("out of descriptors the daemon pauses accepting without spinning and serves again once connections close",
          "[e2e][limits]") {
  constexpr unsigned k_open_files = 96;
  TempDir dir;
  // Idle connections must not time out during the test: they are what holds the descriptors.
  std::ofstream(dir.path() + "/hotline.yaml") << "http:\n  request_timeout: 300\n";
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--config", dir.path() + "/hotline.yaml", "--listen", "127.0.0.1:0", "--database",
                        dir.path() + "/h.db", "--rules", SHIPPED_RULES_DIR},
                       {.open_files = k_open_files});
  {
    HttpClient client(daemon.port());
    REQUIRE(client.get("/healthz").status == 200);
  }

  // More idle connections than the daemon has descriptors: the rest wait in the kernel's accept queue.
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (unsigned i = 0; i < k_open_files + 32; ++i) idle.push_back(std::make_unique<RawConnection>(daemon.port()));
  bool exhausted = false;
  for (const auto deadline = steady_clock::now() + seconds(20); !exhausted && steady_clock::now() < deadline;) {
    exhausted = daemon.open_descriptors() >= k_open_files;
    if (!exhausted) daemon.output_during(milliseconds(20));  // poll interval; drains the daemon's log meanwhile
  }
  REQUIRE(exhausted);

  // Over a window with every descriptor taken and connections still queued: how busy is the daemon?
  const double cpu_before = daemon.cpu_seconds();
  const auto window_start = steady_clock::now();
  const std::string logged = daemon.output_during(seconds(2));
  const double wall = duration<double>(steady_clock::now() - window_start).count();
  const double cpu = daemon.cpu_seconds() - cpu_before;
  INFO("CPU " << cpu << " s over " << wall << " s; " << occurrences(logged, "\n") << " log lines meanwhile, e.g.:\n"
              << logged.substr(0, 600));
  CHECK(cpu < 0.2 * wall);  // spinning on accept keeps a core busy
  CHECK(occurrences(logged, "\n") < 5);
  CHECK(occurrences(daemon.output(), "accept paused") == 1);

  // The idle clients hang up: descriptors free up and a normal request is served. Its answer is polled for while
  // the daemon's log is drained, so a daemon that logs without end cannot block on a full pipe.
  idle.clear();
  RawConnection client(daemon.port());
  REQUIRE(client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  std::optional<std::string> head;
  const auto deadline = steady_clock::now() + seconds(20);
  for (int i = 0; i < 1000 && !head && steady_clock::now() < deadline; ++i) {
    daemon.output_during(milliseconds(10));
    head = client.read_head(milliseconds(10));
  }
  REQUIRE(head);
  CHECK(head->starts_with("HTTP/1.1 200"));
  CHECK(daemon.wait_for_output(R"(accept resumed after \d+ ms paused \(\d+ failed accepts\))"));
  CHECK(occurrences(daemon.output(), "accept paused") == 1);
}
