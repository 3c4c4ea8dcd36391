// The hotlined program: command line, start-up checks, serving until SIGTERM/SIGINT, clean shutdown.
#pragma once

namespace hotline::daemon {

// Returns the process exit code: 0 after a clean stop or a passing --check-config, 1 when rules or config are
// invalid, 2 for a bad command line, 3 when the database or port cannot be opened.
int run_daemon(int argc, char** argv);

}  // namespace hotline::daemon
