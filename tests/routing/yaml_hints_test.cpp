#include "routing/yaml_hints.hpp"

#include <catch2/catch.hpp>

#include "routing/rule_set.hpp"

using namespace hotline::routing;

TEST_CASE("YAML syntax errors come with what to do about them", "[routing][rules]") {
  const auto first_error = [](const std::string& text) {
    const auto r = RuleSet::compile({{"a.yaml", text, ""}});
    REQUIRE_FALSE(r.diagnostics.empty());
    return r.diagnostics.front().to_string();
  };
  // yaml-cpp reports a missing space after a colon on the line after it: the hint names the line at fault.
  CHECK(first_error("units:\n  - id: a\n    kind:行政\n    name: x\n") ==
        "a.yaml:4:9: error: illegal map value (':' with no space after it on line 3: write 'key: value')");
  CHECK(first_error("units:\n  - id: a\n    kind：行政\n    name: x\n") ==
        "a.yaml:4:9: error: illegal map value (a full-width colon '：' on line 3: YAML needs ':' followed by a space)");
  CHECK(first_error("units:\n\t- id: a\n") ==
        "a.yaml:2:2: error: illegal block entry (a tab on line 2: YAML indents with spaces only)");
  CHECK(first_error("units: [a, b\nrules: 1\n").ends_with("(a '[' or '{' is never closed)"));
  CHECK(first_error("units: {a: 1}}\n").ends_with("(a ']' or '}' that closes nothing)"));
  CHECK(first_error("units:\n  id: a\n  - name: x\n").find("check the indentation") != std::string::npos);
  // A URL's colon is no mistake, and a message with nothing to add is left as it is.
  CHECK(yaml_syntax_hint("illegal map value", "url: http://x/y\n", 1).starts_with("a ':' inside a value?"));
  CHECK(yaml_syntax_hint("some other message", "a: b\n", 1).empty());
}
