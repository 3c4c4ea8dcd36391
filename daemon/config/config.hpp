// hotlined's configuration: one table of keys with types and defaults (see config.cpp and README "Configuration").
// Loaded once at start-up; a plain value afterwards.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "routing/diagnostic.hpp"

namespace hotline::daemon {

// One webhook of the notification outbox: which recipients it serves and where it posts (http or https).
struct WebhookConfig {
  std::string unit;              // a unit id; or else
  std::string kind;              // a unit kind (城市管理局), optionally with
  std::string level;             // a unit level (city, county, township, ...); kind and level both may be set
  std::string url;               // http(s)://HOST[:PORT]/PATH as written
  std::string host, port, path;  // its parts (port 80 or 443 when not written)
  bool tls = false;              // https: verified TLS (see notifications.ca_file)
  int quiet_from_min = -1;       // quiet hours, local minutes of the day [from, to) (wrapping midnight);
  int quiet_to_min = -1;         // -1 = none
  int line = 0;                  // where it was configured, for logs
};

// The SMS gateway that texts citizens (notifications.sms); its messages come from the rules' `sms:` templates.
struct SmsGatewayConfig {
  std::string url;               // notifications.sms.url: the gateway's webhook; "" = no messages to citizens
  int quiet_from_min = 21 * 60;  // notifications.sms.quiet: local [from, to) held until its end; default
  int quiet_to_min = 8 * 60;     // 21:00-08:00; "none" (-1, -1) sends at any hour
};

struct Config {
  std::string listen = "127.0.0.1:12345";  // HOST:PORT; port 0 picks a free port (logged)
  std::string database = "./var/hotline.db";
  std::string rules = "./rules";
  std::string ticket_prefix = "ZZ";
  std::string timezone = "Asia/Shanghai";
  std::size_t body_limit = 64 * 1024;             // http.body_limit, bytes
  std::size_t max_request_line = 8192;            // http.max_request_line, bytes: method, target, version (414 beyond)
  std::size_t max_header_bytes = 8192;            // http.max_header_bytes: header field lines together (431 beyond)
  std::size_t max_header_fields = 100;            // http.max_header_fields (431 beyond)
  unsigned threads = 0;                           // http.threads; 0 = one per core but one (the writer's)
  std::chrono::seconds request_timeout{30};       // http.request_timeout
  std::chrono::seconds shutdown_grace{10};        // http.shutdown_grace: how long in-flight requests may finish
  std::size_t max_connections = 2048;             // http.max_connections: open connections (none accepted beyond)
  std::size_t max_connections_per_address = 256;  // http.max_connections_per_address (429 beyond)
  std::size_t max_batch = 512;                    // storage.max_batch: tickets per group commit (1 = no grouping)
  std::string log_level = "info";                 // log.level: trace, debug, info, warn, error
  std::string report_time;                        // report.time: HH:MM local for the nightly report; "" = off
  std::string report_dir = "./var/reports";       // report.dir: where nightly reports are written
  std::string report_formats = "xlsx,html,csv,json";  // report.formats
  std::vector<std::string> report_notify;   // report.notify: units told of each report; empty = the fallback unit
  std::chrono::seconds feed_heartbeat{15};  // feed.heartbeat: comment line on an idle feed (proxies keep it open)
  std::size_t feed_max_subscribers = 1024;  // feed.max_subscribers: open feeds at most (503 beyond)
  std::size_t feed_buffer = 1024;           // feed.buffer: events queued per feed before a slow one is dropped
  std::int64_t search_timeout_ms = 2000;    // search.timeout_ms: a search running longer is stopped (503)
  std::size_t duplicate_days = 7;  // duplicates.days: intake suggests open tickets this recent as duplicates; 0 = off
  std::size_t public_per_minute = 10;      // public.per_minute: citizen status look-ups per client address a minute
  std::size_t feed_max_per_token = 16;     // feed.max_per_token: open feeds of one token (429 beyond)
  std::size_t feed_max_per_address = 128;  // feed.max_per_address: open feeds from one client address (429 beyond)
  bool metrics_require_token = true;       // metrics.require_token: with tokens, /metrics needs admin/supervisor
  std::size_t escalation_batch = 500;      // escalation.batch: most stages fired per writer job
  std::vector<WebhookConfig> webhooks;     // notifications.webhooks, first match wins
  int max_attempts = 8;                    // notifications.max_attempts, then dead-lettered
  std::int64_t backoff_base_ms = 1000;     // notifications.backoff_base_ms: wait after the first failure, doubled
  std::int64_t backoff_max_ms = 600000;    // notifications.backoff_max_ms: the longest wait between tries
  std::int64_t webhook_timeout_ms = 5000;  // notifications.timeout_ms: one POST, connect to answer (TLS too)
  std::string key_prefix;                  // notifications.key_prefix for Idempotency-Key; "" = ticket_prefix
  std::string ca_file;                     // notifications.ca_file: PEM CAs trusted for https; "" = system store
  SmsGatewayConfig sms;                    // notifications.sms
  std::int64_t session_idle_ms = 30 * 60'000LL;    // sessions.idle_minutes: an unused session ends
  std::int64_t session_max_ms = 12 * 3'600'000LL;  // sessions.max_hours: a session ends this long after login
  std::int64_t login_lockout_ms = 15 * 60'000LL;   // sessions.lockout_minutes: after 5 failed logins in a row
  std::string web_dir;  // web.dir: serve the web terminal's files from this folder (development); "" = compiled in
  bool secure_cookie = false;       // sessions.secure_cookie: behind an https proxy, mark the cookie Secure
  routing::FileLimits rules_files;  // rules_files.max_bytes, rules_files.max_yaml_nodes: per rules file
};

// Parses YAML config text read from the file `path`. Unknown keys, wrong types and bad values are reported as
// file:line:column; on any error the returned config must not be used. A relative path the text gives (database,
// rules, report.dir, web.dir, notifications.ca_file) is taken relative to the folder of `path`.
Config parse_config(const std::string& path, const std::string& text, std::vector<routing::Diagnostic>& errors);

// The keys a config text sets ("http.body_limit"), each with its value as written (a list as YAML text), to tell
// which keys an edited file changed; empty when the text is not YAML. Use on a text parse_config accepted.
std::map<std::string, std::string> written_config_keys(const std::string& text);

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};
// "127.0.0.1:12345", "[::1]:8080", "localhost:0"; false when malformed.
bool parse_host_port(const std::string& text, HostPort& out);

// A webhook URL split up for a POST.
struct WebhookUrl {
  bool tls = false;  // https
  std::string host, port, path;
};
// "http://HOST[:PORT]/PATH" (port 80 when not written) or "https://HOST[:PORT]/PATH" (443); the path defaults to
// "/"; nullopt for another scheme, a malformed authority or port 0.
std::optional<WebhookUrl> parse_webhook_url(const std::string& url);

}  // namespace hotline::daemon
