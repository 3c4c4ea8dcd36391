// hotlinectl: the operators' and admins' command line. Thin entry point over ctl_app. Whatever escapes is
// reported and ends the command with exit code 4 (README: "hotlinectl"), never with an unexplained abort.
#include <exception>
#include <iostream>

#include "daemon/app/ctl_app.hpp"

int main(int argc, char** argv) {
  try {
    return hotline::daemon::run_ctl(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "hotlinectl: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "hotlinectl: internal error (not a std::exception)\n";
  }
  return 4;
}
