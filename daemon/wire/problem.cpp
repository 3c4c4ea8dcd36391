#include "daemon/wire/problem.hpp"

#include <boost/json.hpp>

namespace hotline::daemon {

std::string Problem::to_json() const {
  boost::json::object o;
  o["type"] = "urn:hotline:problem:" + type;
  o["title"] = title;
  o["status"] = status;
  o["detail"] = detail;
  if (!field.empty()) o["field"] = field;
  return boost::json::serialize(o);
}

Problem bad_field(std::string field, std::string detail) {
  return {400, "invalid-field", "A field of the request is invalid", std::move(detail), std::move(field)};
}

}  // namespace hotline::daemon
