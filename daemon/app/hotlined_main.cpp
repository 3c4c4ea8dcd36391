// hotlined: the case-routing daemon. Thin entry point: options, then Daemon does the work.
#include "daemon/app/daemon_app.hpp"

int main(int argc, char** argv) { return hotline::daemon::run_daemon(argc, argv); }
