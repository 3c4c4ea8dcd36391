// hotlinectl: the operators' and admins' command line. Thin entry point over ctl_app.
#include "daemon/app/ctl_app.hpp"

int main(int argc, char** argv) { return hotline::daemon::run_ctl(argc, argv); }
