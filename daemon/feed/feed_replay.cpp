#include "daemon/feed/feed_replay.hpp"

#include <algorithm>

namespace hotline::daemon {

bool feed_wants(const FeedEvent& e, const FeedCovers& covers, storage::TicketStore& store) {
  if (std::any_of(e.audience.units.begin(), e.audience.units.end(), covers)) return true;
  if (!e.audience.whole_case && !e.audience.handler_too) return false;
  auto projection = store.read_projection(e.ticket_id);
  if (!projection || !*projection) return false;
  const auto& rows = (*projection)->assignments;
  if (e.audience.whole_case) {
    return std::any_of(rows.begin(), rows.end(), [&](const storage::AssignmentRow& a) {
      return a.state != "withdrawn" && (covers(a.unit_id) || (a.handler_id && covers(*a.handler_id)));
    });
  }
  // The handler the event's unit passed the case down to (also on a round an approved return withdrew: the
  // handler asked for that return).
  if (e.audience.units.empty()) return false;
  const auto& unit = e.audience.units.front();  // the event's unit (the lead)
  return std::any_of(rows.begin(), rows.end(), [&](const storage::AssignmentRow& a) {
    return a.unit_id == unit && a.handler_id && covers(*a.handler_id);
  });
}

ReplayPage read_replay_page(storage::TicketStore& store, std::int64_t after, int limit, const FeedCovers& covers) {
  ReplayPage page;
  page.last_seq = after;
  auto rows = store.events_after(after, limit);
  if (!rows) {
    page.error = rows.error();
    return page;
  }
  for (const auto& row : *rows) {
    const auto e = make_feed_event(row.ticket_id, row.event);
    if (feed_wants(e, covers, store)) {
      page.text += e.message;
      ++page.events;
    }
    page.last_seq = row.event.seq;
  }
  page.end = rows->size() < static_cast<std::size_t>(std::max(limit, 1));
  return page;
}

}  // namespace hotline::daemon
