// Messages to the citizen (SMS): the templates of the rules folder's `sms:` section and which events of a case
// send which message. Pure: the daemon renders a message here and hands it to its outbox.
//
//   accepted   (受理)  on "received":                        placeholders {ticket} {code}
//   replied    (办结)  on "reply_approved", "master_replied": {ticket} {unit} {reply}
//   follow_up  (回访)  right after the 办结 message:          {ticket} {unit}
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/case_model.hpp"

namespace hotline::routing {

enum class CitizenMessage { accepted, replied, follow_up };
inline constexpr std::array<CitizenMessage, 3> k_citizen_messages{CitizenMessage::accepted, CitizenMessage::replied,
                                                                  CitizenMessage::follow_up};
std::string_view to_string(CitizenMessage m);
std::optional<CitizenMessage> parse_citizen_message(std::string_view name);
// The placeholders a message's template may use, e.g. {"ticket", "code"} for accepted.
std::vector<std::string_view> placeholders_of(CitizenMessage m);

// What a template is filled with; a placeholder a message does not allow is never asked for.
struct MessageFields {
  std::string ticket, code, unit, reply;
};

class CitizenTemplates {
 public:
  // Text before every message (the sender's name the SMS gateway registered, e.g. 【漳州12345】); may be empty.
  std::string signature;
  // The longest reply summary, in characters (code points); a longer reply is cut and ends with "…".
  std::size_t reply_chars = 60;
  std::array<std::optional<std::string>, 3> text{};  // by CitizenMessage; nullopt: that message is not sent

  bool empty() const { return !text[0] && !text[1] && !text[2]; }
  // Why `tmpl` cannot be the template of `m` (an unknown or unclosed placeholder); nullopt when it can.
  static std::optional<std::string> check(CitizenMessage m, std::string_view tmpl);
  // The message text, signature first; nullopt when the rules have no template for `m`.
  std::optional<std::string> render(CitizenMessage m, const MessageFields& f) const;
};

// The first `max_chars` code points of UTF-8 `text` with its white space runs folded to one space, and "…" when
// it was cut.
std::string summarize(std::string_view text, std::size_t max_chars);

// The messages `events` (just appended to a case, in order) send to the case's caller, in sending order.
std::vector<CitizenMessage> messages_for(const std::vector<Event>& events);

}  // namespace hotline::routing
