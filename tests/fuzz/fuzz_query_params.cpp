// Request targets and the values taken from them: parse_query() (the query string), and for the whole input and
// every decoded value parse_rfc3339() (due_before, from, to), parse_limit(), the unit queue's and the escalation
// board's cursors, Last-Event-ID (parse_last_event_id), the search parameters (parse_search_query) and the
// knowledge base's (parse_knowledge_query).
//
// Invariants: no exception escapes; parameters percent-encoded again parse back to the same list; a parsed
// instant formats (local_stamp_ms) to a stamp that parses back to the same instant (1902-01-02 to 9998-12-31:
// four-digit years, whole-minute offsets); cursors and Last-Event-ID written the way next_cursor writes them parse back
// to the same value; a search query that passes has UTF-8 text without control characters and a limit of 1-500;
// a knowledge query that passes has non-blank UTF-8 text of at most 2,000 bytes, a digit matter and a limit of 1-50.
#include <string>

#include "daemon/access/caller_key.hpp"
#include "daemon/api/query_params.hpp"
#include "daemon/http/query_string.hpp"
#include "daemon/runtime/local_time.hpp"
#include "routing/keyword_matcher.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace hotline;

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= '0' && u <= '9') || (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || u == '-' || u == '.' ||
        u == '_' || u == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

void check_value(std::string_view v) {
  if (const auto ms = daemon::parse_rfc3339(v)) {
    // From 1902: before, the zone's local mean time has an offset in seconds (+08:05:43), which RFC 3339 cannot write.
    constexpr std::int64_t from_1902 = -2'145'830'400'000, to_9999 = 253'370'678'400'000;
    if (*ms >= from_1902 && *ms < to_9999) {
      const auto stamp = daemon::local_stamp_ms(*ms);
      const auto back = daemon::parse_rfc3339(stamp.rfc3339);
      FUZZ_CHECK(back && *back == *ms, stamp.rfc3339);
    }
  }
  if (const auto n = daemon::parse_limit(v)) FUZZ_CHECK(*n >= 1 && *n <= 500, v);
  if (const auto c = daemon::parse_queue_cursor(v)) {
    const auto again = daemon::parse_queue_cursor(std::to_string(c->first) + "." + c->second);
    FUZZ_CHECK(again && *again == *c, v);
  }
  if (const auto c = daemon::parse_escalation_cursor(v)) {
    const auto written = std::to_string(c->due_ms) + "~" + c->ticket_id + "~" + c->unit_id + "~" + c->clock;
    const auto again = daemon::parse_escalation_cursor(written);
    FUZZ_CHECK(again && again->due_ms == c->due_ms && again->ticket_id == c->ticket_id &&
                   again->unit_id == c->unit_id && again->clock == c->clock,
               v);
  }
  if (const auto seq = daemon::parse_last_event_id(v)) {
    FUZZ_CHECK(*seq >= 0, v);
    FUZZ_CHECK(daemon::parse_last_event_id(std::to_string(*seq)) == seq, v);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const auto error = daemon::select_time_zone("Asia/Shanghai");
  if (!error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    std::abort();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > fuzz::k_max_input) return 0;
  const auto target = fuzz::text(data, size);
  const auto params = daemon::parse_query(target);
  std::string encoded = "/v1/tickets?";
  for (const auto& [k, v] : params) {
    encoded += percent_encode(k) + "=" + percent_encode(v) + "&";
    check_value(k);
    check_value(v);
  }
  check_value(target);
  const auto reparsed = daemon::parse_query(encoded);
  FUZZ_CHECK(reparsed.size() == params.size(), encoded);
  for (std::size_t i = 0; i < params.size(); ++i) {
    // A parameter with no '=' is a key with an empty value; encoded again it gains the '='.
    FUZZ_CHECK(reparsed[i] == params[i], encoded);
  }

  static const daemon::CallerKeys callers("fuzz secret");
  const auto search = daemon::parse_search_query(target, &callers);
  if (const auto* q = std::get_if<storage::SearchQuery>(&search)) {
    if (q->caller_key) FUZZ_CHECK(q->caller_key->size() == 64, "a caller key is 64 hex digits");
    FUZZ_CHECK(routing::is_valid_utf8(q->text), q->text);
    for (const char c : q->text) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20, q->text);
    FUZZ_CHECK(q->limit >= 1 && q->limit <= 500, "limit");
  } else {
    FUZZ_CHECK(std::get<daemon::Problem>(search).status == 400, std::get<daemon::Problem>(search).detail);
  }
  const auto kb = daemon::parse_knowledge_query(target);
  if (const auto* q = std::get_if<daemon::KnowledgeQuery>(&kb)) {
    FUZZ_CHECK(routing::is_valid_utf8(q->text) && q->text.size() <= 2000, q->text);
    FUZZ_CHECK(q->text.find_first_not_of(' ') != std::string::npos, "blank text passed");
    for (const char c : q->text) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20, q->text);
    for (const char c : q->matter) FUZZ_CHECK(c >= '0' && c <= '9', q->matter);
    FUZZ_CHECK(q->limit >= 1 && q->limit <= 50, "limit");
  } else {
    FUZZ_CHECK(std::get<daemon::Problem>(kb).status == 400, std::get<daemon::Problem>(kb).detail);
  }
  return 0;
}
