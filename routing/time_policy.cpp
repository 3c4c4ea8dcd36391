#include "routing/time_policy.hpp"

#include <algorithm>
#include <array>

#include "routing/content_hash.hpp"
#include "routing/yaml_reader.hpp"

namespace hotline::routing {
namespace {

// The one table of policy keys: name and field. `counting`, `max_returns` and `when` are handled apart.
struct LimitKey {
  std::string_view key;
  TimeLimit TimePolicy::*field;
};
constexpr std::array<LimitKey, 11> k_limit_keys{{
    {"sign_for", &TimePolicy::sign_for},
    {"reply", &TimePolicy::reply},
    {"yellow_before", &TimePolicy::yellow_before},
    {"red_after", &TimePolicy::red_after},
    {"return_window", &TimePolicy::return_window},
    {"extension_cap", &TimePolicy::extension_cap},
    {"follow_up_delay", &TimePolicy::follow_up_delay},
    {"supervise_after", &TimePolicy::supervise_after},
    {"urge_after", &TimePolicy::urge_after},
    {"dispatch", &TimePolicy::dispatch},
    {"dispute", &TimePolicy::dispute},
}};
// Keys the defaults may leave out: urge_after falls back to red_after, dispatch to sign_for, dispute to 1 wd.
constexpr std::array<std::string_view, 3> k_optional_defaults{"urge_after", "dispatch", "dispute"};
constexpr std::size_t k_sign_for = 0, k_red_after = 3, k_urge_after = 8, k_dispatch = 9;  // positions in k_limit_keys
constexpr int k_max_returns_limit = 100;

// What one mapping (the defaults or an entry) sets; unset keys stay empty.
struct PartialPolicy {
  std::array<std::optional<TimeLimit>, k_limit_keys.size()> limits;
  std::optional<int> max_returns;
  std::optional<Counting> counting;
};

void apply_counting(TimePolicy& p, Counting counting) {
  for (const auto& k : k_limit_keys) {
    TimeLimit& limit = p.*k.field;
    if (limit.unit == LimitUnit::working_days) limit.counting = counting;
  }
}

}  // namespace

class TimePolicyBuilder {
 public:
  TimePolicyBuilder(std::vector<Diagnostic>& out, FileLimits limits) : out_(out), limits_(limits) {}

  void add_file(const SourceFile& file) {
    YamlReader r(file.shown(), out_, limits_);
    if (first_file_.empty()) first_file_ = file.shown();
    const auto root = r.parse(file.text);
    if (!root || root->IsNull()) return;
    if (!r.check_keys(*root, "a time limits file", {"defaults", "time_limits"})) return;
    if (const YAML::Node d = (*root)["defaults"]; d.IsDefined()) read_defaults(r, d);
    if (const YAML::Node list = (*root)["time_limits"]; list.IsDefined() && !list.IsNull()) {
      if (r.is_seq(list, "'time_limits'")) {
        for (const auto& n : list) read_entry(r, n);
      }
    }
  }

  std::shared_ptr<TimePolicyTable> finish(std::string version) {
    if (!defaults_) {
      out_.push_back({first_file_, 0, 0, "no file gives the time-limit 'defaults'", Severity::error});
    }
    if (has_errors(out_)) return nullptr;
    std::shared_ptr<TimePolicyTable> table(new TimePolicyTable());
    table->version_ = std::move(version);
    // Without a dispatch limit in the defaults, every policy's dispatch limit is its own sign-for limit.
    const bool dispatch_follows_sign_for = !defaults_->limits[k_dispatch];
    table->defaults_ = merge(TimePolicy{}, *defaults_, Counting::next_day, dispatch_follows_sign_for);
    for (auto& [entry, partial] : entries_) {
      entry.policy =
          merge(table->defaults_, partial, defaults_->counting.value_or(Counting::next_day), dispatch_follows_sign_for);
      table->entries_.push_back(std::move(entry));
    }
    return table;
  }

