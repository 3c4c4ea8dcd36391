// What the harnesses share: an invariant check that reports and aborts (libFuzzer then keeps the input), and the
// bound on input size for the parsers whose cost grows with their input. Test-only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "routing/diagnostic.hpp"

// FUZZ_CHECK(cond, what): an invariant of the code under test; a failure is a finding, like a crash.
#define FUZZ_CHECK(cond, what)                                                                     \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "fuzz invariant failed at %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, \
                   std::string_view(what).data());                                                 \
      std::abort();                                                                                \
    }                                                                                              \
  } while (false)

namespace hotline::fuzz {

// Inputs longer than this are skipped: a super-linear compile of a large file is then not mistaken for a hang
// (run.sh passes -max_len no larger than this to each harness).
inline constexpr std::size_t k_max_input = 64 * 1024;

// Whether `diagnostics` hold an error; each is also rendered, as `rules check` would print it.
inline bool rendered_has_errors(const std::vector<hotline::routing::Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) (void)d.to_string();
  return hotline::routing::has_errors(diagnostics);
}

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace hotline::fuzz
