// The API's OpenAPI 3.1 document (daemon/api/openapi.json), compiled into the binary by daemon/api/embed_file.cmake.
// A test holds it to the route table: every row documented, nothing else.
#pragma once

#include <string_view>

namespace hotline::daemon {

std::string_view openapi_document();

}  // namespace hotline::daemon
