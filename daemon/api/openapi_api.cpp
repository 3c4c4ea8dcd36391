// GET /v1/openapi.json of Api: the API's OpenAPI document, as compiled in.
#include "daemon/api/api.hpp"
#include "daemon/api/openapi_document.hpp"
#include "daemon/http/query_string.hpp"

namespace hotline::daemon {

Response Api::get_openapi(const Request& req) {
  for (const auto& [key, value] : parse_query(req.target())) {
    return problem_response(req, bad_field(key, "unknown query parameter"));
  }
  return make_response(req, http::status::ok, std::string(openapi_document()));
}

}  // namespace hotline::daemon
