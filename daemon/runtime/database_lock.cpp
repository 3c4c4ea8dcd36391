#include "daemon/runtime/database_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace hotline::daemon {
namespace {

// "PID NAME" as its holder wrote it in the lock file; "" when unreadable.
std::string written_holder(int fd) {
  char text[128] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  std::string line = n > 0 ? std::string(text, static_cast<std::size_t>(n)) : std::string();
  line = line.substr(0, line.find('\n'));
  return line;
}

}  // namespace

std::string DatabaseLock::path_for(const std::string& database) {
  std::error_code ec;
  const auto real = std::filesystem::weakly_canonical(database, ec);  // symlinks resolved as far as the path exists
  return (ec ? database : real.string()) + ".lock";
}

DatabaseLock::DatabaseLock(const std::string& database, const std::string& holder) {
  const auto path = path_for(database);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd_ < 0) {
    message_ = "cannot open the lock file " + path + ": " + std::strerror(errno);
    return;
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if (err == EWOULDBLOCK) {
      const auto line = written_holder(fd_);
      const auto space = line.find(' ');
      outcome_ = Outcome::in_use;
      message_ = space == std::string::npos ? database + " is in use by another process"
                                            : database + " is in use by a running " + line.substr(space + 1) +
                                                  " (pid " + line.substr(0, space) + ")";
    } else {
      message_ = "cannot lock " + path + ": " + std::strerror(err);
    }
    ::close(fd_);
    fd_ = -1;
    return;
  }
  outcome_ = Outcome::held;
  const auto line = std::to_string(::getpid()) + " " + holder + "\n";
  if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, line.data(), line.size(), 0);
}

DatabaseLock::~DatabaseLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace hotline::daemon
