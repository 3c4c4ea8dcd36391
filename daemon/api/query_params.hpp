// The values endpoints take from query strings and headers, parsed and checked before anything reads the
// database: page sizes, the queue's and the escalation board's cursors, Last-Event-ID, the search parameters.
// Pure; tests/fuzz drives them with arbitrary text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "daemon/wire/problem.hpp"
#include "storage/case_rows.hpp"
#include "storage/escalation_store.hpp"

namespace hotline::daemon {

class CallerKeys;

// A page size: 1 to 500.
std::optional<int> parse_limit(std::string_view value);

// A unit queue's cursor, "due_ms.ticket_id" as its next_cursor gives it.
std::optional<std::pair<std::int64_t, std::string>> parse_queue_cursor(std::string_view value);

// The escalation board's cursor, "due_ms~ticket~unit~clock" as its next_cursor gives it.
std::optional<storage::EscalationQuery::Cursor> parse_escalation_cursor(std::string_view value);

// A feed's Last-Event-ID header: the decimal seq of an event, 0 or more.
std::optional<std::int64_t> parse_last_event_id(std::string_view value);

// GET /v1/tickets?q=&phone=&state=&unit=&from=&to=&cursor=&limit= from a request target: the query, or a 400
// naming the parameter. Text to find is UTF-8 without control characters, so nothing the database would reject
// reaches it. `phone` is keyed with `callers` (without them, or for a number that does not normalise: a 400).
std::variant<storage::SearchQuery, Problem> parse_search_query(std::string_view target,
                                                               const CallerKeys* callers = nullptr);

// GET /v1/kb?q=&matter=&limit= : the words to look up (required, UTF-8 without control characters, at most
// 2,000 bytes), an optional matter code (digits) whose entries are preferred, and at most `limit` entries (1 to
// 50, default 10); or a 400 naming the parameter.
struct KnowledgeQuery {
  std::string text;
  std::string matter;
  std::size_t limit = 10;
};
std::variant<KnowledgeQuery, Problem> parse_knowledge_query(std::string_view target);

}  // namespace hotline::daemon
