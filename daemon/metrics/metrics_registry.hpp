// MetricsRegistry: the /metrics families, each read by a callback at scrape time and rendered in the Prometheus
// text format 0.0.4. Adding a metric is one add_counter/add_gauge line where the value lives.
// Register everything before serving; render() is then safe from any number of threads (the callbacks must be).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace hotline::daemon {

struct MetricSample {
  std::string labels;  // rendered label pairs without braces, e.g. route="/v1/tickets",status="201"; "" for none
  double value = 0;
};

class MetricsRegistry {
 public:
  enum class Type { counter, gauge, histogram };
  using Collect = std::function<void(std::vector<MetricSample>&)>;
  // Appends a family's sample lines itself (a histogram's _bucket, _sum and _count), given the family's name.
  using Render = std::function<void(const std::string& name, std::string& out)>;

  // A family with labelled samples. `name` is a Prometheus metric name (counters end in _total).
  void add(std::string name, Type type, std::string help, Collect collect);
  // A family with one unlabelled sample.
  void add_counter(std::string name, std::string help, std::function<double()> read);
  void add_gauge(std::string name, std::string help, std::function<double()> read);
  // A family whose sample lines `render` writes (histograms).
  void add_rendered(std::string name, Type type, std::string help, Render render);

  // Every family in registration order: "# HELP", "# TYPE", then its samples.
  std::string render() const;

 private:
  struct Family {
    std::string name, help;
    Type type;
    Collect collect;
    Render render;  // set instead of `collect` for add_rendered families
  };
  std::vector<Family> families_;
};

// A label value escaped for the text format (backslash, double quote, newline).
std::string escape_label(const std::string& value);

}  // namespace hotline::daemon
