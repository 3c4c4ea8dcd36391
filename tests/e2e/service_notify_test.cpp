// End-to-end: the sd_notify protocol without systemd. The test binds the NOTIFY_SOCKET datagram socket systemd
// would, starts hotlined with it and a watchdog, and reads what the daemon says: READY=1 with its status once it
// serves, WATCHDOG=1 from the event loop, RELOADING=1 then READY=1 around a SIGHUP reload, STOPPING=1 at SIGTERM.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "support/e2e.hpp"

namespace {

// The service manager's end: a datagram socket at a path, read with a bounded wait.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(path.size() < sizeof addr.sun_path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    REQUIRE(::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~NotifySocket() { ::close(fd_); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  // The next message, or nullopt after 20 s without one.
  std::optional<std::string> next() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 20'000) != 1) return std::nullopt;
    char buffer[4096];
    const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(n));
  }
  // The next message that is not only a watchdog ping or a status update; counts the pings it skips.
  std::optional<std::string> next_state(int& pings) {
    while (auto m = next()) {
      if (*m == "WATCHDOG=1") {
        ++pings;
      } else if (m->rfind("STATUS=", 0) != 0) {
        return m;
      }
    }
    return std::nullopt;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace

TEST_CASE("hotlined tells the service manager it is ready, reloading, alive and stopping", "[e2e][service]") {
  TempDir dir;
  NotifySocket manager(dir.path() + "/notify");
  ::setenv("NOTIFY_SOCKET", (dir.path() + "/notify").c_str(), 1);
  ::setenv("WATCHDOG_USEC", "200000", 1);  // WatchdogSec=0.2: a ping every 100 ms
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--listen", "127.0.0.1:0", "--database", dir.path() + "/h.db", "--rules", SHIPPED_RULES_DIR});
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");

  int pings = 0;
  const auto ready = manager.next_state(pings);
  REQUIRE(ready);
  CHECK(ready->rfind("READY=1\nSTATUS=serving 127.0.0.1:" + std::to_string(daemon.port()) + "; rules ", 0) == 0);
  CHECK(ready->find("; 0 open tickets") != std::string::npos);
  // The event loop feeds the watchdog: a few pings come by themselves.
  while (pings < 3) {
    const auto m = manager.next();
    REQUIRE(m);
    if (*m == "WATCHDOG=1") ++pings;
  }
  HttpClient client(daemon.port());
  REQUIRE(
      client.request("POST", "/v1/tickets", R"({"content":"胜利路路灯不亮","category":"010101","area":"350602"})", "")
          .status == 201);

  REQUIRE(::kill(daemon.pid(), SIGHUP) == 0);
  const auto reloading = manager.next_state(pings);
  REQUIRE(reloading);
  CHECK(*reloading == "RELOADING=1\nSTATUS=reloading the config and the rules");
  const auto ready_again = manager.next_state(pings);
  REQUIRE(ready_again);
  CHECK(ready_again->rfind("READY=1\nSTATUS=serving ", 0) == 0);
  CHECK(ready_again->find("; 1 open tickets") != std::string::npos);

  CHECK(daemon.stop(SIGTERM) == 0);
  const auto stopping = manager.next_state(pings);
  REQUIRE(stopping);
  CHECK(*stopping == "STOPPING=1\nSTATUS=stopping");
}
