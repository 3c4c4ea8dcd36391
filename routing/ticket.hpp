// The routing view of a ticket: what a caller reported, before any decision. Plain value type.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hotline::routing {

// 诉求类型. The order is stable: it is used as a bit index in rule conditions.
enum class RequestType { complaint, report, help, consultation, suggestion, praise };
inline constexpr int k_request_type_count = 6;

// 紧急程度.
enum class Urgency { normal, urgent, very_urgent };
inline constexpr int k_urgency_count = 3;

// Parses the English name ("complaint") or the Chinese word ("投诉"); nullopt when neither.
std::optional<RequestType> parse_request_type(std::string_view text);
std::string_view to_string(RequestType type);
// True when `text` (UTF-8) holds nothing but white space: ASCII spaces and line ends, the ideographic space
// U+3000 a Chinese keyboard types, no-break and other Unicode spaces, zero-width spaces and the byte-order mark.
bool is_blank(std::string_view text);

// "complaint (投诉), report (举报), …" and "normal (一般), …", for messages.
std::string request_type_list();
std::string urgency_list();

// Parses "normal"/"urgent"/"very_urgent" or 一般/紧急/特急; nullopt when neither.
std::optional<Urgency> parse_urgency(std::string_view text);
// The intake channels a ticket may name (phone, web, app, wechat, weibo, email, sms, transfer, other).
std::span<const std::string_view> channels();
bool is_channel(std::string_view text);
// "phone, web, …, other", for messages.
std::string channel_list();
std::string_view to_string(Urgency urgency);

struct Ticket {
  std::string content;  // the citizen's words, UTF-8
  RequestType type = RequestType::complaint;
  Urgency urgency = Urgency::normal;
  std::string category;  // matter code, empty when unknown
  std::string area;      // division code, empty when unknown
  std::string address;
  std::string channel;  // e.g. "phone", "web"; empty when unknown
};

}  // namespace hotline::routing
