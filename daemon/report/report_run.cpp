#include "daemon/report/report_run.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "daemon/report/event_pipeline.hpp"
#include "daemon/report/fact_builder.hpp"
#include "daemon/report/report_writers.hpp"
#include "storage/report_store.hpp"

namespace hotline::report {
namespace fs = std::filesystem;
namespace {

std::string thousands(std::int64_t v) {
  auto s = std::to_string(v);
  for (auto i = static_cast<std::ptrdiff_t>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

// A temporary name in the same folder (so the rename is atomic) that no other run uses.
fs::path temp_for(const fs::path& final_path) {
  return final_path.parent_path() / ("." + final_path.filename().string() + ".tmp" + std::to_string(::getpid()));
}

// Creates `path` afresh, readable by its owner and group only (0640, less what the umask takes): reports name
// callers' matters and units' figures. The writers then open the existing file, which keeps this mode.
std::string create_report_file(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return "cannot create " + path.string() + ": " + std::strerror(errno);
  ::close(fd);
  return {};
}

// The process id in a temporary name of ours (".hotline-report-….tmp1234"), or 0 when it is not one.
pid_t temp_owner(const std::string& name) {
  const auto at = name.rfind(".tmp");
  if (name.rfind(".hotline-report-", 0) != 0 || at == std::string::npos || at + 4 == name.size()) return 0;
  pid_t pid = 0;
  for (auto i = at + 4; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || pid > 100'000'000) return 0;
    pid = pid * 10 + (name[i] - '0');
  }
  return pid;
}

std::string write_file(const fs::path& path, const std::string& content) {
  if (auto error = create_report_file(path); !error.empty()) return error;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  return out ? std::string() : "cannot write " + path.string();
}

std::string timestamp(std::int64_t ms, const ReportOptions& o) {
  return ms == 0 ? std::string("—") : local_time_text(ms, o.utc_offset_minutes);
}

}  // namespace

int remove_stale_temporaries(const std::string& out_dir) {
  std::error_code ec;
  int removed = 0;
  for (fs::directory_iterator it(out_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const pid_t owner = temp_owner(it->path().filename().string());
    // Left by a run that was killed: its process is gone (a live one, even another run's, is never touched).
    if (owner <= 0 || owner == ::getpid() || ::kill(owner, 0) == 0 || errno != ESRCH) continue;
    std::error_code rm;
    if (fs::remove(it->path(), rm)) ++removed;
  }
  return removed;
}

storage::Result<Facts> load_facts(const std::string& path, std::int64_t until_ms,
                                  const std::function<void(const std::string&)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  auto store = storage::ReportStore::open(path);
  if (!store) return store.error();
  FactBuilder builder;
  if (auto estimate = (*store)->approximate_events()) builder.reserve(*estimate);
  std::int64_t seen = 0;
  auto read = pipelined_events(**store, until_ms, [&](const storage::EventView& e) {
    builder.apply(e);
    if (++seen % 1'000'000 == 0 && progress) progress("read " + thousands(seen) + " events");
  });
  if (!read) return storage::Error{read.error().code, "cannot read '" + path + "': " + read.error().message};
  auto facts = builder.take();
  if (progress) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    progress(fmt::format("read {} tickets / {} events in {:.1f} s",
                         thousands(static_cast<std::int64_t>(facts.tickets.size())), thousands(facts.events),
                         took.count()));
  }
  return facts;
}

std::vector<std::string> parse_formats(const std::string& text, std::string& error) {
  std::vector<std::string> asked;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    auto f = text.substr(start, end - start);
    if (!f.empty()) asked.push_back(f);
    start = end + 1;
  }
  std::vector<std::string> out;
  for (const char* known : {"xlsx", "html", "csv", "json"}) {
    if (std::find(asked.begin(), asked.end(), known) != asked.end()) out.push_back(known);
  }
  for (const auto& f : asked) {
    if (std::find(out.begin(), out.end(), f) == out.end()) error = "unknown format '" + f + "' (xlsx, html, csv, json)";
  }
  if (out.empty() && error.empty()) error = "no format given (xlsx, html, csv, json)";
  return out;
}

RunResult run_report(const RunRequest& request, const std::function<void(const std::string&)>& progress) {
  RunResult result;
  auto facts = load_facts(request.database, as_of_ms(request.options), progress);
  if (!facts) {
    result.error = facts.error().message;
    return result;
  }
  const auto report = build_report(*facts, request.options);
  std::error_code ec;
  fs::create_directories(request.out_dir, ec);
  if (ec) {
    result.error = "cannot create " + request.out_dir + ": " + ec.message();
    return result;
  }
  if (const int removed = remove_stale_temporaries(request.out_dir); removed > 0 && progress) {
    progress("removed " + std::to_string(removed) + " temporary file(s) left by an interrupted run");
  }
  const auto base = fs::path(request.out_dir) / ("hotline-report-" + routing::format_day(request.options.as_of));
  // Every file is rendered under its temporary name first; only when all succeeded are they renamed into place.
  std::vector<std::pair<fs::path, fs::path>> staged;
  const auto stage = [&](const fs::path& final_path, const std::string& content) {
    const auto temp = temp_for(final_path);
    staged.emplace_back(temp, final_path);
    if (result.error.empty()) result.error = write_file(temp, content);
  };
  for (const auto& format : request.formats) {
    if (format == "json") stage(base.string() + ".json", render_json(report));
    if (format == "html") stage(base.string() + ".html", render_html(report));
    if (format == "csv") {
      for (const auto& [key, content] : render_csv(report)) stage(base.string() + "-" + key + ".csv", content);
    }
    if (format == "xlsx") {
      const fs::path final_path = base.string() + ".xlsx";
      staged.emplace_back(temp_for(final_path), final_path);
      const auto created = routing::start_of_day(request.options.as_of, request.options.utc_offset_minutes) / 1000;
      if (result.error.empty()) result.error = create_report_file(staged.back().first);
      if (result.error.empty()) result.error = write_xlsx(report, staged.back().first.string(), created);
    }
  }
  for (const auto& [temp, final_path] : staged) {
    if (result.error.empty()) {
      fs::rename(temp, final_path, ec);
      if (ec)
        result.error = "cannot rename " + temp.string() + ": " + ec.message();
      else
        result.files.push_back(final_path.string());
    }
    fs::remove(temp, ec);  // after a failure, nothing half-written stays behind
  }
  return result;
}

bool explain_figure(const Facts& f, const ReportOptions& o, const std::string& unit, Metric metric, std::ostream& out) {
  std::uint16_t index = 0;
  for (std::size_t i = 1; i < f.unit_ids.size(); ++i) {
    if (f.unit_ids[i] == unit) index = static_cast<std::uint16_t>(i);
  }
  if (index == 0) return false;
  const auto window = period_window(o);
  const auto end = as_of_ms(o);
  const auto rows = explain(f, index, metric, window, end);
  Ratio r;
  for (const auto i : rows) r.num += contribution(f, f.assignments[i], metric, end).hit;
  r.den = static_cast<std::int64_t>(rows.size());
  out << unit << " " << unit_name(o, unit) << " " << metric_name(metric) << " (" << metric_key(metric) << ") "
      << routing::format_day(o.from) << " — " << routing::format_day(o.to) << ", as of " << routing::format_day(o.as_of)
      << " 24:00: " << r.num << " / " << r.den << " = " << (r.den ? display(Cell::rate(r)) : "—") << '\n';
  out << "ticket\tin_numerator\trole\tdispatched\tsign_for_due\tsigned\treply_due_original\tfirst_round_reply\t"
         "return_requested\tstate\n";
  for (const auto i : rows) {
    const auto& a = f.assignments[i];
    out << f.ticket_id(a.ticket) << '\t' << (contribution(f, a, metric, end).hit ? "yes" : "no") << '\t'
        << (a.lead ? "lead" : "co") << '\t' << timestamp(a.dispatched_ms, o) << '\t' << timestamp(a.sign_for_due_ms, o)
        << '\t' << timestamp(a.signed_ms, o) << '\t' << timestamp(a.original_reply_due_ms, o) << '\t'
        << timestamp(a.first_round_reply_ms, o) << '\t' << timestamp(a.return_requested_ms, o) << '\t'
        << routing::to_string(f.tickets[a.ticket].state) << '\n';
  }
  return true;
}

}  // namespace hotline::report
