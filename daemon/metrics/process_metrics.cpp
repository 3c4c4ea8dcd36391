#include "daemon/metrics/process_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace hotline::daemon {
namespace {

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The "btime" line of /proc/stat: when the machine booted, in seconds since the epoch.
double boot_time_seconds() {
  const auto stat = read_file("/proc/stat");
  const auto at = stat.find("\nbtime ");
  if (at == std::string::npos) return 0;
  return std::strtod(stat.c_str() + at + 7, nullptr);
}

}  // namespace

std::optional<ProcessStat> parse_proc_stat(std::string_view line, long ticks_per_second, long page_bytes,
                                           double boot_time_seconds) {
  // The command (field 2) may hold spaces and parentheses: the fields are counted after its last ')'.
  const auto close = line.rfind(')');
  if (close == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
  std::vector<std::string_view> fields;  // fields[0] is field 3 (state)
  for (auto rest = line.substr(close + 1); !rest.empty();) {
    const auto start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const auto end = std::min(rest.find_first_of(" \n"), rest.size());
    fields.push_back(rest.substr(0, end));
    rest.remove_prefix(end);
  }
  const auto number = [&fields](int field) -> std::optional<double> {
    const auto i = static_cast<std::size_t>(field - 3);
    if (i >= fields.size()) return std::nullopt;
    long long v = 0;
    const auto [ptr, ec] = std::from_chars(fields[i].data(), fields[i].data() + fields[i].size(), v);
    if (ec != std::errc{} || ptr != fields[i].data() + fields[i].size()) return std::nullopt;
    return static_cast<double>(v);
  };
  const auto utime = number(14), stime = number(15), start = number(22), vsize = number(23), rss = number(24);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  const auto ticks = static_cast<double>(ticks_per_second);
  return ProcessStat{(*utime + *stime) / ticks, boot_time_seconds + *start / ticks, *vsize,
                     *rss * static_cast<double>(page_bytes)};
}

std::optional<ProcessStat> read_process_stat() {
  return parse_proc_stat(read_file("/proc/self/stat"), ::sysconf(_SC_CLK_TCK), ::sysconf(_SC_PAGESIZE),
                         boot_time_seconds());
}

double open_descriptor_count() {
  std::error_code ec;
  double n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
  return n > 0 ? n - 1 : 0;  // less the descriptor the listing itself holds open
}

double max_descriptor_count() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 0;
  return static_cast<double>(limit.rlim_cur);
}

void register_process_metrics(MetricsRegistry& r) {
  const auto stat = [](double ProcessStat::*field) {
    return [field] {
      const auto s = read_process_stat();
      return s ? (*s).*field : 0.0;
    };
  };
  r.add_counter("process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
                stat(&ProcessStat::cpu_seconds));
  r.add_gauge("process_start_time_seconds", "When the process started, in seconds since the Unix epoch.",
              stat(&ProcessStat::start_time_seconds));
  r.add_gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", stat(&ProcessStat::virtual_bytes));
  r.add_gauge("process_resident_memory_bytes", "Resident memory size in bytes.", stat(&ProcessStat::resident_bytes));
  r.add_gauge("process_open_fds", "Open file descriptors.", open_descriptor_count);
  r.add_gauge("process_max_fds", "Most file descriptors the process may open (the soft RLIMIT_NOFILE).",
              max_descriptor_count);
}

}  // namespace hotline::daemon
