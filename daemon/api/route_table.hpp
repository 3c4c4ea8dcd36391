// The API's one route table: every endpoint is one row — method, path template, who may call it, the handler —
// and dispatch, 405 with Allow, the metrics label and the README's API table (checked by a test) all come from it.
#pragma once

#include <algorithm>
#include <array>
#include <boost/beast/http/verb.hpp>
#include <ostream>  // before Beast's verb.hpp, whose string_view needs std::ostream complete
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/access/roles.hpp"

namespace hotline::daemon {

// Who must show a token for a row.
enum class Access {
  open,     // nobody: probes
  token,    // every caller, checked against the row's roles
  metrics,  // as `token` while metrics.require_token is set; open otherwise
};

// The values of a path's {…} segments, in order.
struct PathParams {
  std::array<std::string_view, 2> values{};
  std::size_t count = 0;
};

// Whether `path` fits `pattern` ("/v1/tickets/{id}/{action}": a {…} segment is one non-empty segment without '/').
bool path_matches(std::string_view pattern, std::string_view path, PathParams& params);

// One row. `Handler` is the endpoint's function type, given by the layer that owns the endpoints.
template <class Handler>
struct Route {
  boost::beast::http::verb method;
  std::string_view path;  // template; also the metrics label
  Access access;
  RoleSet roles;             // who may call it (for token rows)
  std::string_view refusal;  // the 403 detail for anyone else
  bool head = false;         // HEAD answered like GET
  Handler handler;
};

// What a request finds in a table: the row, or why none fits.
template <class Handler>
struct RouteMatch {
  const Route<Handler>* route = nullptr;  // the row for the path and method
  PathParams params;
  bool path_known = false;  // some row has the path (then a missing `route` is a 405)
  bool open = false;        // the path's rows need no token
  std::string allow;        // the methods the path's rows accept, for Allow
};

template <class Handler>
RouteMatch<Handler> find_route(std::span<const Route<Handler>> table, boost::beast::http::verb method,
                               std::string_view path) {
  using boost::beast::http::verb;
  RouteMatch<Handler> m;
  for (const auto& row : table) {
    PathParams params;
    if (!path_matches(row.path, path, params)) continue;
    m.path_known = true;
    m.open = m.open || row.access != Access::token;
    const std::string_view name = boost::beast::http::to_string(row.method);
    if (m.allow.find(name) == std::string::npos) m.allow += (m.allow.empty() ? "" : ", ") + std::string(name);
    if (row.head && m.allow.find("HEAD") == std::string::npos) m.allow += ", HEAD";
    if (m.route == nullptr && (row.method == method || (row.head && method == verb::head))) {
      m.route = &row;
      m.params = params;
    }
  }
  return m;
}

// The metrics label of `path`: the template of the first row it fits, or "other".
template <class Handler>
std::string_view route_label(std::span<const Route<Handler>> table, std::string_view path) {
  PathParams params;
  for (const auto& row : table) {
    if (path_matches(row.path, path, params)) return row.path;
  }
  return "other";
}

// Every distinct template in table order, then "other": the label set of hotline_http_requests_total.
template <class Handler>
std::vector<std::string> route_labels(std::span<const Route<Handler>> table) {
  std::vector<std::string> out;
  for (const auto& row : table) {
    if (std::find(out.begin(), out.end(), row.path) == out.end()) out.emplace_back(row.path);
  }
  out.emplace_back("other");
  return out;
}

// "operator", "admin, supervisor", "any token" (all four roles) or "none": how the README's table names the
// callers of a row.
std::string describe_callers(Access access, RoleSet roles);

}  // namespace hotline::daemon
