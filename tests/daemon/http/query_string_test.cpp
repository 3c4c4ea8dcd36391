// Query strings of request targets: '+' and %-escapes decode, malformed escapes stay as they are, empty and
// repeated parameters are kept in order.
#include "daemon/http/query_string.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

using hotline::daemon::parse_query;
using Params = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("a target without parameters has none", "[daemon][http][query]") {
  CHECK(parse_query("/v1/tickets").empty());
  CHECK(parse_query("/v1/tickets?").empty());
  CHECK(parse_query("/v1/tickets?&&").empty());
}

TEST_CASE("'+' is a space and %2B a plus sign", "[daemon][http][query]") {
  CHECK(parse_query("/v1/tickets?q=%E8%B7%AF+%E7%81%AF") == Params{{"q", "路 灯"}});
  CHECK(parse_query("/v1/tickets?q=1%2B1") == Params{{"q", "1+1"}});
  CHECK(parse_query("/v1/tickets?q=a%20b") == Params{{"q", "a b"}});
  CHECK(parse_query("/v1/tickets?a+b=c") == Params{{"a b", "c"}});
}

TEST_CASE("%-escapes decode to UTF-8 bytes in either case of hex digit", "[daemon][http][query]") {
  CHECK(parse_query("/v1/tickets?q=%E8%B7%AF%E7%81%AF") == Params{{"q", "路灯"}});
  CHECK(parse_query("/v1/tickets?q=%e8%b7%af%e7%81%af") == Params{{"q", "路灯"}});
  // Raw UTF-8 passes through untouched.
  CHECK(parse_query("/v1/tickets?q=路灯") == Params{{"q", "路灯"}});
  // Keys decode too, and escaped separators are data, not separators.
  CHECK(parse_query("/v1/tickets?%71=%26%3D") == Params{{"q", "&="}});
}

TEST_CASE("malformed %-escapes are kept as they are", "[daemon][http][query]") {
  CHECK(parse_query("/v1/tickets?q=100%") == Params{{"q", "100%"}});
  CHECK(parse_query("/v1/tickets?q=%4") == Params{{"q", "%4"}});
  CHECK(parse_query("/v1/tickets?q=%4g") == Params{{"q", "%4g"}});
  CHECK(parse_query("/v1/tickets?q=%ZZ1") == Params{{"q", "%ZZ1"}});
  CHECK(parse_query("/v1/tickets?q=%%41") == Params{{"q", "%A"}});
  CHECK(parse_query("/v1/tickets?q=%41%") == Params{{"q", "A%"}});
  // An escape is decoded once: %2541 is "%41", not "A".
  CHECK(parse_query("/v1/tickets?q=%2541") == Params{{"q", "%41"}});
}

TEST_CASE("empty values, empty keys and extra '=' are kept", "[daemon][http][query]") {
  CHECK(parse_query("/v1/tickets?q=&state=") == Params{{"q", ""}, {"state", ""}});
  CHECK(parse_query("/v1/tickets?q") == Params{{"q", ""}});
  CHECK(parse_query("/v1/tickets?=x") == Params{{"", "x"}});
  CHECK(parse_query("/v1/tickets?q=a=b") == Params{{"q", "a=b"}});
  CHECK(parse_query("/v1/tickets?&q=1&&limit=2&") == Params{{"q", "1"}, {"limit", "2"}});
}

TEST_CASE("repeated keys are all kept, in order", "[daemon][http][query]") {
  // The endpoints read the parameters in order, so the last of a repeated key is the one that counts.
  CHECK(parse_query("/v1/tickets?unit=a&q=x&unit=b") == Params{{"unit", "a"}, {"q", "x"}, {"unit", "b"}});
}

TEST_CASE("only the part after the first '?' is parameters", "[daemon][http][query]") {
  CHECK(parse_query("/v1/a%20b?q=1?2") == Params{{"q", "1?2"}});
}
