#include "daemon/api/query_params.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "daemon/access/caller_key.hpp"
#include "daemon/http/query_string.hpp"
#include "daemon/runtime/local_time.hpp"
#include "routing/case_model.hpp"
#include "routing/keyword_matcher.hpp"

namespace hotline::daemon {

std::optional<int> parse_limit(std::string_view value) {
  int n = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc{} || ptr != value.data() + value.size() || n < 1 || n > 500) return std::nullopt;
  return n;
}

std::optional<std::pair<std::int64_t, std::string>> parse_queue_cursor(std::string_view value) {
  const auto dot = value.find('.');
  std::int64_t due = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + (dot == std::string_view::npos ? 0 : dot), due);
  if (dot == std::string_view::npos || ec != std::errc{} || ptr != value.data() + dot) return std::nullopt;
  return std::pair{due, std::string(value.substr(dot + 1))};
}

std::optional<storage::EscalationQuery::Cursor> parse_escalation_cursor(std::string_view value) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  for (std::size_t at; (at = value.find('~', from)) != std::string_view::npos; from = at + 1) {
    parts.emplace_back(value.substr(from, at - from));
  }
  parts.emplace_back(value.substr(from));
  storage::EscalationQuery::Cursor c;
  const auto [ptr, ec] = std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), c.due_ms);
  if (parts.size() != 4 || ec != std::errc{} || ptr != parts[0].data() + parts[0].size()) return std::nullopt;
  c.ticket_id = parts[1];
  c.unit_id = parts[2];
  c.clock = parts[3];
  return c;
}

std::optional<std::int64_t> parse_last_event_id(std::string_view value) {
  std::int64_t seq = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seq);
  if (ec != std::errc{} || ptr != value.data() + value.size() || seq < 0) return std::nullopt;
  return seq;
}

namespace {

bool plain_text(std::string_view value) {
  return routing::is_valid_utf8(value) &&
         std::none_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

}  // namespace

std::variant<KnowledgeQuery, Problem> parse_knowledge_query(std::string_view target) {
  KnowledgeQuery q;
  bool has_text = false;
  for (const auto& [key, value] : parse_query(target)) {
    if (key == "q") {
      if (!plain_text(value)) return bad_field("q", "must be UTF-8 text without control characters");
      if (value.size() > 2000) return bad_field("q", "must be at most 2000 bytes");
      q.text = value;
      has_text = true;
    } else if (key == "matter") {
      if (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return bad_field("matter", "must be a matter code (digits)");
      }
      q.matter = value;
    } else if (key == "limit") {
      const auto n = parse_limit(value);
      if (!n || *n > 50) return bad_field("limit", "must be 1 to 50");
      q.limit = static_cast<std::size_t>(*n);
    } else {
      return bad_field(key, "unknown query parameter");
    }
  }
  if (!has_text || q.text.find_first_not_of(' ') == std::string::npos) {
    return bad_field("q", "is required: the words to look up");
  }
  return q;
}

std::variant<storage::SearchQuery, Problem> parse_search_query(std::string_view target, const CallerKeys* callers) {
  storage::SearchQuery q;
  for (const auto& [key, value] : parse_query(target)) {
    if (key == "phone") {
      q.caller_key = callers != nullptr ? callers->key_of(value) : std::nullopt;
      if (!q.caller_key) {
        return bad_field("phone", "must be a phone number: 5 to 15 digits, with +86, spaces, dashes or parentheses");
      }
    } else if (key == "q") {
      if (!plain_text(value)) return bad_field("q", "must be UTF-8 text without control characters");
      q.text = value;
    } else if (key == "state") {
      if (!routing::parse_case_state(value)) return bad_field("state", "unknown state '" + value + "'");
      q.state = value;
    } else if (key == "unit") {
      q.unit_id = value;
    } else if (key == "from" || key == "to") {
      const auto ms = parse_caller_instant(value);
      if (!ms) return bad_field(key, "must be RFC 3339 with a date from " + std::string(k_date_window));
      (key == "from" ? q.from_ms : q.to_ms) = *ms;
    } else if (key == "cursor") {
      // A ticket id, as next_cursor gives it: anything else would silently start again from the newest.
      const bool ticket_id = !value.empty() && value.size() <= 40 &&
                             std::all_of(value.begin(), value.end(),
                                         [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
      if (!ticket_id) return bad_field("cursor", "malformed cursor");
      q.before_id = value;
    } else if (key == "limit") {
      const auto n = parse_limit(value);
      if (!n) return bad_field("limit", "must be 1 to 500");
      q.limit = *n;
    } else {
      return bad_field(key, "unknown query parameter");
    }
  }
  return q;
}

}  // namespace hotline::daemon
