# The daemon's folders, bottom up, as "folder level" pairs. A folder may include and link only folders on a lower
# level (and routing/, storage/); folders on the same level know nothing of each other. daemon/CMakeLists.txt adds
# the folders in this order and tests/layering/check_layering.cmake enforces the same table on every #include.
set(HOTLINE_DAEMON_LAYERS
  runtime 1     # local time, clocks for timer loops, build facts
  metrics 1     # the metrics registry, HTTP counters, gauges
  wire 2        # JSON encodings of tickets and events, problem details
  report 2      # the pure nightly-report library: facts, metrics, model, writers
  access 2      # tokens and principals
  config 3      # hotline.yaml, loading and holding the rule set, golden cases
  writer 3      # the group-commit writer and the pool of read connections
  http 3        # Beast transport: sessions, limits, streaming; knows no endpoint
  notify 4      # the notification outbox and webhook delivery
  feed 4        # live feeds (SSE)
  web 4         # the web terminal's static files, compiled in, with ETag, gzip and security headers
  escalation 5  # the stage scheduler, escalation hooks, deadline recomputes
  nightly 5     # the daemon's nightly report run and its announcement
  cases 6       # case transactions: intake and actions committed through the writer
  api 7         # the endpoints and their route table
  tools 7       # one file per hotlinectl subcommand
  app 8         # the two mains and their wiring
)

# Third-party headers each folder may include, beyond the standard library, Boost.JSON, fmt and spdlog.
set(HOTLINE_BEAST_FOLDERS http api feed notify web)
set(HOTLINE_YAML_FOLDERS config)
set(HOTLINE_CLI_FOLDERS tools app)
