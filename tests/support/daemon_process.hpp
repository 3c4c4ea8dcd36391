// Starts the real hotlined as a child process on 127.0.0.1:0 and learns its port from the log line
// "listening on 127.0.0.1:PORT" (a blocking read on its stderr pipe: no sleeps). Test-only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hotline::test {

struct DaemonOptions {
  // RLIMIT_NOFILE of the daemon (soft and hard), set right after it is spawned; 0 leaves it as inherited.
  unsigned open_files = 0;
};

class DaemonProcess {
 public:
  // Starts `binary args...` and waits (up to 30 s) for the listening line. Throws std::runtime_error when the
  // process exits first, with what it printed.
  DaemonProcess(const std::string& binary, const std::vector<std::string>& args, DaemonOptions options = {});
  ~DaemonProcess();  // SIGKILL if still running
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Blocks until the daemon's stderr matches `pattern` (ECMAScript regex) anywhere, or 30 s pass; false on
  // timeout or exit. Waits on the pipe, never sleeps.
  bool wait_for_output(const std::string& pattern);
  // Reads what the daemon prints for `window` (it then goes on in output()); what it printed meanwhile.
  std::string output_during(std::chrono::milliseconds window);
  // CPU time the daemon has used so far, user and system (/proc/PID/stat), in seconds.
  double cpu_seconds() const;
  // Descriptors the daemon has open (/proc/PID/fd).
  std::size_t open_descriptors() const;
  // Sends `signal` and waits for the exit; returns the exit status (or 128 + signal when killed). A daemon still
  // running k_exit_limit after the signal has its thread stacks printed and is killed; stop() then returns -1.
  int stop(int signal);
  static constexpr std::chrono::seconds k_exit_limit{60};
  // Everything the daemon printed on stderr so far (read up to the listening line, plus the rest after stop()).
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::uint16_t port_ = 0;
  std::string output_;
};

// Runs a command to completion, feeding `input` on stdin; returns exit status and captures stdout and stderr.
struct CommandResult {
  int status = -1;
  std::string out;
  std::string err;
};
CommandResult run_command(const std::string& binary, const std::vector<std::string>& args,
                          const std::string& input = "");

// Issues an access token with hotlinectl into `database` (created first when missing, as hotlined would) and
// returns its text; throws when hotlinectl fails.
std::string make_token(const std::string& hotlinectl, const std::string& database, const std::string& role,
                       const std::string& unit = "", const std::string& rules_dir = "");

// A fresh empty directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace hotline::test
