#include "daemon/app/daemon_app.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "daemon/access/address_rate.hpp"
#include "daemon/access/caller_key.hpp"
#include "daemon/access/lookup_code.hpp"
#include "daemon/api/api.hpp"
#include "daemon/api/service_metrics.hpp"
#include "daemon/app/config_checks.hpp"
#include "daemon/app/config_reload.hpp"
#include "daemon/app/database_upgrade.hpp"
#include "daemon/app/log_format.hpp"
#include "daemon/app/open_files_limit.hpp"
#include "daemon/app/service_manager.hpp"
#include "daemon/app/service_signals.hpp"
#include "daemon/config/config.hpp"
#include "daemon/config/config_file.hpp"
#include "daemon/config/rules_holder.hpp"
#include "daemon/config/rules_loader.hpp"
#include "daemon/escalation/deadline_recompute_job.hpp"
#include "daemon/escalation/escalation_hooks.hpp"
#include "daemon/escalation/escalation_scheduler.hpp"
#include "daemon/feed/feed_hub.hpp"
#include "daemon/feed/feed_quota.hpp"
#include "daemon/http/http_server.hpp"
#include "daemon/metrics/cached_gauge.hpp"
#include "daemon/metrics/escalation_stats.hpp"
#include "daemon/metrics/metrics_registry.hpp"
#include "daemon/nightly/nightly_runner.hpp"
#include "daemon/nightly/report_announcer.hpp"
#include "daemon/notify/citizen_sms.hpp"
#include "daemon/notify/outbox.hpp"
#include "daemon/notify/outbox_retarget.hpp"
#include "daemon/notify/webhook_post.hpp"
#include "daemon/notify/webhook_sender.hpp"
#include "daemon/report/report_run.hpp"
#include "daemon/runtime/database_lock.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/private_folders.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "daemon/runtime/version.hpp"
#include "daemon/writer/reader_pool.hpp"
#include "daemon/writer/ticket_writer.hpp"
#include "daemon/writer/wal_checkpointer.hpp"
#include "storage/escalation_store.hpp"
#include "storage/stored_schema.hpp"
#include "storage/token_store.hpp"

namespace hotline::daemon {
namespace {

namespace asio = boost::asio;

void print_diagnostics(const std::vector<routing::Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) std::cerr << d.to_string() << '\n';
}

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

// Tells the admin, at start and on each reload, when deadlines will soon count weekdays only for want of the
// next year's holiday table.
void warn_of_calendar_gap(const RulesInfo& info) {
  const auto now = wall_clock().now_ms();
  if (const auto gap = info.calendar->coverage_gap(routing::local_day(now, utc_offset_minutes(now))); !gap.empty()) {
    spdlog::warn("{}", gap);
  }
}

// Reloads rules on SIGHUP: a bad set is refused whole and the live one stays.
// Returns whether a new set went live.
bool reload_on_signal(RulesHolder& holder, TicketWriter& writer, const EscalationHooks& hooks) {
  const auto outcome = holder.reload();
  if (!outcome.ok) {
    spdlog::error("SIGHUP reload refused; the current rules ({}) stay live:", outcome.info.rules->version());
    for (const auto& d : outcome.diagnostics) spdlog::error("  {}", d.to_string());
    if (!outcome.golden.failures.empty()) {
      spdlog::error("  the rules compile but fail their golden cases; POST /v1/admin/reload?force=true installs them");
    }
    return false;
  }
  spdlog::info("rules reloaded on SIGHUP: version {} in {:.0f} ms", outcome.info.rules->version(),
               outcome.info.load_ms);
  warn_of_calendar_gap(outcome.info);
  bring_deadlines_to_calendar(writer, outcome.info, wall_clock().now_ms(), &hooks);
  return true;
}

// The database's caller key, and every ticket taken in before callers were keyed given its key (in batches of
// 2,000 on the writer, before anything is served). nullopt after logging when the database cannot give them.
std::optional<CallerKeys> load_caller_keys(TicketWriter& writer) {
  std::string secret;
  const auto read = writer.run_blocking([&secret](storage::TicketStore& store) -> WriteResult {
    auto s = store.secret("caller_key");
    if (!s) return s.error();
    secret = std::move(*s);
    return {};
  });
  if (!read) {
    spdlog::critical("the caller key cannot be read: {}", read.error().message);
    return std::nullopt;
  }
  CallerKeys keys(secret);
  std::int64_t filled = 0;
  for (int done = 1; done > 0;) {
    const auto step = writer.run_blocking([&keys, &done](storage::TicketStore& store) -> WriteResult {
      auto n = store.fill_caller_keys([&keys](const std::string& phone) { return keys.key_of(phone); }, 2000);
      if (!n) return n.error();
      done = *n;
      return {};
    });
    if (!step) {
      spdlog::critical("keying earlier tickets by caller failed: {}", step.error().message);
      return std::nullopt;
    }
    filled += done;
  }
  if (filled > 0) spdlog::info("{} earlier ticket(s) keyed by caller phone", filled);
  return keys;
}

// The tickets-by-state gauge starts from one grouped count (a single scan at start-up, never per scrape).
bool load_state_counts(StorePool<storage::TicketStore>& readers, ServiceMetrics& metrics) {
  auto lease = readers.acquire();
  auto counts = lease ? (*lease)->count_by_state() : decltype((*lease)->count_by_state())(lease.error());
  if (!counts) {
    spdlog::critical("cannot count tickets by state: {}", counts.error().message);
    return false;
  }
  metrics.tickets.load(*counts);
  return true;
}

}  // namespace

