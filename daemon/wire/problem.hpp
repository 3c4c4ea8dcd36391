// RFC 9457 problem details: the one shape of every HTTP error the API returns.
#pragma once

#include <string>

namespace hotline::daemon {

struct Problem {
  int status = 400;
  std::string type;    // stable short name, sent as "urn:hotline:problem:<type>"
  std::string title;   // short, fixed per type
  std::string detail;  // what exactly was wrong
  std::string field;   // JSON path of the field at fault, empty when none

  std::string to_json() const;
};

Problem bad_field(std::string field, std::string detail);

}  // namespace hotline::daemon
