// kefu — a ticket opened from facts (the ticket layer meets the rules layer here and in replay.cpp).
#include <kefu/ticket/open.hpp>

#include <utility>

namespace kefu::ticket {

namespace {

constexpr const char* open_error_id = "kefu.ticket.open";

std::string text_fact(const rules::triage_policy& policy, const rules::record& facts, const char* name) {
  const std::size_t slot = policy.fact_slot(name);
  return facts.present[slot] ? std::string(facts.texts[slot]) : std::string();
}

/// `facts` with the fact received_at set to `at`: the caller's other facts by view (records cannot be copied;
/// these views stay valid while the caller's facts do, which is longer than this call) and the new one owned.
rules::record with_receipt(const rules::triage_policy& policy, const rules::record& facts, std::size_t slot, instant at) {
  rules::record r;
  r.numbers = facts.numbers;
  r.texts = facts.texts;
  r.present = facts.present;
  r.owned_texts.resize(facts.numbers.size());
  policy.set_fact(r, slot, format_instant(at, policy.zone()));
  return r;
}

}  // namespace

void use_policy_clocks(ticket& t, const rules::triage_policy& policy, const rules::record& facts) {
  rules::clock_book_ptr book = policy.clocks_for(facts);
  if (!book) return;
  std::vector<std::optional<instant>> starts;
  for (std::size_t i = 0; i < book->clocks.size(); ++i) {
    const std::string& fact = book->clocks[i].start_fact;
    if (fact.empty()) continue;
    starts.resize(book->clocks.size());
    const std::size_t slot = policy.fact_slot(fact);
    if (facts.present[slot]) starts[i] = instant::from_unix(facts.numbers[slot]);
  }
  t.use_clocks(std::move(book), starts);
}

opened open_triaged(const rules::triage_policy& policy, const rules::record& facts, std::optional<instant> at,
                    std::string id, std::string by, std::shared_ptr<const ticket_plan> plan) {
  const std::size_t received_slot = policy.fact_slot("received_at");
  const bool has_receipt = facts.present[received_slot];
  if (at && has_receipt && instant::from_unix(facts.numbers[received_slot]) != *at)
    throw error("at (" + format_instant(*at, policy.zone()) + ") differs from the fact received_at (" +
                    format_instant(instant::from_unix(facts.numbers[received_slot]), policy.zone()) +
                    "); give one of them",
                {}, {}, open_error_id);
  const std::string fact_id = text_fact(policy, facts, "ticket_id");
  if (!id.empty() && !fact_id.empty() && id != fact_id)
    throw error("id '" + id + "' differs from the fact ticket_id '" + fact_id + "'; give one of them", {}, {}, open_error_id);
  if (id.empty()) id = fact_id;
  if (!has_receipt && !at) throw error("missing fact(s) received_at", {}, {}, open_error_id);
  const rules::record* triaged_facts = &facts;
  rules::record received;  // the facts with received_at = at, when they have none
  if (has_receipt) {
    at = instant::from_unix(facts.numbers[received_slot]);
  } else {
    received = with_receipt(policy, facts, received_slot, *at);
    triaged_facts = &received;
  }
  rules::triage_result r = policy.triage(*triaged_facts);
  if (!plan) plan = std::make_shared<const ticket_plan>(plan_for(policy, *triaged_facts, &r));
  const tier decided = tier_named(r.tier);  // a triage below it needs a reason; every triage record keeps it
  ticket t(std::move(id), std::move(plan), *at, std::move(by), decided);
  use_policy_clocks(t, policy, *triaged_facts);  // named clocks (DOM-SLA-10)
  return {std::move(t), std::move(r)};
}

ticket open(const rules::triage_policy& policy, const rules::record& facts, std::optional<instant> at, std::string id,
            std::string by) {
  return open_triaged(policy, facts, at, std::move(id), std::move(by)).t;
}

}  // namespace kefu::ticket