int run_daemon(int argc, char** argv) {
  CLI::App app{"hotlined — case-routing daemon for a 12345 citizen service hotline"};
  std::string config_path, listen, database, rules_dir;
  bool check_only = false;
  app.add_option("--config", config_path,
                 "YAML config file (keys: see README); installed, /etc/hotline/hotline.yaml when it exists")
      ->check(CLI::ExistingFile);
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0 picks a free port); overrides the config");
  app.add_option("--database", database, "SQLite database file; overrides the config");
  app.add_option("--rules", rules_dir, "rules folder; overrides the config");
  app.add_flag("--check-config", check_only, "validate config and rules, then exit (opens no database or port)");
  app.set_version_flag("--version", std::string("hotlined ") + k_version);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  // Stray signals never end the daemon: SIGPIPE (a write to a closed socket or pipe is an error where it happens)
  // and the user signals, which it does not use.
  for (const int stray : {SIGPIPE, SIGUSR1, SIGUSR2}) std::signal(stray, SIG_IGN);
  install_daemon_logger();
  Config config;
  const auto config_file = choose_config_file(config_path);
  std::string config_text;  // the config file as read at start-up (SIGHUP compares the file with it)
  if (!config_file.empty()) {
    std::ifstream in(config_file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    config_text = text.str();
    std::vector<routing::Diagnostic> errors;
    auto loaded = load_config_file(config_file, errors);
    if (!loaded) {
      print_diagnostics(errors);
      return 1;
    }
    config = std::move(*loaded);
  }
  if (!listen.empty()) config.listen = listen;
  if (!database.empty()) config.database = database;
  if (!rules_dir.empty()) config.rules = rules_dir;
  spdlog::set_level(spdlog::level::from_str(config.log_level));

  HostPort where;
  if (!parse_host_port(config.listen, where)) {
    std::cerr << "hotlined: --listen must be HOST:PORT, not '" << config.listen << "'\n";
    return 2;
  }
  if (auto err = select_time_zone(config.timezone); !err.empty()) {
    std::cerr << "hotlined: timezone: " << err << '\n';
    return 1;
  }
  auto compiled = load_initial_rules(config.rules, config.rules_files);
  print_diagnostics(compiled.diagnostics);
  if (!compiled.ok) {
    std::cerr << "hotlined: rules in '" << config.rules << "' are invalid; not starting\n";
    return 1;
  }
  // The folder's golden cases: at start-up a failure is reported, not fatal (a reload refuses it unless forced);
  // --check-config, which an admin runs before a restart, fails on it.
  const auto golden = run_golden_check(config.rules, *compiled.info.rules);
  if (!golden.failures.empty()) {
    spdlog::warn("{} of {} golden case(s) in '{}' fail with the rules this daemon {}:", golden.failures.size(),
                 golden.cases, config.rules, check_only ? "would start with" : "starts with");
    for (const auto& f : golden.failures) spdlog::warn("  {}", f);
  }
  warn_of_calendar_gap(compiled.info);
  if (const auto refusals = config_refusals(config, *compiled.info.rules); !refusals.empty()) {
    for (const auto& problem : refusals) std::cerr << "hotlined: " << problem << '\n';
    return 1;
  }
  std::string tls_error;
  auto webhook_tls = make_webhook_tls(config.ca_file, tls_error);
  if (!webhook_tls) {
    std::cerr << "hotlined: " << tls_error << '\n';
    return 1;
  }
  if (check_only && !golden.failures.empty()) {
    std::cerr << "hotlined: the rules in '" << config.rules << "' load but fail " << golden.failures.size()
              << " golden case(s): a SIGHUP reload would refuse them, a start would install them\n";
    return 1;
  }
  if (check_only) {
    const auto& r = *compiled.info.rules;
    std::cout << "config and rules OK: " << r.units().size() << " units, " << r.rules().size() << " rules, version "
              << r.version() << '\n';
    return 0;
  }

  // A database of a newer schema is refused untouched; an older one is backed up before it is migrated.
  if (const int refused = prepare_database_upgrade(config.database); refused != 0) return refused;
  // Count tokens read-only before anything is created: a missing database has none, nor has an empty file (schema
  // version 0, which the writer then creates the schema in).
  std::int64_t active_tokens = 0;
  const auto stored = std::filesystem::exists(config.database) ? storage::stored_schema_version(config.database)
                                                               : storage::Result<int>(0);
  if (!stored || *stored != 0) {
    auto token_store = storage::TokenStore::open(config.database, {.create = false, .read_only = true});
    auto count = token_store ? (*token_store)->count_active() : storage::Result<std::int64_t>(token_store.error());
    if (!count) {
      spdlog::critical("cannot read access tokens: {}", count.error().message);
      return 3;
    }
    active_tokens = *count;
  }
  std::atomic<bool> auth_required = active_tokens > 0;
  if (!auth_required && !is_loopback(where.host)) {
    // Without tokens every endpoint is open, so serving beyond this machine would expose every ticket.
    std::cerr << "hotlined: refusing to listen on " << where.host
              << ": no access tokens exist (hotlinectl token create), so only loopback addresses are allowed\n";
    return 1;
  }
  if (const auto ec = create_private_folders(std::filesystem::path(config.database).parent_path())) {
    spdlog::critical("cannot create the database's folder for {}: {}", config.database, ec.message());
    return 3;
  }
  // Held until the process ends: one hotlined per database, and no db restore under a running one.
  const DatabaseLock lock(config.database, "hotlined");
  if (lock.outcome() != DatabaseLock::Outcome::held) {
    std::cerr << "hotlined: " << lock.message()
              << (lock.outcome() == DatabaseLock::Outcome::in_use ? "; not starting a second one\n" : "\n");
    return lock.outcome() == DatabaseLock::Outcome::in_use ? 1 : 3;
  }
  auto store = storage::TicketStore::open(config.database);
  if (!store) {
    spdlog::critical("{}", store.error().message);
    return 3;
  }

  if (!auth_required) {
    spdlog::warn("no access tokens exist: serving without authentication, loopback only");
  } else {
    spdlog::info("{} access token(s) active: bearer authentication required", active_tokens);
  }

  RulesHolder rules(config.rules, std::move(compiled.info), config.rules_files);
  asio::io_context ioc;
  // SIGINT, SIGTERM and SIGHUP are blocked from here, before the first thread starts, and read on the loop: one
  // that comes while the daemon starts waits, pending, until it serves (a SIGHUP right after "listening on" must
  // not kill it).
  ServiceSignals signals(ioc);
  FeedHub feed(ioc.get_executor(), {config.feed_max_subscribers, config.feed_buffer});
  FeedQuota feed_quota({config.feed_max_per_token, config.feed_max_per_address});
  // Declared before the writer, so it outlives the writer's connection that calls its hook.
  WalCheckpointer checkpointer(config.database);
  (*store)->hand_off_checkpoints(checkpointer.hook());
  TicketWriter writer(std::move(*store), config.max_batch);
  writer.set_listener(&feed);
  StorePool<storage::TicketStore> readers(config.database);
  StorePool<storage::TokenStore> tokens(config.database);
  const auto callers = load_caller_keys(writer);
  if (!callers) return 3;
  ServiceMetrics metrics(route_labels(Api::routes()));
  if (!load_state_counts(readers, metrics)) return 3;
  MetricsRegistry registry;
  EscalationStats escalation_stats;
  EscalationProbe probe;
  // A count over the armed-stage index: about 50 ms with a million open clocks, so read at most every 10 s.
  auto stages_pending = std::make_shared<CachedGauge>(
      [&readers]() -> std::optional<double> {
        auto lease = readers.acquire();
        if (!lease) return std::nullopt;
        auto n = (*lease)->escalations().count_armed();
        if (!n) return std::nullopt;
        return static_cast<double>(*n);
      },
      std::chrono::seconds(10));
  probe.stages_pending = [stages_pending] { return (*stages_pending)(); };
  probe.outbox_depth = [&escalation_stats] { return static_cast<double>(escalation_stats.outbox_pending.load()); };
  probe.outbox_failures_total = [&escalation_stats] {
    return static_cast<double>(escalation_stats.outbox_failed.load() + escalation_stats.outbox_dead.load());
  };
  probe.outbox_dead_total = [&escalation_stats] { return static_cast<double>(escalation_stats.outbox_dead.load()); };
  probe.timer_lag_seconds = [&escalation_stats] {
    return static_cast<double>(escalation_stats.timer_lag_last_ms.load()) / 1000.0;
  };
  register_service_metrics(registry, metrics, writer, feed, probe);
  asio::thread_pool blocking(1);  // rule reloads: too slow for the I/O threads
  // Searches and feed replay pages: long reads kept off the I/O threads. Its size bounds how many run at once
  // (each on a read connection of its own); on the cores the writer and the I/O threads leave.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  asio::thread_pool reads(std::max(1u, cores / 2));

  // Escalations: stage plans on every deadline written, the scheduler's timer, the webhook outbox.
  SystemSchedulerClock clock;
  const Outbox outbox(config.webhooks);
  EscalationScheduler scheduler(ioc, writer, clock, rules, outbox, escalation_stats, config.escalation_batch);
  WebhookSender sender(ioc, writer, clock, escalation_stats,
                       {config.max_attempts, config.backoff_base_ms, config.backoff_max_ms, config.webhook_timeout_ms,
                        config.key_prefix.empty() ? config.ticket_prefix : config.key_prefix, 64},
                       std::move(webhook_tls));
  scheduler.on_notifications([&sender](std::int64_t ms) { sender.offer(ms); });
  const CitizenSms sms(config.sms);
  const EscalationHooks hooks(
      outbox, [&scheduler](std::int64_t ms) { scheduler.offer(ms); }, [&sender](std::int64_t ms) { sender.offer(ms); },
      [&scheduler] { scheduler.replan_all(); }, &sms);
  std::atomic<bool> catch_up_done{false};  // /readyz: the start-up escalation catch-up is done
  {
    // Every stage that fell due while the daemon was down fires now, in order, before anything is served.
    const auto started = std::chrono::steady_clock::now();
    const auto caught_up = scheduler.catch_up();
    if (!caught_up) {
      spdlog::critical("escalation catch-up failed: {}", caught_up.error().message);
      return 3;
    }
    spdlog::info(
        "escalation catch-up: {} stage(s) fired in {} ms", *caught_up,
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
    catch_up_done = true;
  }

  std::string unused;
  const ReportAnnouncer announcer(
      writer, outbox, rules, config.report_notify, [&sender](std::int64_t ms) { sender.offer(ms); }, clock);
  NightlyRunner nightly(
      ioc,
      {config.database, config.report_dir, report::parse_formats(config.report_formats, unused),
       parse_time_of_day(config.report_time).value_or(0)},
      rules, [&announcer](const Publication& p) { return announcer(p); }, clock);
  register_operations_metrics(registry, k_version, [&nightly] { return nightly.last_success_ms(); });
  ApiContext context{rules,
                     writer,
                     readers,
                     tokens,
                     auth_required,
                     config.ticket_prefix,
                     blocking.get_executor(),
                     reads.get_executor()};
  context.search_timeout = std::chrono::milliseconds(config.search_timeout_ms);
  context.feed = &feed;
  context.feed_quota = &feed_quota;
  context.metrics = &metrics;
  context.registry = &registry;
  context.feed_settings = {config.feed_heartbeat, config.request_timeout};
  context.metrics_require_token = config.metrics_require_token;
  context.escalation = &hooks;
  context.nightly = &nightly;
  context.clock = &clock;
  context.callers = &*callers;
  const LookupCodes lookup(callers->secret());
  AddressRate public_rate(config.public_per_minute);
  context.lookup = &lookup;
  context.public_rate = &public_rate;
  context.duplicate_days = static_cast<int>(config.duplicate_days);
  const StaticFiles web(config.web_dir);
  context.web = &web;
  context.report_dir = config.report_dir;
  context.caught_up = &catch_up_done;
  Sessions sessions(SessionLimits{config.session_idle_ms, config.session_max_ms, 5, config.login_lockout_ms});
  context.sessions = &sessions;
  context.secure_cookie = config.secure_cookie;
  Api api(std::move(context));

  const ServerLimits limits{.body_limit = config.body_limit,
                            .max_request_line = config.max_request_line,
                            .max_header_bytes = config.max_header_bytes,
                            .max_header_fields = config.max_header_fields,
                            .request_timeout = config.request_timeout,
                            .shutdown_grace = config.shutdown_grace,
                            .max_connections = config.max_connections,
                            .max_connections_per_address = config.max_connections_per_address};
  fit_open_files_limit(config.max_connections);
  HttpServer server(ioc, api, limits, &metrics.http, &metrics.latency);
  std::string serving_on;
  try {
    const auto bound = server.listen(where.host, where.port);
    serving_on = fmt::format("{}:{}", bound.address().to_string(), bound.port());
    spdlog::info("listening on {}:{} (rules {}, database {})", bound.address().to_string(), bound.port(),
                 rules.get()->version(), config.database);
  } catch (const std::exception& e) {
    spdlog::critical("cannot listen on {}: {}", config.listen, e.what());
    return 3;
  }
  server.start();
  // systemd (Type=notify): ready once it listens (the escalation catch-up ran before), a status line, and the
  // watchdog fed from the event loop itself, so a loop that hangs stops feeding it and gets restarted.
  const ServiceManager service;
  const auto status_line = [&] {
    return fmt::format("serving {}; rules {}; {} open tickets", serving_on, rules.get()->version(),
                       metrics.tickets.open_count());
  };
  service.ready(status_line());
  asio::steady_timer watchdog_timer(ioc);
  std::function<void()> feed_watchdog = [&] {
    service.watchdog();
    service.status(status_line());
    watchdog_timer.expires_after(*service.watchdog_interval());
    watchdog_timer.async_wait([&](const boost::system::error_code& error) {
      if (!error) feed_watchdog();
    });
  };
  if (service.watchdog_interval()) feed_watchdog();
  // Provisional deadlines follow the calendar installed now: a run a crash interrupted resumes where it stopped,
  // a calendar installed while the daemon was down is applied. On the blocking pool, while requests are served.
  std::atomic<bool> stopping{false};
  asio::post(blocking, [&writer, &rules, &clock, &hooks, &stopping] {
    bring_deadlines_to_calendar(writer, rules.info(), clock.now_ms(), &hooks, &stopping);
  });
  if (!config.report_time.empty()) nightly.start();
  scheduler.start();
  // The stage plans follow the time limits installed now (edited while the daemon was down, or clocks the schema 8
  // upgrade armed with their red card only): re-planned once, in the background, like after a reload.
  scheduler.replan_all("at start-up");
  // What was queued goes to the URLs configured now (a webhook's URL corrected while the daemon was down).
  (void)retarget_pending(writer, outbox, *rules.get(), config.sms.url);
  sender.start();

  const auto stop = [&](int signal) {
    spdlog::info("signal {}: stopping (in-flight requests get up to {} s)", signal, config.shutdown_grace.count());
    service.stopping();
    signals.close();  // nothing but the remaining connections may keep the loop alive now
    watchdog_timer.cancel();
    stopping = true;  // a deadline recompute stops after its batch; the next start resumes it
    nightly.stop();
    feed.close_all();  // live feeds end now; their terminals reconnect with Last-Event-ID to the next daemon
    scheduler.stop();
    sender.stop();
    server.shutdown();
  };
  // SIGHUP re-reads the config file first (log.level and report.time apply live; other keys wait for a restart).
  std::set<std::string> overridden;  // what the command line set wins over the file
  if (!listen.empty()) overridden.insert("listen");
  if (!database.empty()) overridden.insert("database");
  if (!rules_dir.empty()) overridden.insert("rules");
  ConfigReloader config_reloader(config_file, config_text, std::move(overridden),
                                 {[](const std::string& level) { spdlog::set_level(spdlog::level::from_str(level)); },
                                  [&nightly](const std::string& report_time) {
                                    if (report_time.empty()) {
                                      nightly.stop();
                                      return;
                                    }
                                    nightly.reschedule(parse_time_of_day(report_time).value_or(0));
                                    if (!nightly.running()) nightly.start();
                                  },
                                  [&rules](const Config& next) { return config_refusals(next, *rules.get()); }});
  const auto reload = [&] {
    service.reloading("reloading the config and the rules");
    asio::post(blocking, [&rules, &writer, &auth_required, &config, &hooks, &service, &status_line, &config_reloader] {
      config_reloader.reload(config);
      if (reload_on_signal(rules, writer, hooks)) hooks.rules_reloaded();
      // Tokens created since start-up switch authentication on (it never switches off while running).
      if (auto now = storage::TokenStore::open(config.database, {.create = false, .read_only = true})) {
        if (auto n = (*now)->count_active(); n && *n > 0 && !auth_required.exchange(true)) {
          spdlog::info("access tokens exist now: bearer authentication required from here on");
        }
      }
      service.ready(status_line());  // the reload is over, whether the new set went live or not
    });
  };
  signals.listen([&](int signal) {
    if (signal == SIGHUP) {
      reload();
    } else {
      stop(signal);
    }
  });

  // The writer thread keeps a core busy under load, so by default the I/O threads take the others.
  const unsigned threads = config.threads != 0 ? config.threads : std::max(1u, cores - 1);
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();

  blocking.join();
  reads.join();
  writer.stop();
  writer.set_listener(nullptr);
  spdlog::info("stopped cleanly: {} writes in {} commits this run", writer.jobs(), writer.commits());
  return 0;
}

}  // namespace hotline::daemon
