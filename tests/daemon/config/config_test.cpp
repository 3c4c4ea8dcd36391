#include "daemon/config/config.hpp"

#include <catch2/catch.hpp>

#include "daemon/config/config_file.hpp"

using namespace hotline::daemon;

TEST_CASE("an empty config file means every default", "[daemon][config]") {
  std::vector<hotline::routing::Diagnostic> errors;
  const auto c = parse_config("c.yaml", "", errors);
  CHECK(errors.empty());
  CHECK(c.listen == "127.0.0.1:12345");
  CHECK(c.database == "./var/hotline.db");
  CHECK(c.rules == "./rules");
  CHECK(c.body_limit == 64 * 1024);
  CHECK(c.max_request_line == 8192);
  CHECK(c.max_header_bytes == 8192);
  CHECK(c.max_header_fields == 100);
  CHECK(c.max_batch == 512);
  CHECK(c.timezone == "Asia/Shanghai");
}

TEST_CASE("config keys are read, nested sections included", "[daemon][config]") {
  std::vector<hotline::routing::Diagnostic> errors;
  const auto c = parse_config("c.yaml",
                              "listen: 127.0.0.1:8080\n"
                              "database: /srv/hotline/h.db\n"
                              "ticket_prefix: XM\n"
                              "http:\n"
                              "  body_limit: 4096\n"
                              "  threads: 3\n"
                              "  request_timeout: 5\n"
                              "  max_request_line: 1024\n"
                              "  max_header_bytes: 2048\n"
                              "  max_header_fields: 20\n"
                              "storage:\n"
                              "  max_batch: 1\n"
                              "log:\n"
                              "  level: debug\n",
                              errors);
  CHECK(errors.empty());
  CHECK(c.listen == "127.0.0.1:8080");
  CHECK(c.database == "/srv/hotline/h.db");
  CHECK(c.ticket_prefix == "XM");
  CHECK(c.body_limit == 4096);
  CHECK(c.threads == 3);
  CHECK(c.request_timeout == std::chrono::seconds(5));
  CHECK(c.max_request_line == 1024);
  CHECK(c.max_header_bytes == 2048);
  CHECK(c.max_header_fields == 20);
  CHECK(c.max_batch == 1);
  CHECK(c.log_level == "debug");
}

TEST_CASE("unknown keys and bad values are all reported with file:line:column", "[daemon][config]") {
  std::vector<hotline::routing::Diagnostic> errors;
  parse_config("c.yaml",
               "listen: nowhere\n"
               "http:\n"
               "  body_limit: lots\n"
               "  bodylimit: 1\n"
               "ticket_prefix: zz\n"
               "colour: blue\n"
               "log: {level: loud}\n",
               errors);
  std::vector<std::string> m;
  for (const auto& e : errors) m.push_back(e.to_string());
  REQUIRE(m.size() == 6);
  CHECK(m[0] == "c.yaml:1:9: error: 'listen' must be HOST:PORT, e.g. 127.0.0.1:12345");
  CHECK(m[1] == "c.yaml:3:15: error: 'http.body_limit' must be a whole number from 1024 to 67108864");
  CHECK(m[2] == "c.yaml:4:3: error: unknown config key 'http.bodylimit'");
  CHECK(m[3] == "c.yaml:5:16: error: 'ticket_prefix' must be 1 to 8 letters A-Z");
  CHECK(m[4] == "c.yaml:6:1: error: unknown config key 'colour'");
  CHECK(m[5].starts_with("c.yaml:7:14: error: 'log.level' must be one of"));
}

TEST_CASE("a key or a section given twice is an error, not the last one silently winning", "[daemon][config]") {
  std::vector<hotline::routing::Diagnostic> errors;
  const auto c = parse_config("c.yaml",
                              "listen: 127.0.0.1:18107\n"
                              "report:\n"
                              "  time: \"02:00\"\n"
                              "listen: 127.0.0.1:18109\n"
                              "report:\n"
                              "  dir: /tmp/r\n"
                              "http:\n"
                              "  threads: 2\n"
                              "  threads: 3\n",
                              errors);
  std::vector<std::string> m;
  for (const auto& e : errors) m.push_back(e.to_string());
  REQUIRE(m.size() == 3);
  CHECK(m[0] == "c.yaml:4:1: error: duplicate config key 'listen' (first at line 1)");
  CHECK(m[1] == "c.yaml:5:1: error: duplicate config key 'report' (first at line 2)");
  CHECK(m[2] == "c.yaml:9:3: error: duplicate config key 'http.threads' (first at line 8)");
  CHECK(c.listen == "127.0.0.1:18107");
}

