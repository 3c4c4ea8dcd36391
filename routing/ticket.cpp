#include "routing/ticket.hpp"

#include <algorithm>
#include <array>

namespace hotline::routing {
namespace {

struct TypeName {
  RequestType type;
  std::string_view english;
  std::string_view chinese;
};

constexpr std::array<TypeName, k_request_type_count> k_type_names{{
    {RequestType::complaint, "complaint", "投诉"},
    {RequestType::report, "report", "举报"},
    {RequestType::help, "help", "求助"},
    {RequestType::consultation, "consultation", "咨询"},
    {RequestType::suggestion, "suggestion", "建议"},
    {RequestType::praise, "praise", "表扬"},
}};

struct UrgencyName {
  Urgency urgency;
  std::string_view english;
  std::string_view chinese;
};

constexpr std::array<UrgencyName, k_urgency_count> k_urgency_names{{
    {Urgency::normal, "normal", "一般"},
    {Urgency::urgent, "urgent", "紧急"},
    {Urgency::very_urgent, "very_urgent", "特急"},
}};

}  // namespace

std::optional<RequestType> parse_request_type(std::string_view text) {
  for (const auto& n : k_type_names) {
    if (text == n.english || text == n.chinese) return n.type;
  }
  return std::nullopt;
}

std::string_view to_string(RequestType type) {
  return k_type_names[static_cast<std::size_t>(type)].english;
}

std::optional<Urgency> parse_urgency(std::string_view text) {
  for (const auto& n : k_urgency_names) {
    if (text == n.english || text == n.chinese) return n.urgency;
  }
  return std::nullopt;
}

std::string_view to_string(Urgency urgency) {
  return k_urgency_names[static_cast<std::size_t>(urgency)].english;
}

namespace {
constexpr std::array<std::string_view, 9> k_channels{"phone", "web", "app",      "wechat", "weibo",
                                                     "email", "sms", "transfer", "other"};
}  // namespace

std::span<const std::string_view> channels() {
  return k_channels;
}

bool is_channel(std::string_view text) {
  return std::find(k_channels.begin(), k_channels.end(), text) != k_channels.end();
}

bool is_blank(std::string_view text) {
  static constexpr std::string_view k_spaces[] = {"\u00A0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004",
                                                  "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200A", "\u200B",
                                                  "\u2028", "\u2029", "\u202F", "\u205F", "\u3000", "\uFEFF"};
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
      ++i;
      continue;
    }
    const auto rest = text.substr(i);
    const auto* space =
        std::find_if(std::begin(k_spaces), std::end(k_spaces), [&](std::string_view s) { return rest.starts_with(s); });
    if (space == std::end(k_spaces)) return false;
    i += space->size();
  }
  return true;
}

namespace {

// "english (中文), …" of a name table.
template <class Names>
std::string name_list(const Names& names) {
  std::string out;
  for (const auto& n : names) {
    out += (out.empty() ? "" : ", ") + std::string(n.english) + " (" + std::string(n.chinese) + ")";
  }
  return out;
}

}  // namespace

std::string request_type_list() {
  return name_list(k_type_names);
}

std::string urgency_list() {
  return name_list(k_urgency_names);
}

std::string channel_list() {
  std::string out;
  for (const auto c : k_channels) out += (out.empty() ? "" : ", ") + std::string(c);
  return out;
}

}  // namespace hotline::routing
