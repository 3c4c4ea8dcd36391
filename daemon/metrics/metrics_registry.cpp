#include "daemon/metrics/metrics_registry.hpp"

#include <fmt/format.h>

namespace hotline::daemon {

void MetricsRegistry::add(std::string name, Type type, std::string help, Collect collect) {
  families_.push_back({std::move(name), std::move(help), type, std::move(collect), {}});
}

void MetricsRegistry::add_rendered(std::string name, Type type, std::string help, Render render) {
  families_.push_back({std::move(name), std::move(help), type, {}, std::move(render)});
}

void MetricsRegistry::add_counter(std::string name, std::string help, std::function<double()> read) {
  add(std::move(name), Type::counter, std::move(help), [read = std::move(read)](std::vector<MetricSample>& out) {
    out.push_back({"", read()});
  });
}

void MetricsRegistry::add_gauge(std::string name, std::string help, std::function<double()> read) {
  add(std::move(name), Type::gauge, std::move(help), [read = std::move(read)](std::vector<MetricSample>& out) {
    out.push_back({"", read()});
  });
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::vector<MetricSample> samples;
  for (const auto& f : families_) {
    const char* type = f.type == Type::counter ? "counter" : f.type == Type::gauge ? "gauge" : "histogram";
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", f.name, f.help, f.name, type);
    if (f.render) {
      f.render(f.name, out);
      continue;
    }
    samples.clear();
    f.collect(samples);
    for (const auto& s : samples) {
      if (s.labels.empty()) {
        out += fmt::format("{} {}\n", f.name, s.value);
      } else {
        out += fmt::format("{}{{{}}} {}\n", f.name, s.labels, s.value);
      }
    }
  }
  return out;
}

std::string escape_label(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace hotline::daemon