TEST_CASE("a config that is not YAML is one diagnostic", "[daemon][config]") {
  std::vector<hotline::routing::Diagnostic> errors;
  parse_config("c.yaml", "listen: [\n", errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file == "c.yaml");
}

TEST_CASE("HOST:PORT parsing", "[daemon][config]") {
  HostPort hp;
  CHECK(parse_host_port("127.0.0.1:0", hp));
  CHECK(hp.host == "127.0.0.1");
  CHECK(hp.port == 0);
  CHECK(parse_host_port("[::1]:8080", hp));
  CHECK(hp.host == "::1");
  CHECK(hp.port == 8080);
  CHECK_FALSE(parse_host_port("127.0.0.1", hp));
  CHECK_FALSE(parse_host_port("127.0.0.1:70000", hp));
  CHECK_FALSE(parse_host_port(":80", hp));
  CHECK_FALSE(parse_host_port("::1:80", hp));
}

TEST_CASE("webhook urls may be https with default ports for either scheme", "[daemon][config][tls]") {
  std::vector<hotline::routing::Diagnostic> errors;
  const auto c = parse_config("c.yaml",
                              "notifications:\n"
                              "  ca_file: /etc/hotline/ca.pem\n"
                              "  webhooks:\n"
                              "    - unit: a\n"
                              "      url: https://hooks.example.org/v1/hotline\n"
                              "    - unit: b\n"
                              "      url: https://127.0.0.1:8443\n"
                              "    - unit: c\n"
                              "      url: http://relay.local/in\n",
                              errors);
  REQUIRE(errors.empty());
  CHECK(c.ca_file == "/etc/hotline/ca.pem");
  REQUIRE(c.webhooks.size() == 3);
  CHECK(c.webhooks[0].tls);
  CHECK(c.webhooks[0].host == "hooks.example.org");
  CHECK(c.webhooks[0].port == "443");
  CHECK(c.webhooks[0].path == "/v1/hotline");
  CHECK(c.webhooks[1].tls);
  CHECK(c.webhooks[1].port == "8443");
  CHECK(c.webhooks[1].path == "/");
  CHECK_FALSE(c.webhooks[2].tls);
  CHECK(c.webhooks[2].port == "80");
  CHECK(parse_config("c.yaml", "", errors).ca_file.empty());
}

TEST_CASE("webhook urls with another scheme or a bad port are errors at their line and column",
          "[daemon][config][tls]") {
  std::vector<hotline::routing::Diagnostic> errors;
  parse_config("c.yaml",
               "notifications:\n"
               "  webhooks:\n"
               "    - unit: a\n"
               "      url: ftp://example.org/hook\n"
               "    - unit: b\n"
               "      url: https://example.org:0/hook\n"
               "    - unit: c\n"
               "      url: https://:443/hook\n"
               "  ca_file: ''\n",
               errors);
  std::vector<std::string> m;
  for (const auto& e : errors) m.push_back(e.to_string());
  REQUIRE(m.size() == 4);
  CHECK(m[0].starts_with("c.yaml:4:12: error: webhook 'url' must be http://HOST:PORT/PATH or https://"));
  CHECK(m[1].starts_with("c.yaml:6:12: error: webhook 'url' must be"));
  CHECK(m[2].starts_with("c.yaml:8:12: error: webhook 'url' must be"));
  CHECK(m[3] == "c.yaml:9:12: error: 'notifications.ca_file' must not be empty");
}

TEST_CASE("webhook urls split into scheme host port and path", "[daemon][config][tls]") {
  const auto ipv6 = parse_webhook_url("https://[::1]/h");
  REQUIRE(ipv6);
  CHECK(ipv6->host == "::1");
  CHECK(ipv6->port == "443");
  const auto plain = parse_webhook_url("http://127.0.0.1:9001");
  REQUIRE(plain);
  CHECK_FALSE(plain->tls);
  CHECK(plain->port == "9001");
  CHECK(plain->path == "/");
  CHECK_FALSE(parse_webhook_url("https//example.org/"));
  CHECK_FALSE(parse_webhook_url("https://example.org:99999/"));
}

