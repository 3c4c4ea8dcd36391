// What the escalation engine adds to every writer job that changes a case: the stage plan of each new deadline
// row, a notification row for each dispatch (only when some webhook is configured, so plain intake stays lean),
// and a wake-up for the scheduler and the sender. Called on the writer thread inside the job's transaction; the
// wake-ups may run before the commit: the scheduler and sender read through the writer, so they can only see
// what was committed by then (a rolled-back job just costs one empty look). Immutable; safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "daemon/config/rules_holder.hpp"
#include "daemon/notify/citizen_sms.hpp"
#include "daemon/notify/outbox.hpp"
#include "routing/lifecycle.hpp"
#include "storage/ticket_store.hpp"

namespace hotline::daemon {

class EscalationHooks {
 public:
  using Offer = std::function<void(std::int64_t)>;
  EscalationHooks(const Outbox& outbox, Offer offer_stage, Offer offer_delivery,
                  std::function<void()> rules_reloaded = {}, const CitizenSms* sms = nullptr)
      : outbox_(outbox),
        offer_stage_(std::move(offer_stage)),
        offer_delivery_(std::move(offer_delivery)),
        rules_reloaded_(std::move(rules_reloaded)),
        sms_(sms) {}

  // Fills the stage plan (routing::plan_stages) of every deadline row of `p`, as of a clock (re)started at
  // now_ms, and wakes the scheduler for the earliest. Before write_projection(): only new rows take the plan.
  void plan(storage::Projection& p, const routing::Case& c, const RulesInfo& live, std::int64_t now_ms) const;

  // Right after `events` were appended for `ticket_id` (nothing else inserted since): a notification row for
  // each "dispatched" event to the unit's webhook, and for each "arbitrated" event to every unit it concerns
  // (the previous lead, the disputing unit, the new lead). Does nothing without webhooks.
  storage::Result<void> after_events(storage::TicketStore& store, const std::string& ticket_id,
                                     const std::vector<routing::Event>& events, const routing::Case& c,
                                     const RulesInfo& live, std::int64_t now_ms) const;

  // Whether citizens are texted (an SMS gateway is configured): callers build a CitizenContact only then.
  bool texts_citizens() const { return sms_ != nullptr && sms_->enabled(); }
  // Right after `events` were appended for `ticket_id`: the SMS they send its caller (CitizenSms), unless the
  // caller opted out; each message's read of the phone goes to the caller access log. Does nothing without a
  // gateway or a phone.
  storage::Result<void> citizen_messages(storage::TicketStore& store, const std::string& ticket_id,
                                         const std::vector<routing::Event>& events, const CitizenContact& to,
                                         const RulesInfo& live, std::int64_t now_ms) const;

  const Outbox& outbox() const { return outbox_; }
  // A new rule set (calendar, time limits) went live: armed stages are planned again.
  void rules_reloaded() const {
    if (rules_reloaded_) rules_reloaded_();
  }
  void offer_delivery(std::int64_t ms) const {
    if (offer_delivery_) offer_delivery_(ms);
  }

 private:
  const Outbox& outbox_;
  Offer offer_stage_, offer_delivery_;
  std::function<void()> rules_reloaded_;
  const CitizenSms* sms_;
};

}  // namespace hotline::daemon
