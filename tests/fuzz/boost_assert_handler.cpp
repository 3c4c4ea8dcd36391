// BOOST_ASSERT in the fuzz build's HTTP code (BOOST_ENABLE_ASSERT_HANDLER on hotline_http and fuzz_http_request):
// every failed assertion aborts, as without the handler, except one that Boost 1.81's Beast gets wrong.
// basic_parser::parse_chunk_header asserts n >= 5 when it resumes after a last chunk ("0\r\n") whose CRLF CRLF
// arrives in pieces; the code after it handles 3 or 4 bytes (need_more). Fixed upstream in Boost 1.86
// (boostorg/beast#2861); release builds (NDEBUG) never check it. tests/fuzz/regressions/http_request keeps the input.
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace boost {

void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  if (std::string_view(expr) == "n >= 5" && std::string_view(file).ends_with("beast/http/impl/basic_parser.ipp")) {
    return;
  }
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed.\n", file, line, function, expr);
  std::abort();
}

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line) {
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed: %s\n", file, line, function, expr, msg);
  std::abort();
}

}  // namespace boost
