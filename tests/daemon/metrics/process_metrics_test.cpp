#include "daemon/metrics/process_metrics.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace hotline::daemon;

TEST_CASE("a /proc/PID/stat line gives CPU time, start time and memory", "[metrics]") {
  // A command name with a space and a parenthesis; utime 250 and stime 50 ticks, starttime 1000 ticks after boot,
  // vsize 8 MiB, rss 300 pages.
  const std::string line =
      "4242 (hot (line)d) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0 1000 8388608 300 "
      "18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 17 1 0 0 0 0 0\n";
  const auto s = parse_proc_stat(line, 100, 4096, 1'700'000'000);
  REQUIRE(s);
  CHECK(s->cpu_seconds == Approx(3.0));
  CHECK(s->start_time_seconds == Approx(1'700'000'010.0));
  CHECK(s->virtual_bytes == 8388608.0);
  CHECK(s->resident_bytes == 300.0 * 4096);
  CHECK_FALSE(parse_proc_stat("4242 (cut short) S 1 2 3", 100, 4096, 0));
  CHECK_FALSE(parse_proc_stat("no parenthesis", 100, 4096, 0));
}

TEST_CASE("this process's figures are read from /proc/self", "[metrics]") {
  const auto s = read_process_stat();
  REQUIRE(s);
  CHECK(s->resident_bytes > 0);
  CHECK(s->virtual_bytes >= s->resident_bytes);
  CHECK(s->start_time_seconds > 1'600'000'000.0);
  CHECK(open_descriptor_count() >= 3);  // stdin, stdout, stderr at least
  CHECK(max_descriptor_count() >= open_descriptor_count());
}
