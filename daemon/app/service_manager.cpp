#include "daemon/app/service_manager.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <cstdlib>

namespace hotline::daemon {
namespace {

// A STATUS= value is one line.
std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

ServiceManager::ServiceManager() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  notifying_ = socket != nullptr && *socket != '\0';
  std::uint64_t usec = 0;
  // > 0 when WATCHDOG_USEC is set (and WATCHDOG_PID, if set, is this process).
  if (notifying_ && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    watchdog_ = std::chrono::microseconds(static_cast<std::int64_t>(usec / 2));
  }
}

void ServiceManager::send(const std::string& message) const {
  if (!notifying_) return;
  if (const int r = sd_notify(0, message.c_str()); r < 0) {
    spdlog::warn("cannot notify the service manager ({}): error {}", message.substr(0, message.find('\n')), -r);
  }
}

void ServiceManager::ready(std::string_view status) const {
  send("READY=1\nSTATUS=" + one_line(status));
}

void ServiceManager::status(std::string_view status) const {
  send("STATUS=" + one_line(status));
}

void ServiceManager::reloading(std::string_view status) const {
  send("RELOADING=1\nSTATUS=" + one_line(status));
}

void ServiceManager::stopping() const {
  send("STOPPING=1\nSTATUS=stopping");
}

void ServiceManager::watchdog() const {
  send("WATCHDOG=1");
}

}  // namespace hotline::daemon
