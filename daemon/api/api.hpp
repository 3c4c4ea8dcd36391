// The HTTP API: maps each request to a response. Owns no sockets; the server feeds it parsed requests.
// Thread-safe: handle() runs concurrently on the server's threads.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <string>

#include "daemon/access/sessions.hpp"
#include "daemon/access/token_auth.hpp"
#include "daemon/api/route_table.hpp"
#include "daemon/api/service_metrics.hpp"
#include "daemon/cases/case_transactions.hpp"
#include "daemon/config/rules_holder.hpp"
#include "daemon/escalation/escalation_hooks.hpp"
#include "daemon/feed/feed_quota.hpp"
#include "daemon/feed/feed_stream.hpp"
#include "daemon/http/http_response.hpp"
#include "daemon/http/request_handler.hpp"
#include "daemon/http/stream_response.hpp"
#include "daemon/metrics/metrics_registry.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "daemon/web/static_files.hpp"
#include "daemon/writer/reader_pool.hpp"
#include "daemon/writer/ticket_writer.hpp"
#include "routing/lifecycle.hpp"
#include "storage/ticket_store.hpp"
#include "storage/token_store.hpp"

namespace hotline::daemon {

class AddressRate;
class CallerKeys;
class LookupCodes;
class NightlyRunner;

struct ApiContext {
  RulesHolder& rules;
  TicketWriter& writer;
  StorePool<storage::TicketStore>& readers;
  StorePool<storage::TokenStore>& tokens;
  const std::atomic<bool>& auth_required;  // false only while no token exists (then loopback-only, open access)
  std::string ticket_prefix;
  boost::asio::any_io_executor blocking;           // for work too slow for the I/O threads (rule reloads)
  boost::asio::any_io_executor reads;              // the read pool: searches and feed replay pages, off the I/O threads
  std::chrono::milliseconds search_timeout{2000};  // search.timeout_ms: a search running longer is stopped (503)
  FeedHub* feed = nullptr;                         // live feeds; null: the feed endpoint answers 503
  FeedQuota* feed_quota = nullptr;                 // feeds per token and per client address; null: not limited
  ServiceMetrics* metrics = nullptr;               // counters the API moves; null: not counted
  const MetricsRegistry* registry = nullptr;       // what /metrics renders
  FeedSettings feed_settings{};
  bool metrics_require_token = true;             // with tokens configured, /metrics needs an admin or supervisor token
  const EscalationHooks* escalation = nullptr;   // stage plans and dispatch notifications; null: none (tools)
  NightlyRunner* nightly = nullptr;              // POST /v1/admin/report; null: 503
  SchedulerClock* clock = &wall_clock();         // "now" for every decision, stamp and clock colour
  const CallerKeys* callers = nullptr;           // callers by phone (intake history, ?phone=); null: not kept
  const LookupCodes* lookup = nullptr;           // citizens' lookup codes; null: none given, the public look-up 404s
  AddressRate* public_rate = nullptr;            // public look-ups per client address; null: not limited
  const StaticFiles* web = nullptr;              // the web terminal's pages; null: / answers 404
  Sessions* sessions = nullptr;                  // people's sessions (web terminal); null: POST /login answers 503
  bool secure_cookie = false;                    // sessions.secure_cookie: the session cookie is marked Secure
  int duplicate_days = 7;                        // duplicates.days: how far back intake looks for likely duplicates
  std::string report_dir{};                      // report.dir: the published reports GET /v1/reports lists
  const std::atomic<bool>* caught_up = nullptr;  // the start-up escalation catch-up is done; null: /readyz says no
};

// `unit` is `ancestor` or lies below it in the unit directory.
bool unit_within(const routing::RuleSet& rules, std::string_view ancestor, std::string_view unit);

class Api final : public RequestHandler {
 public:
  explicit Api(ApiContext context)
      : ctx_(std::move(context)),
        cases_({ctx_.rules, ctx_.writer, ctx_.escalation, ctx_.clock, ctx_.ticket_prefix, ctx_.callers, ctx_.lookup}) {}

  // What the server calls: the route table's row for the request, or the problem that stops it (401, 404, 405,
  // 403); a response, or a stream taking over the connection (GET /v1/units/{id}/feed). Never throws for bad input.
  boost::asio::awaitable<Handled> serve(const Request& request, const Peer& peer) override;
  // The request's route template, for hotline_http_requests_total.
  std::string_view metric_label(const Request& request) const override;

  // What an endpoint is given, and its type.
  struct Call {
    const Request& req;
    const Principal& who;
    PathParams params;
    const Peer& peer;
  };
  using Endpoint = boost::asio::awaitable<Handled> (*)(Api&, const Call&);
  // Every endpoint, one row each (routes.cpp).
  static std::span<const Route<Endpoint>> routes();

