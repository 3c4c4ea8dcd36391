#include "daemon/config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "daemon/report/report_run.hpp"
#include "daemon/runtime/local_time.hpp"
#include "routing/rule_set.hpp"
#include "routing/yaml_hints.hpp"

namespace hotline::daemon {
namespace {

using Setter = std::function<std::string(Config&, const std::string&)>;  // returns an error message or ""

std::string set_string(std::string& field, const std::string& value) {
  if (value.empty()) return "must not be empty";
  field = value;
  return {};
}

template <class T>
std::string set_unsigned(T& field, const std::string& value, unsigned long long min, unsigned long long max) {
  unsigned long long v = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc{} || ptr != value.data() + value.size() || v < min || v > max) {
    return "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  }
  field = static_cast<T>(v);
  return {};
}

std::string set_seconds(std::chrono::seconds& field, const std::string& value, long long max) {
  long long v = 0;
  auto err = set_unsigned(v, value, 1, static_cast<unsigned long long>(max));
  if (err.empty()) field = std::chrono::seconds(v);
  return err;
}

// A whole number of `unit_ms` units from min to max, stored in milliseconds.
std::string set_scaled_ms(std::int64_t& field, const std::string& value, unsigned long long min, unsigned long long max,
                          std::int64_t unit_ms) {
  std::int64_t n = 0;
  auto err = set_unsigned(n, value, min, max);
  if (err.empty()) field = n * unit_ms;
  return err;
}

std::string set_ms(std::int64_t& field, const std::string& value, long long min, long long max) {
  return set_unsigned(field, value, static_cast<unsigned long long>(min), static_cast<unsigned long long>(max));
}

// Quiet hours "HH:MM-HH:MM" (local, [from, to), may wrap midnight) as minutes of the day; false when malformed.
bool parse_quiet_hours(const std::string& value, int& from_min, int& to_min) {
  const auto dash = value.find('-');
  if (dash == std::string::npos) return false;
  const auto from = parse_time_of_day(std::string_view(value).substr(0, dash));
  const auto to = parse_time_of_day(std::string_view(value).substr(dash + 1));
  if (!from || !to || *from == *to) return false;
  from_min = *from;
  to_min = *to;
  return true;
}

// One entry of notifications.webhooks; every problem is an error at its node.
void read_webhook(const YAML::Node& n, const std::string& path, Config& config,
                  std::vector<routing::Diagnostic>& errors) {
  const auto err = [&](const YAML::Node& at, const std::string& message) {
    errors.push_back({path, at.Mark().line + 1, at.Mark().column + 1, message, routing::Severity::error});
  };
  if (!n.IsMap()) return err(n, "a webhook must be a mapping with url and unit, or kind and/or level");
  WebhookConfig w;
  w.line = n.Mark().line + 1;
  for (auto it = n.begin(); it != n.end(); ++it) {
    const std::string key = it->first.as<std::string>("");
    if (!it->second.IsScalar()) {
      err(it->second, "webhook '" + key + "' must be a single value");
      continue;
    }
    const std::string value = it->second.Scalar();
    if (key == "unit") {
      w.unit = value;
    } else if (key == "kind") {
      w.kind = value;
    } else if (key == "level") {
      if (!routing::parse_level(value)) err(it->second, "unknown unit level '" + value + "'");
      w.level = value;
    } else if (key == "url") {
      w.url = value;
      if (const auto u = parse_webhook_url(value)) {
        w.tls = u->tls;
        w.host = u->host;
        w.port = u->port;
        w.path = u->path;
      } else {
        err(it->second, "webhook 'url' must be http://HOST:PORT/PATH or https://HOST:PORT/PATH (port optional), not '" +
                            value + "'");
      }
    } else if (key == "quiet") {
      if (!parse_quiet_hours(value, w.quiet_from_min, w.quiet_to_min)) {
        err(it->second, "webhook 'quiet' must be HH:MM-HH:MM (e.g. 22:00-07:00), not '" + value + "'");
      }
    } else {
      err(it->first, "unknown webhook key '" + key + "' (unit, kind, level, url, quiet)");
    }
  }
  if (w.url.empty()) err(n, "a webhook needs 'url'");
  if (w.unit.empty() == (w.kind.empty() && w.level.empty())) {
    err(n, "a webhook names either a 'unit' or a unit 'kind' and/or 'level'");
  }
  config.webhooks.push_back(std::move(w));
}

// The one table of config keys. Dotted keys are nested mappings in the file.
const std::map<std::string, Setter>& key_table() {
  static const std::map<std::string, Setter> table{
      {"listen",
       [](Config& c, const std::string& v) {
         HostPort hp;
         if (!parse_host_port(v, hp)) return std::string("must be HOST:PORT, e.g. 127.0.0.1:12345");
         c.listen = v;
         return std::string();
       }},
      {"database", [](Config& c, const std::string& v) { return set_string(c.database, v); }},
      {"rules", [](Config& c, const std::string& v) { return set_string(c.rules, v); }},
      {"ticket_prefix",
       [](Config& c, const std::string& v) {
         if (v.empty() || v.size() > 8) return std::string("must be 1 to 8 letters A-Z");
         for (char ch : v) {
           if (ch < 'A' || ch > 'Z') return std::string("must be 1 to 8 letters A-Z");
         }
         c.ticket_prefix = v;
         return std::string();
       }},
      {"timezone", [](Config& c, const std::string& v) { return set_string(c.timezone, v); }},
      {"http.body_limit",
       [](Config& c, const std::string& v) { return set_unsigned(c.body_limit, v, 1024, 64u << 20); }},
      {"http.max_request_line",
       [](Config& c, const std::string& v) { return set_unsigned(c.max_request_line, v, 256, 1u << 20); }},
      {"http.max_header_bytes",
       [](Config& c, const std::string& v) { return set_unsigned(c.max_header_bytes, v, 1024, 1u << 20); }},
      {"http.max_header_fields",
       [](Config& c, const std::string& v) { return set_unsigned(c.max_header_fields, v, 1, 10000); }},
      {"http.threads", [](Config& c, const std::string& v) { return set_unsigned(c.threads, v, 0, 256); }},
      {"http.request_timeout", [](Config& c, const std::string& v) { return set_seconds(c.request_timeout, v, 3600); }},
      {"http.shutdown_grace", [](Config& c, const std::string& v) { return set_seconds(c.shutdown_grace, v, 600); }},
      {"http.max_connections",
       [](Config& c, const std::string& v) { return set_unsigned(c.max_connections, v, 1, 1'000'000); }},
      {"http.max_connections_per_address",
       [](Config& c, const std::string& v) { return set_unsigned(c.max_connections_per_address, v, 1, 1'000'000); }},
      {"storage.max_batch", [](Config& c, const std::string& v) { return set_unsigned(c.max_batch, v, 1, 100000); }},
      {"report.time",
       [](Config& c, const std::string& v) {
         if (!v.empty() && v != "off" && !parse_time_of_day(v))
           return std::string("must be HH:MM (00:00-23:59) or off");
         c.report_time = v == "off" ? std::string() : v;
         return std::string();
       }},
      {"report.dir", [](Config& c, const std::string& v) { return set_string(c.report_dir, v); }},
      {"report.formats",
       [](Config& c, const std::string& v) {
         std::string error;
         (void)report::parse_formats(v, error);
         if (error.empty()) c.report_formats = v;
         return error;
       }},
      {"report.notify",
       [](Config& c, const std::string& v) {
         c.report_notify.clear();
         std::size_t from = 0;
         while (from <= v.size()) {
           const auto comma = std::min(v.find(',', from), v.size());
           auto id = v.substr(from, comma - from);
           while (!id.empty() && id.front() == ' ') id.erase(0, 1);
           while (!id.empty() && id.back() == ' ') id.pop_back();
           if (id.empty()) return std::string("must be a comma-separated list of unit ids");
           c.report_notify.push_back(std::move(id));
           from = comma + 1;
         }
         return std::string();
       }},
      {"feed.heartbeat", [](Config& c, const std::string& v) { return set_seconds(c.feed_heartbeat, v, 3600); }},
      {"feed.max_subscribers",
       [](Config& c, const std::string& v) { return set_unsigned(c.feed_max_subscribers, v, 1, 100000); }},
      {"feed.buffer", [](Config& c, const std::string& v) { return set_unsigned(c.feed_buffer, v, 16, 1000000); }},
      {"search.timeout_ms", [](Config& c, const std::string& v) { return set_ms(c.search_timeout_ms, v, 1, 600'000); }},
      {"duplicates.days", [](Config& c, const std::string& v) { return set_unsigned(c.duplicate_days, v, 0, 365); }},
      {"public.per_minute",
       [](Config& c, const std::string& v) { return set_unsigned(c.public_per_minute, v, 1, 100000); }},
      {"feed.max_per_token",
       [](Config& c, const std::string& v) { return set_unsigned(c.feed_max_per_token, v, 1, 100000); }},
      {"feed.max_per_address",
       [](Config& c, const std::string& v) { return set_unsigned(c.feed_max_per_address, v, 1, 100000); }},
      {"metrics.require_token",
       [](Config& c, const std::string& v) {
         if (v != "true" && v != "false") return std::string("must be true or false");
         c.metrics_require_token = v == "true";
         return std::string();
       }},
      {"log.level",
       [](Config& c, const std::string& v) {
         for (const char* ok : {"trace", "debug", "info", "warn", "error"}) {
           if (v == ok) {
             c.log_level = v;
             return std::string();
           }
         }
         return std::string("must be one of trace, debug, info, warn, error");
       }},
      {"rules_files.max_bytes",
       [](Config& c, const std::string& v) { return set_unsigned(c.rules_files.max_bytes, v, 4096, 1ull << 30); }},
      {"rules_files.max_yaml_nodes",
       [](Config& c, const std::string& v) {
         return set_unsigned(c.rules_files.max_yaml_nodes, v, 1000, 100'000'000);
       }},
      {"escalation.batch",
       [](Config& c, const std::string& v) { return set_unsigned(c.escalation_batch, v, 1, 100000); }},
      {"notifications.webhooks", [](Config&, const std::string&) { return std::string("must be a list of webhooks"); }},
      {"notifications.max_attempts",
       [](Config& c, const std::string& v) { return set_unsigned(c.max_attempts, v, 1, 100); }},
      {"notifications.backoff_base_ms",
       [](Config& c, const std::string& v) { return set_ms(c.backoff_base_ms, v, 10, 3'600'000); }},
      {"notifications.backoff_max_ms",
       [](Config& c, const std::string& v) { return set_ms(c.backoff_max_ms, v, 10, 86'400'000); }},
      {"notifications.timeout_ms",
       [](Config& c, const std::string& v) { return set_ms(c.webhook_timeout_ms, v, 100, 600'000); }},
      {"notifications.key_prefix", [](Config& c, const std::string& v) { return set_string(c.key_prefix, v); }},
      {"notifications.ca_file", [](Config& c, const std::string& v) { return set_string(c.ca_file, v); }},
      {"web.dir", [](Config& c, const std::string& v) { return set_string(c.web_dir, v); }},
      {"sessions.idle_minutes",
       [](Config& c, const std::string& v) { return set_scaled_ms(c.session_idle_ms, v, 1, 24 * 60, 60'000); }},
      {"sessions.max_hours",
       [](Config& c, const std::string& v) { return set_scaled_ms(c.session_max_ms, v, 1, 24 * 30, 3'600'000); }},
      {"sessions.lockout_minutes",
       [](Config& c, const std::string& v) { return set_scaled_ms(c.login_lockout_ms, v, 1, 24 * 60, 60'000); }},
      {"sessions.secure_cookie",
       [](Config& c, const std::string& v) {
         if (v != "true" && v != "false") return std::string("must be true or false");
         c.secure_cookie = v == "true";
         return std::string();
       }},
      {"notifications.sms.url",
       [](Config& c, const std::string& v) {
         if (!parse_webhook_url(v)) {
           return std::string("must be http://HOST:PORT/PATH or https://HOST:PORT/PATH (port optional)");
         }
         c.sms.url = v;
         return std::string();
       }},
      {"notifications.sms.quiet",
       [](Config& c, const std::string& v) {
         if (v == "none") {
           c.sms.quiet_from_min = c.sms.quiet_to_min = -1;
           return std::string();
         }
         if (!parse_quiet_hours(v, c.sms.quiet_from_min, c.sms.quiet_to_min)) {
           return std::string("must be HH:MM-HH:MM (e.g. 21:00-08:00) or none");
         }
         return std::string();
       }},
  };
  return table;
}

void walk(const YAML::Node& map, const std::string& prefix, const std::string& path, Config& config,
          std::set<std::string>& written, std::vector<routing::Diagnostic>& errors) {
  const auto& table = key_table();
  std::map<std::string, int> first_line;  // a key given twice: YAML keeps both, and the second would win
  for (auto it = map.begin(); it != map.end(); ++it) {
    const auto mark = it->first.Mark();
    const std::string key = prefix + it->first.as<std::string>("");
    const auto err = [&](const YAML::Mark& m, const std::string& message) {
      errors.push_back({path, m.line + 1, m.column + 1, message, routing::Severity::error});
    };
    if (const auto [seen, fresh] = first_line.try_emplace(key, mark.line + 1); !fresh) {
      err(mark, "duplicate config key '" + key + "' (first at line " + std::to_string(seen->second) + ")");
      continue;
    }
    if (it->second.IsMap()) {
      const bool is_section =
          std::any_of(table.begin(), table.end(), [&](const auto& kv) { return kv.first.starts_with(key + "."); });
      if (!is_section) {
        err(mark, "unknown config key '" + key + "'");
        continue;
      }
      walk(it->second, key + ".", path, config, written, errors);
      continue;
    }
    const auto found = table.find(key);
    if (found == table.end()) {
      err(mark, "unknown config key '" + key + "'");
      continue;
    }
    if (key == "notifications.webhooks" && it->second.IsSequence()) {
      const YAML::Node list = it->second;  // it-> is a proxy: iterating its member directly would dangle
      for (const auto& w : list) read_webhook(w, path, config, errors);
      continue;
    }
    std::string value;
    if (key == "report.notify" && it->second.IsSequence()) {  // a YAML list of unit ids reads like "a,b"
      const YAML::Node list = it->second;
      for (const auto& item : list) value += (value.empty() ? "" : ",") + item.as<std::string>("");
    } else if (!it->second.IsScalar()) {
      err(it->second.Mark(), "'" + key + "' must be a single value");
      continue;
    } else {
      value = it->second.Scalar();
    }
    if (auto message = found->second(config, value); !message.empty()) {
      err(it->second.Mark(), "'" + key + "' " + message);
    } else {
      written.insert(key);
    }
  }
}

// Every key that names a file or folder, written relative, is taken relative to the config file's folder (never
// the current directory): `database: var/hotline.db` in /etc/hotline/hotline.yaml is /etc/hotline/var/hotline.db.
void resolve_paths(const std::string& config_path, const std::set<std::string>& written, Config& config) {
  const auto folder = std::filesystem::path(config_path).parent_path();
  const std::pair<const char*, std::string*> path_keys[] = {{"database", &config.database},
                                                            {"rules", &config.rules},
                                                            {"report.dir", &config.report_dir},
                                                            {"web.dir", &config.web_dir},
                                                            {"notifications.ca_file", &config.ca_file}};
  for (const auto& [key, field] : path_keys) {
    const std::filesystem::path value(*field);
    if (written.contains(key) && value.is_relative()) *field = (folder / value).lexically_normal().string();
  }
}

}  // namespace

Config parse_config(const std::string& path, const std::string& text, std::vector<routing::Diagnostic>& errors) {
  Config config;
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const auto hint = routing::yaml_syntax_hint(e.msg, text, e.mark.line + 1);
    errors.push_back({path, e.mark.line + 1, e.mark.column + 1, hint.empty() ? e.msg : e.msg + " (" + hint + ")",
                      routing::Severity::error});
    return config;
  }
  if (doc.IsNull()) return config;  // an empty file means every default
  if (!doc.IsMap()) {
    errors.push_back({path, doc.Mark().line + 1, doc.Mark().column + 1, "config must be a mapping of keys",
                      routing::Severity::error});
    return config;
  }
  std::set<std::string> written;
  walk(doc, "", path, config, written, errors);
  resolve_paths(path, written, config);
  return config;
}

namespace {

void collect_written(const YAML::Node& map, const std::string& prefix, std::map<std::string, std::string>& out) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string key = prefix + it->first.as<std::string>("");
    if (it->second.IsMap()) {
      collect_written(it->second, key + ".", out);
    } else {
      out[key] = it->second.IsScalar() ? it->second.Scalar() : YAML::Dump(it->second);
    }
  }
}

}  // namespace

std::map<std::string, std::string> written_config_keys(const std::string& text) {
  std::map<std::string, std::string> out;
  try {
    const auto doc = YAML::Load(text);
    if (doc.IsMap()) collect_written(doc, "", out);
  } catch (const YAML::Exception&) {
    out.clear();
  }
  return out;
}

bool parse_host_port(const std::string& text, HostPort& out) {
  std::string host;
  std::string port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') return false;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) return false;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned p = 0;
  const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (host.empty() || port.empty() || ec != std::errc{} || ptr != port.data() + port.size() || p > 65535) {
    return false;
  }
  out = {host, static_cast<std::uint16_t>(p)};
  return true;
}

std::optional<WebhookUrl> parse_webhook_url(const std::string& url) {
  WebhookUrl out;
  std::string_view rest = url;
  std::string_view default_port;
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
    default_port = "80";
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
    default_port = "443";
    out.tls = true;
  } else {
    return std::nullopt;
  }
  const auto slash = rest.find('/');
  std::string authority(rest.substr(0, slash));
  // No port written: "host" or "[::1]" (a colon inside the brackets is not one).
  if (authority.find(':') == std::string::npos || authority.ends_with(']')) {
    authority += ":" + std::string(default_port);
  }
  HostPort hp;
  if (!parse_host_port(authority, hp) || hp.port == 0) return std::nullopt;
  out.host = hp.host;
  out.port = std::to_string(hp.port);
  out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  return out;
}

}  // namespace hotline::daemon
