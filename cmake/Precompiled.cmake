# Precompiled headers for the daemon's heaviest translation units: the http, api and feed folders parse the same
# Beast, Asio and Boost.JSON headers in every file. Measured on a clean dev build (2 cores): api's files 278 → 110 s,
# feed's 92 → 30 s, http's 82 → 119 s with the header's own build, which api and feed then reuse. Elsewhere (notify,
# the test programs) loading that 270 MB header cost about as much as it saved; the test programs have a smaller one
# of their own (below).
#
# A precompiled header is force-included into every source of its target, so it holds only headers that target may
# already include (Beast folders: daemon/layers.cmake). The layering check reads the sources' own #include lines,
# which a precompiled header does not change. -DHOTLINE_PCH=OFF builds without, to check that every file compiles
# on its own includes. The fuzz preset (clang, its own definitions in http) builds without.
#
# A target that REUSE_FROMs another uses that target's header, so both compile with the same flags and definitions
# (GCC's -Winvalid-pch, an error with -Werror, says when they differ).
option(HOTLINE_PCH "Precompile the Beast, Asio and Boost.JSON headers of daemon/http, api and feed" ON)
if(HOTLINE_FUZZ)
  set(HOTLINE_PCH OFF)
endif()

set(HOTLINE_PCH_BEAST <algorithm> <array> <chrono> <cstdint> <functional> <map> <memory> <optional> <string>
    <string_view> <utility> <vector> <boost/json.hpp> <boost/asio/any_io_executor.hpp> <boost/asio/as_tuple.hpp>
    <boost/asio/awaitable.hpp> <boost/asio/co_spawn.hpp> <boost/asio/io_context.hpp> <boost/asio/ip/tcp.hpp>
    <boost/asio/post.hpp> <boost/asio/steady_timer.hpp> <boost/asio/strand.hpp> <boost/asio/this_coro.hpp>
    <boost/asio/use_awaitable.hpp> <boost/beast/core.hpp> <boost/beast/http.hpp> <spdlog/spdlog.h>)

# The test programs: every file parses Catch2 (about 1 s at -O0) and most Boost.JSON (about 1.8 s); precompiled once
# per program, a file's start costs about 0.8 s instead of 2.8 s (the e2e, daemon, storage and report tests). The
# routing tests use no JSON: Catch2 only.
set(HOTLINE_PCH_TESTS_PURE <catch2/catch.hpp> <string> <vector>)
set(HOTLINE_PCH_TESTS ${HOTLINE_PCH_TESTS_PURE} <boost/json.hpp> <chrono> <filesystem> <fstream>)

# hotline_precompile(TARGET HEADERS...): TARGET precompiles HEADERS.
function(hotline_precompile target)
  if(HOTLINE_PCH)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()

# hotline_precompile_reuse(TARGET FROM): TARGET uses FROM's precompiled header (same flags and definitions).
function(hotline_precompile_reuse target from)
  if(HOTLINE_PCH)
    target_precompile_headers(${target} REUSE_FROM ${from})
  endif()
endfunction()