TEST_CASE("rules_files caps each file of the rules folder: 16 MiB and 4 million YAML nodes by default",
          "[daemon][config]") {
  std::vector<hotline::routing::Diagnostic> errors;
  const auto defaults = parse_config("c.yaml", "", errors);
  CHECK(defaults.rules_files.max_bytes == 16u << 20);
  CHECK(defaults.rules_files.max_yaml_nodes == 4'000'000);

  const auto c = parse_config("c.yaml", "rules_files:\n  max_bytes: 1048576\n  max_yaml_nodes: 50000\n", errors);
  CHECK(errors.empty());
  CHECK(c.rules_files.max_bytes == 1u << 20);
  CHECK(c.rules_files.max_yaml_nodes == 50000);

  (void)parse_config("c.yaml", "rules_files:\n  max_bytes: 100\n  max_yaml_nodes: lots\n  max_nodes: 5\n", errors);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].to_string() ==
        "c.yaml:2:14: error: 'rules_files.max_bytes' must be a whole number from 4096 to 1073741824");
  CHECK(errors[1].to_string() ==
        "c.yaml:3:19: error: 'rules_files.max_yaml_nodes' must be a whole number from 1000 to 100000000");
  CHECK(errors[2].to_string() == "c.yaml:4:3: error: unknown config key 'rules_files.max_nodes'");
}

TEST_CASE("connection and feed caps have defaults for a city of 1300 units and a bad value names its key",
          "[daemon][config][limits]") {
  std::vector<hotline::routing::Diagnostic> errors;
  const auto defaults = parse_config("c.yaml", "", errors);
  CHECK(defaults.max_connections == 2048);
  CHECK(defaults.max_connections_per_address == 256);
  CHECK(defaults.feed_max_per_token == 16);
  CHECK(defaults.feed_max_per_address == 128);

  const auto c = parse_config("c.yaml",
                              "http:\n  max_connections: 64\n  max_connections_per_address: 8\n"
                              "feed:\n  max_per_token: 2\n  max_per_address: 4\n",
                              errors);
  CHECK(errors.empty());
  CHECK(c.max_connections == 64);
  CHECK(c.max_connections_per_address == 8);
  CHECK(c.feed_max_per_token == 2);
  CHECK(c.feed_max_per_address == 4);

  (void)parse_config("c.yaml",
                     "http:\n  max_connections: 0\n  max_connections_per_address: 1000001\n"
                     "feed:\n  max_per_token: -1\n  max_per_address: many\n",
                     errors);
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].to_string() == "c.yaml:2:20: error: 'http.max_connections' must be a whole number from 1 to 1000000");
  CHECK(errors[1].to_string() ==
        "c.yaml:3:32: error: 'http.max_connections_per_address' must be a whole number from 1 to 1000000");
  CHECK(errors[2].to_string() == "c.yaml:5:18: error: 'feed.max_per_token' must be a whole number from 1 to 100000");
  CHECK(errors[3].to_string() == "c.yaml:6:20: error: 'feed.max_per_address' must be a whole number from 1 to 100000");
}

TEST_CASE("relative paths in a config are taken from the config file's folder", "[daemon][config]") {
  std::vector<hotline::routing::Diagnostic> errors;
  const auto c = parse_config("/etc/hotline/hotline.yaml",
                              "database: ../../var/lib/hotline/h.db\n"
                              "rules: rules\n"
                              "report:\n  dir: ./reports\n"
                              "web:\n  dir: /srv/web\n"
                              "notifications:\n  ca_file: ca.pem\n",
                              errors);
  REQUIRE(errors.empty());
  CHECK(c.database == "/var/lib/hotline/h.db");
  CHECK(c.rules == "/etc/hotline/rules");
  CHECK(c.report_dir == "/etc/hotline/reports");
  CHECK(c.web_dir == "/srv/web");  // absolute stays as written
  CHECK(c.ca_file == "/etc/hotline/ca.pem");
  // A file in the current directory: its folder is the current directory.
  CHECK(parse_config("hotline.yaml", "database: var/h.db\n", errors).database == "var/h.db");
  CHECK(parse_config("conf/hotline.yaml", "database: var/h.db\n", errors).database == "conf/var/h.db");
  // Defaults the file does not set stay relative to the current directory.
  CHECK(parse_config("/etc/hotline/hotline.yaml", "listen: 127.0.0.1:1\n", errors).database == "./var/hotline.db");
  CHECK(errors.empty());
}

TEST_CASE("the installed config is the default only for an installed program", "[daemon][config]") {
  const std::string present = PROJECT_SOURCE_DIR "/README.md";  // any file that exists
  CHECK(default_config_path("/usr/bin/hotlinectl", present) == present);
  CHECK(default_config_path("/usr/sbin/hotlined", present) == present);
  CHECK(default_config_path("/home/dev/hotline/build/dev/daemon/hotlinectl", present).empty());
  CHECK(default_config_path("/usrlocal/bin/hotlinectl", present).empty());
  CHECK(default_config_path("/usr/bin/hotlinectl", "/nonexistent/hotline.yaml").empty());
  CHECK(choose_config_file("given.yaml") == "given.yaml");
  CHECK(running_executable().ends_with("daemon_tests"));
  CHECK(choose_config_file("").empty());  // a build tree's test binary never reads /etc/hotline
}