 private:
  struct Endpoints;  // the table's handlers, which call the members below
  // The caller, from the bearer token; without tokens configured, the local open-access principal.
  // nullopt when a token is required and missing or invalid.
  // A session (cookie) on a state-changing request without its CSRF token sets `csrf_refused` (session_api.cpp).
  // `touch` false: a session's idle clock is not reset (a live feed checking it is still open).
  std::optional<Principal> authenticate(const Request& request, bool& csrf_refused, bool touch = true);
  // POST /login, POST /logout, GET /v1/session (session_api.cpp).
  boost::asio::awaitable<Response> login(const Request& request, const Peer& peer);
  Response logout(const Request& request, const Principal& who);
  // GET / and /static/{file}: the web terminal's pages (daemon/web).
  Response web_file(const Request& request, const std::string& name);
  Response get_session(const Request& request, const Principal& who);
  boost::asio::awaitable<Response> post_ticket(const Request& request, const Principal& who);
  boost::asio::awaitable<Response> get_ticket(const Request& request, const std::string& id, const Principal& who);
  // Appends `who` reading the caller of `ticket_id` through `endpoint` to the caller access log, through the
  // writer (the row joins the next group commit), and resumes once it is committed (access_log_api.cpp).
  boost::asio::awaitable<storage::Result<void>> log_caller_read(const Principal& who, const std::string& ticket_id,
                                                                std::string_view endpoint);
  // POST /v1/callers/sms: record or withdraw a caller's refusal of SMS (caller_sms_api.cpp).
  boost::asio::awaitable<Response> post_caller_sms(const Request& request, const Principal& who);
  // GET /v1/admin/access-log (access_log_api.cpp).
  Response get_access_log(const Request& request);
  boost::asio::awaitable<Response> post_action(const Request& request, const Principal& who, const std::string& id,
                                               const std::string& action);
  Response get_queue(const Request& request, const Principal& who, const std::string& unit);
  // GET /v1/units/{id}/counts: the unit's open work by state and how much is overdue (the terminal's dashboard).
  boost::asio::awaitable<Response> get_unit_counts(const Request& request, const Principal& who,
                                                   const std::string& unit);
  // The dispatch desk's queue (派单): what waits for a human dispatcher, oldest first, with the dispatch limit.
  Response get_desk_queue(const Request& request, const Principal& who);
  boost::asio::awaitable<Response> search_tickets(const Request& request, const Principal& who);
  // GET /v1/escalations and /v1/escalations/counts (escalation_api.cpp).
  Response get_escalations(const Request& request, const Principal& who);
  Response get_escalation_counts(const Request& request, const Principal& who);
  // `unit` is `ancestor` or lies below it in the directory.
  bool unit_within(std::string_view ancestor, std::string_view unit) const;
  // Any unit that ever held the case (accountable or as handler), and the units above it, may see it.
  bool unit_may_see(const std::string& unit, const routing::Case& c) const;
  Response get_rules(const Request& request, const Principal& who);
  boost::asio::awaitable<Handled> open_feed(const Request& request, const Principal& who, const std::string& unit);
  // An opened feed (`opened` a stream) within feed.max_per_token and feed.max_per_address, holding its slots;
  // else a 429 and the feed closed (feed_quota_api.cpp).
  Handled hold_feed_slots(const Call& call, Handled opened);
  Response get_metrics(const Request& request);
  // GET /readyz: rules loaded, the database writable (a probe job through the writer), catch-up done
  // (readiness_api.cpp).
  boost::asio::awaitable<Response> get_readyz(const Request& request);
  Response explain_route(const Request& request);
  Response search_knowledge(const Request& request);
  Response public_status(const Request& request, const std::string& id, const Peer& peer);
  boost::asio::awaitable<Response> reload_rules(const Request& request);
  // POST /v1/admin/report (report_api.cpp).
  boost::asio::awaitable<Response> run_report(const Request& request);

  // GET /v1/reports and /v1/reports/{day}/{file}: the published reports of report.dir (report_api.cpp).
  boost::asio::awaitable<Response> get_reports(const Request& request);
  boost::asio::awaitable<Response> get_report_file(const Request& request, const std::string& day,
                                                   const std::string& name);
  // GET /v1/units, /v1/matters, /v1/divisions: the live rule set's directories (directory_api.cpp).
  Response get_units(const Request& request);
  Response get_matters(const Request& request);
  Response get_divisions(const Request& request);
  // GET /v1/openapi.json: the API's OpenAPI document, compiled in (openapi_api.cpp).
  Response get_openapi(const Request& request);
  // A case transaction's failure as the HTTP answer: 404, the machine's refusal, or the storage problem.
  Response case_failure(const Request& request, const CaseError& error, const std::string& id,
                        std::string_view storing) const;

  ApiContext ctx_;
  CaseTransactions cases_;
};

}  // namespace hotline::daemon
