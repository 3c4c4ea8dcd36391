// The process_* families of /metrics (the names Prometheus client libraries use), read from /proc/self at scrape
// time: CPU time, resident and virtual memory, open and allowed file descriptors, start time.
#pragma once

#include <optional>
#include <string_view>

#include "daemon/metrics/metrics_registry.hpp"

namespace hotline::daemon {

struct ProcessStat {
  double cpu_seconds = 0;         // user + system
  double start_time_seconds = 0;  // since the Unix epoch
  double virtual_bytes = 0;
  double resident_bytes = 0;
};

// The figures of a /proc/PID/stat line, given the clock ticks a second, the page size and the boot time (btime of
// /proc/stat, seconds since the epoch); nullopt when the line is malformed. Pure.
std::optional<ProcessStat> parse_proc_stat(std::string_view line, long ticks_per_second, long page_bytes,
                                           double boot_time_seconds);

// This process's figures now; nullopt when /proc cannot be read.
std::optional<ProcessStat> read_process_stat();
double open_descriptor_count();  // entries of /proc/self/fd
double max_descriptor_count();   // RLIMIT_NOFILE's soft limit

// Registers process_cpu_seconds_total, process_start_time_seconds, process_virtual_memory_bytes,
// process_resident_memory_bytes, process_open_fds and process_max_fds.
void register_process_metrics(MetricsRegistry& registry);

}  // namespace hotline::daemon
