// hotlined's stop and reload signals (SIGINT, SIGTERM, SIGHUP), read on the event loop from a signalfd instead
// of caught by a handler. The constructor blocks the three in the calling thread, which must not have started
// another yet: every thread started after inherits the mask, so none ever takes them asynchronously (a handler
// can run late, or not until a thread asleep in a condition wait wakes, as under ThreadSanitizer). A signal that
// comes before the loop reads stays pending in the kernel and is read then: never lost, never fatal.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <functional>

namespace hotline::daemon {

class ServiceSignals {
 public:
  // Throws std::system_error when the signalfd cannot be made.
  explicit ServiceSignals(boost::asio::io_context& ioc);
  ServiceSignals(const ServiceSignals&) = delete;
  ServiceSignals& operator=(const ServiceSignals&) = delete;

  // Calls handler(signal) on the loop for each of the three that comes, in order, until close().
  void listen(std::function<void(int)> handler);
  // Stops listening: nothing of it keeps the loop alive any more; later signals stay pending, unheard.
  void close();

 private:
  void wait();

  boost::asio::posix::stream_descriptor descriptor_;
  std::function<void(int)> handler_;
};

}  // namespace hotline::daemon
