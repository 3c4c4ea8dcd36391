#include "daemon/app/log_format.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>

namespace hotline::daemon {
namespace {

// %* in the journal's pattern: the line's sd-daemon priority.
class PriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    std::string_view prefix = "<6>";
    switch (msg.level) {
      case spdlog::level::critical:
        prefix = "<2>";
        break;
      case spdlog::level::err:
        prefix = "<3>";
        break;
      case spdlog::level::warn:
        prefix = "<4>";
        break;
      case spdlog::level::info:
        prefix = "<6>";
        break;
      default:
        prefix = "<7>";
        break;  // debug, trace
    }
    dest.append(prefix.data(), prefix.data() + prefix.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<PriorityFlag>(); }
};

}  // namespace

bool is_journal_stream(const char* journal_stream, int fd) {
  if (journal_stream == nullptr) return false;
  const std::string_view text(journal_stream);
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  unsigned long long device = 0, inode = 0;
  const auto dev_text = text.substr(0, colon), ino_text = text.substr(colon + 1);
  const auto d = std::from_chars(dev_text.data(), dev_text.data() + dev_text.size(), device);
  const auto i = std::from_chars(ino_text.data(), ino_text.data() + ino_text.size(), inode);
  if (d.ec != std::errc{} || d.ptr != dev_text.data() + dev_text.size() || i.ec != std::errc{} ||
      i.ptr != ino_text.data() + ino_text.size() || dev_text.empty() || ino_text.empty()) {
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == device && static_cast<unsigned long long>(st.st_ino) == inode;
}

std::unique_ptr<spdlog::formatter> make_log_formatter(bool journal) {
  if (journal) {
    auto f = std::make_unique<spdlog::pattern_formatter>();
    f->add_flag<PriorityFlag>('*').set_pattern("%*%v");
    return f;
  }
  // %z: the UTC offset of the configured time zone (TZ), as +08:00.
  return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%e%z [%n] [%^%l%$] %v");
}

void install_daemon_logger() {
  const bool journal = is_journal_stream(std::getenv("JOURNAL_STREAM"), STDERR_FILENO);
  auto logger = journal ? spdlog::stderr_logger_mt("hotlined") : spdlog::stderr_color_mt("hotlined");
  logger->set_formatter(make_log_formatter(journal));
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace hotline::daemon
