#include "routing/citizen_messages.hpp"

#include <algorithm>

namespace hotline::routing {
namespace {

constexpr std::array<std::string_view, 3> k_names{"accepted", "replied", "follow_up"};

std::size_t index_of(CitizenMessage m) {
  return static_cast<std::size_t>(m);
}

// The bytes of the UTF-8 sequence starting with `lead` (1 for a stray continuation byte).
std::size_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

std::string_view to_string(CitizenMessage m) {
  return k_names[index_of(m)];
}

std::optional<CitizenMessage> parse_citizen_message(std::string_view name) {
  for (const auto m : k_citizen_messages) {
    if (to_string(m) == name) return m;
  }
  return std::nullopt;
}

std::vector<std::string_view> placeholders_of(CitizenMessage m) {
  switch (m) {
    case CitizenMessage::accepted:
      return {"ticket", "code"};
    case CitizenMessage::replied:
      return {"ticket", "unit", "reply"};
    case CitizenMessage::follow_up:
      return {"ticket", "unit"};
  }
  return {};
}

std::optional<std::string> CitizenTemplates::check(CitizenMessage m, std::string_view tmpl) {
  if (tmpl.empty()) return "is empty";
  const auto allowed = placeholders_of(m);
  for (std::size_t at = tmpl.find('{'); at != std::string_view::npos; at = tmpl.find('{', at + 1)) {
    const auto close = tmpl.find('}', at);
    if (close == std::string_view::npos) return "has a '{' that is never closed";
    const auto name = tmpl.substr(at + 1, close - at - 1);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string list;
      for (const auto a : allowed) list += (list.empty() ? "{" : ", {") + std::string(a) + "}";
      return "uses {" + std::string(name) + "}; the " + std::string(to_string(m)) + " message may use " + list;
    }
  }
  return std::nullopt;
}

std::optional<std::string> CitizenTemplates::render(CitizenMessage m, const MessageFields& f) const {
  const auto& tmpl = text[index_of(m)];
  if (!tmpl) return std::nullopt;
  std::string out = signature;
  std::string_view rest = *tmpl;
  for (auto at = rest.find('{'); at != std::string_view::npos; at = rest.find('{')) {
    const auto close = rest.find('}', at);
    if (close == std::string_view::npos) break;  // check() refused such a template
    out += rest.substr(0, at);
    const auto name = rest.substr(at + 1, close - at - 1);
    if (name == "ticket") out += f.ticket;
    if (name == "code") out += f.code;
    if (name == "unit") out += f.unit;
    if (name == "reply") out += summarize(f.reply, reply_chars);
    rest.remove_prefix(close + 1);
  }
  out += rest;
  return out;
}

std::string summarize(std::string_view text, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  bool space = false;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      ++i;
      continue;
    }
    if (chars + (space ? 1 : 0) >= max_chars) {
      out += "…";
      return out;
    }
    if (space) {
      out += ' ';
      ++chars;
      space = false;
    }
    const std::size_t n = std::min(sequence_length(c), text.size() - i);
    out.append(text.substr(i, n));
    ++chars;
    i += n;
  }
  return out;
}

std::vector<CitizenMessage> messages_for(const std::vector<Event>& events) {
  std::vector<CitizenMessage> out;
  const bool refused =
      std::any_of(events.begin(), events.end(), [](const Event& e) { return e.kind == "not_accepted"; });
  for (const auto& e : events) {
    if (e.kind == "received" && !refused) out.push_back(CitizenMessage::accepted);
    if (e.kind == "reply_approved" || e.kind == "master_replied") {
      out.push_back(CitizenMessage::replied);
      out.push_back(CitizenMessage::follow_up);
    }
  }
  return out;
}

}  // namespace hotline::routing
