#include "daemon/app/service_signals.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <initializer_list>
#include <system_error>

namespace hotline::daemon {
namespace {

int open_signal_fd() {
  sigset_t set;
  sigemptyset(&set);
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, signal);
  if (const int rc = pthread_sigmask(SIG_BLOCK, &set, nullptr); rc != 0) {
    throw std::system_error(rc, std::generic_category(), "cannot block the stop and reload signals");
  }
  const int fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "signalfd");
  return fd;
}

}  // namespace

ServiceSignals::ServiceSignals(boost::asio::io_context& ioc) : descriptor_(ioc, open_signal_fd()) {}

void ServiceSignals::listen(std::function<void(int)> handler) {
  handler_ = std::move(handler);
  wait();
}

void ServiceSignals::close() {
  boost::system::error_code ignored;
  descriptor_.close(ignored);
}

void ServiceSignals::wait() {
  descriptor_.async_wait(
      boost::asio::posix::descriptor_base::wait_read, [this](const boost::system::error_code& error) {
        if (error) return;  // closed
        signalfd_siginfo info{};
        while (descriptor_.is_open() && ::read(descriptor_.native_handle(), &info, sizeof info) == sizeof info) {
          handler_(static_cast<int>(info.ssi_signo));
        }
        if (descriptor_.is_open()) wait();
      });
}

}  // namespace hotline::daemon
