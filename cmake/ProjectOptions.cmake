# Warning and sanitizer flags live on INTERFACE targets that every project target links PRIVATE,
# so they never leak to consumers and packagers can build without -Werror.
add_library(hotline_warnings INTERFACE)
target_compile_options(hotline_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough
  # With optimisation GCC 12 warns of null dereferences and mismatched new/delete inside libstdc++ and
  # Boost.Asio's coroutine frames that cannot happen (about ninety lines on a first release build). The Debug
  # presets (dev, asan) keep -Wnull-dereference; the sanitizer leg checks the real thing.
  $<$<NOT:$<CONFIG:Debug>>:-Wno-null-dereference -Wno-mismatched-new-delete>)
if(HOTLINE_WARNINGS_AS_ERRORS)
  target_compile_options(hotline_warnings INTERFACE -Werror)
endif()

add_library(hotline_sanitizers INTERFACE)
if(HOTLINE_SANITIZE)
  # The routing and storage libraries at -O1, as ASan's documentation advises: every end-to-end test starts a daemon,
  # which compiles the shipped rules, and runs hotlinectl, several times slower at -O0 with ASan. The rest (daemon/,
  # the test programs) stays at -O0: its Asio, Beast and Boost.JSON templates took twice as long to compile at -O1
  # under both sanitizers, while the tests spend little time in it. Targets with the property HOTLINE_ASAN_O1
  # (CMakeLists.txt) are the optimised ones. GCC 12's false null-dereference and new/delete warnings appear once it
  # optimises.
  target_compile_options(hotline_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
    $<$<BOOL:$<TARGET_PROPERTY:HOTLINE_ASAN_O1>>:-O1 -Wno-null-dereference -Wno-mismatched-new-delete>)
  # Linked as fixed-position executables (-no-pie): UBSan's check data holds millions of pointers (3.1 million
  # relative relocations in hotlined, 1.4 million in e2e_tests), which a position-independent program has the
  # loader fix up at every start: about 0.6 s of each of the 2.7 s hotlined took to listen, and the suite starts
  # a test program per test case and a daemon in most. These programs are for the tests only; the packaged ones
  # stay position-independent.
  target_link_options(hotline_sanitizers INTERFACE -fsanitize=address,undefined -no-pie)
endif()
if(HOTLINE_TSAN)
  # -O1: ThreadSanitizer's own documentation advises it; at -O0 the daemon's tests run several times slower.
  # Optimised, so GCC 12's false null-dereference warnings from libstdc++ appear here too (see above).
  # GCC 12 at -O1 also sees std::string copies out of bounds that are not (-Warray-bounds: once in session_api.cpp,
  # then in a test file when the test programs got precompiled headers).
  target_compile_options(hotline_sanitizers INTERFACE -fsanitize=thread -O1 -fno-omit-frame-pointer
    -Wno-null-dereference -Wno-mismatched-new-delete -Wno-tsan -Wno-array-bounds)
  # Asio's fenced blocks use std::atomic_thread_fence, which ThreadSanitizer does not model (GCC refuses it
  # under -Werror); its handler queues are guarded by mutexes, which it does.
  target_compile_definitions(hotline_sanitizers INTERFACE BOOST_ASIO_DISABLE_FENCED_BLOCK)
  target_link_options(hotline_sanitizers INTERFACE -fsanitize=thread)
endif()

if(HOTLINE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "HOTLINE_FUZZ needs clang (libFuzzer): use the fuzz preset")
  endif()
  # Coverage instrumentation without libFuzzer's main for the libraries; tests/fuzz links the harnesses with
  # -fsanitize=fuzzer. Every UB report is fatal, so the fuzzer keeps the input.
  target_compile_options(hotline_sanitizers INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(hotline_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

add_library(hotline_options INTERFACE)
target_link_libraries(hotline_options INTERFACE hotline_warnings hotline_sanitizers)

# Hardening, as Debian builds its packages (dpkg-buildflags; GCC 12 on Debian already makes PIE): a read-only GOT
# resolved at load (-z relro -z now) everywhere; _FORTIFY_SOURCE's checked libc calls where the optimiser can see
# buffer sizes (not in Debug builds, where it has nothing to work with, nor under the sanitizers, which check more).
add_library(hotline_hardening INTERFACE)
target_link_options(hotline_hardening INTERFACE -Wl,-z,relro -Wl,-z,now)
if(NOT HOTLINE_SANITIZE AND NOT HOTLINE_TSAN AND NOT HOTLINE_FUZZ)
  target_compile_definitions(hotline_hardening INTERFACE $<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
endif()
target_link_libraries(hotline_options INTERFACE hotline_hardening)

# lld links the test programs and daemons several times faster than GNU ld (the CI builds four trees); GNU ld when
# lld is missing. Debian's package lld (packaging/install-deps.sh).
find_program(HOTLINE_LLD ld.lld)
if(HOTLINE_LLD)
  target_link_options(hotline_options INTERFACE -fuse-ld=lld)
endif()
