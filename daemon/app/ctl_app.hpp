// The hotlinectl program: subcommands for rule authors and admins.
#pragma once

namespace hotline::daemon {

// Exit codes: 0 success, 1 the checked thing is invalid (e.g. rules with errors), 2 bad command line.
int run_ctl(int argc, char** argv);

}  // namespace hotline::daemon
