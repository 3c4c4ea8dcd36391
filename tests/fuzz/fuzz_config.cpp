// The daemon's configuration (parse_config, hotline.yaml) on arbitrary text, at most 64 KiB.
//
// Invariants: no exception escapes; a configuration without errors has a listen address parse_host_port()
// takes, webhook URLs parse_webhook_url() takes (split as the config says), quiet hours inside the day, positive
// limits the server can use.
#include "daemon/config/config.hpp"
#include "daemon/http/request_checks.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hotline::daemon;
  if (size > hotline::fuzz::k_max_input) return 0;
  std::vector<hotline::routing::Diagnostic> errors;
  const auto config = parse_config("hotline.yaml", std::string(hotline::fuzz::text(data, size)), errors);
  for (const auto& d : errors) (void)d.to_string();
  if (!errors.empty()) return 0;
  HostPort hp;
  FUZZ_CHECK(parse_host_port(config.listen, hp), config.listen);
  for (const auto& w : config.webhooks) {
    const auto url = parse_webhook_url(w.url);
    FUZZ_CHECK(url && url->host == w.host && url->port == w.port && url->path == w.path && url->tls == w.tls, w.url);
    FUZZ_CHECK((w.quiet_from_min == -1) == (w.quiet_to_min == -1), w.url);
    FUZZ_CHECK(w.quiet_from_min >= -1 && w.quiet_from_min < 24 * 60 && w.quiet_to_min < 24 * 60, w.url);
  }
  FUZZ_CHECK(config.max_batch >= 1, "storage.max_batch");
  FUZZ_CHECK(config.max_connections >= 1 && config.max_connections_per_address >= 1, "http.max_connections");
  FUZZ_CHECK(config.feed_max_per_token >= 1 && config.feed_max_per_address >= 1, "feed.max_per_token");
  ServerLimits limits{
      config.body_limit,      config.max_request_line, config.max_header_bytes, config.max_header_fields,
      config.request_timeout, config.shutdown_grace,   config.max_connections,  config.max_connections_per_address};
  (void)parser_header_limit(limits);
  return 0;
}
