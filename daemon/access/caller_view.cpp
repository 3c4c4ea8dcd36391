#include "daemon/access/caller_view.hpp"

namespace hotline::daemon {

CallerView caller_view(CallerRole role, bool confidential) {
  switch (role) {
    case CallerRole::unit:
      return confidential ? CallerView::withheld : CallerView::shown;
    case CallerRole::operator_:
    case CallerRole::supervisor:
    case CallerRole::admin:
    case CallerRole::local:
      return CallerView::shown;
  }
  return CallerView::withheld;  // a role added later sees no caller until it is decided here
}

std::string_view to_string(CallerView view) {
  return view == CallerView::shown ? "shown" : "withheld";
}

}  // namespace hotline::daemon
