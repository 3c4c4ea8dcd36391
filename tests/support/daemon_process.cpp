#include "support/daemon_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/fresh_database.hpp"

extern char** environ;

namespace hotline::test {
namespace {

std::vector<char*> argv_of(const std::string& binary, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Reads what is available on fd into out; false at end of file.
bool read_some(int fd, std::string& out) {
  char buf[4096];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  if (n <= 0) return false;
  out.append(buf, static_cast<std::size_t>(n));
  return true;
}

// Every thread's stack of a running process, by gdb when it can attach (best effort: a diagnosis, not a check).
std::string thread_stacks(pid_t pid) {
  try {
    const auto r =
        run_command("/usr/bin/gdb", {"-batch", "-nx", "-p", std::to_string(pid), "-ex", "thread apply all bt"});
    return r.status == 0 ? r.out : "(gdb could not attach: " + r.err + ")";
  } catch (const std::exception& e) {
    return std::string("(no gdb: ") + e.what() + ")";
  }
}

}  // namespace

DaemonProcess::DaemonProcess(const std::string& binary, const std::vector<std::string>& args, DaemonOptions options) {
  int pipe_fds[2];
  // Close-on-exec: another child started meanwhile must not hold the write end (its reader would never see EOF).
  // dup2 onto stderr clears the flag for the child's own copy.
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  auto argv = argv_of(binary, args);
  const int rc = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  stderr_fd_ = pipe_fds[0];
  if (rc != 0) throw std::runtime_error("cannot start " + binary);
  if (options.open_files != 0) {
    // posix_spawn cannot set limits: set them on the child, which keeps them across exec. The daemon opens only
    // a few descriptors before it listens, so it meets the limit when it accepts.
    const rlimit limit{options.open_files, options.open_files};
    if (::prlimit(pid_, RLIMIT_NOFILE, &limit, nullptr) != 0) {
      stop(SIGKILL);
      throw std::runtime_error("prlimit failed");
    }
  }

  if (!wait_for_output(R"(listening on 127\.0\.0\.1:(\d+))")) {
    const int status = stop(SIGKILL);
    throw std::runtime_error("hotlined did not start (status " + std::to_string(status) + "):\n" + output_);
  }
  std::smatch m;
  std::regex_search(output_, m, std::regex(R"(listening on 127\.0\.0\.1:(\d+))"));
  port_ = static_cast<std::uint16_t>(std::stoi(m[1].str()));
}

bool DaemonProcess::wait_for_output(const std::string& pattern) {
  const std::regex re(pattern);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!std::regex_search(output_, re)) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{stderr_fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0 || !read_some(stderr_fd_, output_)) {
      return false;
    }
  }
  return true;
}

std::string DaemonProcess::output_during(std::chrono::milliseconds window) {
  const std::size_t from = output_.size();
  const auto end = std::chrono::steady_clock::now() + window;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{stderr_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) > 0 && !read_some(stderr_fd_, output_)) break;
  }
  return output_.substr(from);
}

double DaemonProcess::cpu_seconds() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name may hold spaces: fields are counted after its closing parenthesis (field 2). utime and
  // stime are fields 14 and 15, in clock ticks.
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::size_t DaemonProcess::open_descriptors() const {
  std::error_code ec;
  std::size_t n = 0;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid_) + "/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++n;
  }
  return n;
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0) stop(SIGKILL);
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

int DaemonProcess::stop(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  // Drain stderr until the child closes it, so a full pipe can never block the child's shutdown. A daemon that
  // has not exited within the limit is a fault of its own: its threads' stacks go to the test's output, then it
  // is killed, so the test fails on its status instead of hanging the run.
  const auto limit = std::chrono::steady_clock::now() + k_exit_limit;
  bool timed_out = false;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(limit - std::chrono::steady_clock::now());
    const bool bounded = signal != SIGKILL && !timed_out;
    pollfd p{stderr_fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, bounded ? static_cast<int>(std::max<std::int64_t>(left.count(), 0)) : -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready != 0) {
      if (!read_some(stderr_fd_, output_)) break;  // end of file (or an error): the daemon is gone
      continue;
    }
    std::fprintf(stderr,
                 "hotlined (pid %d) did not exit within %lld s of signal %d; it printed:\n%s\nits threads:\n%s\n", pid_,
                 static_cast<long long>(k_exit_limit.count()), signal, output_.c_str(), thread_stacks(pid_).c_str());
    ::kill(pid_, SIGKILL);
    timed_out = true;
  }
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return timed_out ? -1 : decode_status(status);
}

CommandResult run_command(const std::string& binary, const std::vector<std::string>& args, const std::string& input) {
  int in_fds[2], out_fds[2], err_fds[2];
  if (::pipe2(in_fds, O_CLOEXEC) != 0 || ::pipe2(out_fds, O_CLOEXEC) != 0 || ::pipe2(err_fds, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_fds[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fds[1], STDERR_FILENO);
  for (int fd : {in_fds[1], out_fds[0], err_fds[0]}) posix_spawn_file_actions_addclose(&actions, fd);
  auto argv = argv_of(binary, args);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_fds[0]);
  ::close(out_fds[1]);
  ::close(err_fds[1]);
  if (rc != 0) throw std::runtime_error("cannot start " + binary);
  // Write stdin on its own thread so a child that writes a lot before reading cannot deadlock us. A child that
  // exits without reading it (a refused command) closes the pipe: with SIGPIPE blocked in this thread only, the
  // write fails with EPIPE instead of the signal ending the test run (the child, forked before, is unaffected).
  std::thread writer([fd = in_fds[1], &input] {
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
    std::size_t done = 0;
    while (done < input.size()) {
      const ssize_t n = ::write(fd, input.data() + done, input.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
  });
  CommandResult result;
  pollfd fds[2] = {{out_fds[0], POLLIN, 0}, {err_fds[0], POLLIN, 0}};
  int open = 2;
  while (open > 0) {
    ::poll(fds, 2, -1);
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP)) != 0) {
        if (!read_some(fds[i].fd, i == 0 ? result.out : result.err)) {
          ::close(fds[i].fd);
          fds[i].fd = -1;
          --open;
        }
      }
    }
  }
  writer.join();
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.status = decode_status(status);
  return result;
}

std::string make_token(const std::string& hotlinectl, const std::string& database, const std::string& role,
                       const std::string& unit, const std::string& rules_dir) {
  create_database_if_missing(database);
  std::vector<std::string> args{"token", "create", "--database", database, "--role", role, "--name", role + " " + unit};
  if (!unit.empty()) args.insert(args.end(), {"--unit", unit, "--rules", rules_dir});
  const auto r = run_command(hotlinectl, args);
  if (r.status != 0) throw std::runtime_error("hotlinectl token create failed: " + r.err);
  return r.out.substr(0, r.out.find('\n'));
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/hotline-test-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace hotline::test
