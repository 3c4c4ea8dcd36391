// hotlined: the case-routing daemon. Thin entry point: options, then Daemon does the work. Whatever escapes is
// reported and ends the process with exit code 4 (README: "Exit codes"), never with an unexplained abort.
#include <exception>
#include <iostream>

#include "daemon/app/daemon_app.hpp"

int main(int argc, char** argv) {
  try {
    return hotline::daemon::run_daemon(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "hotlined: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "hotlined: internal error (not a std::exception)\n";
  }
  return 4;
}