 private:
  static TimePolicy merge(TimePolicy base, const PartialPolicy& p, Counting fallback, bool dispatch_follows_sign_for) {
    for (std::size_t i = 0; i < k_limit_keys.size(); ++i) {
      if (p.limits[i]) base.*k_limit_keys[i].field = *p.limits[i];
    }
    if (p.max_returns) base.max_returns = *p.max_returns;
    // An unset urge follows the red card of the same policy, also when an entry overrides only red_after.
    if (!p.limits[k_urge_after] && p.limits[k_red_after]) base.urge_after = *p.limits[k_red_after];
    if (dispatch_follows_sign_for && !p.limits[k_dispatch] && p.limits[k_sign_for]) {
      base.dispatch = *p.limits[k_sign_for];
    }
    apply_counting(base, p.counting.value_or(fallback));
    return base;
  }

  // The policy keys of one mapping (already key-checked).
  PartialPolicy read_partial(YamlReader& r, const YAML::Node& map) {
    PartialPolicy p;
    for (std::size_t i = 0; i < k_limit_keys.size(); ++i) {
      const std::string key(k_limit_keys[i].key);
      const auto text = r.string(map, key, false);
      if (!text) continue;
      p.limits[i] = parse_time_limit(*text, Counting::next_day);
      if (!p.limits[i]) {
        r.error(map[key], "'" + key + "' must be a time limit such as 5 wd, 24 h or 30 min, not '" + *text + "'");
      }
    }
    if (const auto n = r.integer(map, "max_returns")) {
      if (*n < 0 || *n > k_max_returns_limit) {
        r.error(map["max_returns"], "'max_returns' must lie in 0.." + std::to_string(k_max_returns_limit));
      } else {
        p.max_returns = static_cast<int>(*n);
      }
    }
    if (const auto text = r.string(map, "counting", false)) {
      p.counting = parse_counting(*text);
      if (!p.counting || *p.counting == Counting::natural) {
        r.error(map["counting"], "'counting' must be next_day (次日起) or inclusive (含本数), not '" + *text + "'");
        p.counting.reset();
      }
    }
    return p;
  }

  void read_defaults(YamlReader& r, const YAML::Node& d) {
    if (!r.check_keys(d, "defaults",
                      {"counting", "sign_for", "reply", "yellow_before", "red_after", "return_window", "max_returns",
                       "extension_cap", "follow_up_delay", "supervise_after", "urge_after", "dispatch", "dispute"})) {
      return;
    }
    const std::string here = r.file() + ':' + std::to_string(r.line(d)) + ':' + std::to_string(r.column(d));
    if (defaults_) {
      r.error(d, "'defaults' are already given at " + defaults_where_);
      return;
    }
    PartialPolicy p = read_partial(r, d);
    for (std::size_t i = 0; i < k_limit_keys.size(); ++i) {
      const bool optional = std::find(k_optional_defaults.begin(), k_optional_defaults.end(), k_limit_keys[i].key) !=
                            k_optional_defaults.end();
      if (!optional && !d[std::string(k_limit_keys[i].key)].IsDefined()) {
        r.error(d, "'defaults' must set '" + std::string(k_limit_keys[i].key) + "'");
      }
    }
    if (!d["max_returns"].IsDefined()) r.error(d, "'defaults' must set 'max_returns'");
    defaults_ = std::move(p);
    defaults_where_ = here;
  }

