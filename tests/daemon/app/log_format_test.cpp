#include "daemon/app/log_format.hpp"

#include <fcntl.h>
#include <spdlog/details/log_msg.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <regex>
#include <string>

using namespace hotline::daemon;

namespace {

std::string format_line(bool journal, spdlog::level::level_enum level, const char* text) {
  const spdlog::details::log_msg msg("hotlined", level, text);
  spdlog::memory_buf_t out;
  make_log_formatter(journal)->format(msg, out);
  return {out.data(), out.size()};
}

}  // namespace

TEST_CASE("a log line off the journal carries its time stamp with the UTC offset", "[log]") {
  const char* saved = std::getenv("TZ");
  const std::string before = saved != nullptr ? saved : "";
  ::setenv("TZ", "Asia/Shanghai", 1);
  ::tzset();
  const auto line = format_line(false, spdlog::level::warn, "accept paused");
  CHECK(std::regex_match(
      line, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00 \[hotlined\] \[warning\] accept paused\n)")));
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  CHECK(std::regex_match(format_line(false, spdlog::level::info, "x"),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 \[hotlined\] \[info\] x\n)")));
  if (saved != nullptr) {
    ::setenv("TZ", before.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
}

TEST_CASE("a log line to the journal is its sd-daemon priority and the message only", "[log]") {
  CHECK(format_line(true, spdlog::level::critical, "down") == "<2>down\n");
  CHECK(format_line(true, spdlog::level::err, "commit failed") == "<3>commit failed\n");
  CHECK(format_line(true, spdlog::level::warn, "slow") == "<4>slow\n");
  CHECK(format_line(true, spdlog::level::info, "listening on 127.0.0.1:1") == "<6>listening on 127.0.0.1:1\n");
  CHECK(format_line(true, spdlog::level::debug, "d") == "<7>d\n");
  CHECK(format_line(true, spdlog::level::trace, "t") == "<7>t\n");
}

TEST_CASE("JOURNAL_STREAM counts only when it names the descriptor's device and inode", "[log]") {
  char path[] = "/tmp/hotline-journal-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  struct stat st {};
  REQUIRE(::fstat(fd, &st) == 0);
  const auto dev = std::to_string(st.st_dev), ino = std::to_string(st.st_ino);
  CHECK(is_journal_stream((dev + ":" + ino).c_str(), fd));
  CHECK_FALSE(is_journal_stream((dev + ":" + std::to_string(st.st_ino + 1)).c_str(), fd));
  CHECK_FALSE(is_journal_stream(nullptr, fd));
  CHECK_FALSE(is_journal_stream("", fd));
  CHECK_FALSE(is_journal_stream((dev + ino).c_str(), fd));
  CHECK_FALSE(is_journal_stream((dev + ":" + ino + "x").c_str(), fd));
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);  // stderr redirected elsewhere (a pipe, as under the tests) is not the journal
  CHECK_FALSE(is_journal_stream((dev + ":" + ino).c_str(), pipe_fds[1]));
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  ::close(fd);
  ::unlink(path);
}
