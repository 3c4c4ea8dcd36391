// Telling systemd how the daemon is doing (sd_notify(3), libsystemd): READY=1 once it serves, STATUS= lines,
// RELOADING=1 … READY=1 around a SIGHUP reload, STOPPING=1 at shutdown, and WATCHDOG=1 from the event loop when
// the unit sets WatchdogSec=. Without NOTIFY_SOCKET (not started by systemd) every call does nothing.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace hotline::daemon {

class ServiceManager {
 public:
  // Reads NOTIFY_SOCKET and WATCHDOG_USEC (and WATCHDOG_PID) from the environment, as systemd sets them.
  ServiceManager();

  bool notifying() const { return notifying_; }
  // How often to send WATCHDOG=1 (half the unit's WatchdogSec=); nullopt when the watchdog is off.
  std::optional<std::chrono::microseconds> watchdog_interval() const { return watchdog_; }

  void ready(std::string_view status) const;      // READY=1 and STATUS=
  void status(std::string_view status) const;     // STATUS=
  void reloading(std::string_view status) const;  // RELOADING=1 and STATUS=
  void stopping() const;                          // STOPPING=1
  void watchdog() const;                          // WATCHDOG=1

 private:
  void send(const std::string& message) const;
  bool notifying_ = false;
  std::optional<std::chrono::microseconds> watchdog_;
};

}  // namespace hotline::daemon