  void read_entry(YamlReader& r, const YAML::Node& n) {
    if (!r.check_keys(
            n, "a time limit entry",
            {"when", "counting", "sign_for", "reply", "yellow_before", "red_after", "return_window", "max_returns",
             "extension_cap", "follow_up_delay", "supervise_after", "urge_after", "dispatch", "dispute"})) {
      return;
    }
    TimePolicyTable::Entry entry;
    entry.pos = {r.file(), r.line(n), r.column(n)};
    const YAML::Node when = n["when"];
    if (!when.IsDefined() || when.IsNull()) {
      r.error(n, "a time limit entry needs 'when' (put unconditional values in 'defaults')");
      return;
    }
    if (!r.check_keys(when, "when", {"type", "urgency", "channel", "level"})) return;
    if (when.size() == 0) r.error(when, "'when' needs at least one condition");
    const std::size_t errors_before = out_.size();
    for (auto it = when.begin(); it != when.end(); ++it) {
      const YAML::Node value = it->second;
      if (value.IsNull() || (value.IsSequence() && value.size() == 0)) {
        r.error(it->first, "condition '" + it->first.Scalar() + "' must list at least one value");
      }
    }
    read_bits(r, when, "type", entry.types, parse_request_type, "request type");
    read_bits(r, when, "urgency", entry.urgencies, parse_urgency, "urgency");
    read_bits(r, when, "level", entry.levels, parse_level, "unit level");
    for (auto& [channel, node] : r.strings_with_nodes(when, "channel")) {
      if (channel.empty()) r.error(node, "a channel must not be empty");
      entry.channels.push_back(channel);
    }
    std::sort(entry.channels.begin(), entry.channels.end());
    entry.channels.erase(std::unique(entry.channels.begin(), entry.channels.end()), entry.channels.end());
    entry.conditions = (entry.types != 0) + (entry.urgencies != 0) + (entry.levels != 0) + !entry.channels.empty();
    PartialPolicy partial = read_partial(r, n);
    if (out_.size() != errors_before) return;
    for (const auto& [earlier, unused] : entries_) {
      if (earlier.types == entry.types && earlier.urgencies == entry.urgencies && earlier.levels == entry.levels &&
          earlier.channels == entry.channels) {
        r.warning(when, "never selected: the entry at " + earlier.pos.file + ':' + std::to_string(earlier.pos.line) +
                            ':' + std::to_string(earlier.pos.column) + " has the same conditions and comes first");
        break;
      }
    }
    entries_.emplace_back(std::move(entry), std::move(partial));
  }

  template <typename Parse>
  static void read_bits(YamlReader& r, const YAML::Node& when, std::string_view key, std::uint32_t& bits, Parse parse,
                        std::string_view what) {
    for (auto& [text, node] : r.strings_with_nodes(when, key)) {
      if (const auto value = parse(text)) {
        bits |= 1u << static_cast<unsigned>(*value);
      } else {
        r.error(node, "unknown " + std::string(what) + " '" + text + "'");
      }
    }
  }

  std::vector<Diagnostic>& out_;
  FileLimits limits_;
  std::string first_file_;
  std::optional<PartialPolicy> defaults_;
  std::string defaults_where_;
  std::vector<std::pair<TimePolicyTable::Entry, PartialPolicy>> entries_;
};

PolicyResult TimePolicyTable::compile(const std::vector<SourceFile>& files, FileLimits limits) {
  std::vector<const SourceFile*> ordered;
  for (const auto& f : files) ordered.push_back(&f);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) { return a->path < b->path; });
  PolicyResult result;
  TimePolicyBuilder builder(result.diagnostics, limits);
  for (const auto* f : ordered) builder.add_file(*f);
  result.table = builder.finish(content_version(files));
  return result;
}

const TimePolicyTable::Entry* TimePolicyTable::best(RequestType type, Urgency urgency, std::string_view channel,
                                                    std::optional<Level> level) const {
  const Entry* winner = nullptr;
  for (const auto& e : entries_) {
    if (e.types != 0 && (e.types & (1u << static_cast<unsigned>(type))) == 0) continue;
    if (e.urgencies != 0 && (e.urgencies & (1u << static_cast<unsigned>(urgency))) == 0) continue;
    if (e.levels != 0 && (!level || (e.levels & (1u << static_cast<unsigned>(*level))) == 0)) continue;
    if (!e.channels.empty() && !std::binary_search(e.channels.begin(), e.channels.end(), channel)) continue;
    if (winner == nullptr || e.conditions > winner->conditions) winner = &e;  // strict: the earlier wins ties
  }
  return winner;
}

TimePolicy TimePolicyTable::select(RequestType type, Urgency urgency, std::string_view channel,
                                   std::optional<Level> level) const {
  const Entry* e = best(type, urgency, channel, level);
  return e != nullptr ? e->policy : defaults_;
}

std::optional<SourcePos> TimePolicyTable::selected_entry(RequestType type, Urgency urgency, std::string_view channel,
                                                         std::optional<Level> level) const {
  const Entry* e = best(type, urgency, channel, level);
  if (e == nullptr) return std::nullopt;
  return e->pos;
}

}  // namespace hotline::routing
