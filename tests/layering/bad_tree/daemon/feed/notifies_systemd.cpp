// A folder other than app/ telling systemd how the process is: the check must refuse it.
#include <systemd/sd-daemon.h>
