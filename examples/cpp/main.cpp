// A small customer-service backend on kefu: it loads the handbooks' policy, triages a complaint that
// arrives on the eve of Spring Festival, computes deadlines on China's working-day calendar (调休 included),
// opens a ticket, works it through its lifecycle, snapshots it and restores it.
//
// kefu's tests build it against an installed kefu (find_package) and with kefu added as a subdirectory,
// run it, and compare what it prints with expected_output.txt, line for line.
//
//   kefu_example [RULES_DIR]     (default: the rules that came with this kefu)
#include <kefu/kefu.hpp>

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

// "2026-02-14 11:00 (Sat)": how the service desk reads an instant.
std::string local(kefu::instant t, const kefu::time_zone& zone) {
  static const char* const weekday[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  std::string s = kefu::format_instant(t, zone);  // 2026-02-14T11:00:00+08:00
  const std::int64_t day = zone.local_day(t);     // 1970-01-01 was a Thursday
  return s.substr(0, 10) + ' ' + s.substr(11, 5) + " (" + weekday[((day % 7) + 10) % 7] + ')';
}

void print_clock(const char* name, const std::optional<kefu::calendar::sla_status>& s, const kefu::time_zone& zone) {
  if (!s) return;
  std::cout << "  " << name << ": " << kefu::calendar::to_string(s->state) << ", due " << local(s->due, zone)
            << (s->paused ? ", paused" : "") << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  namespace kr = kefu::rules;
  namespace kt = kefu::ticket;
  try {
    // 1. The policy: facts vocabulary, risk, escalation, tiers, refund, SLA targets and calendars. Load it
    //    once; it is immutable, so every thread of the service can share it.
    const auto policy = kr::triage_policy::load_directory(argc > 1 ? argv[1] : kr::default_rules_dir());
    const kefu::time_zone& zone = policy->zone();

    // 2. A complaint by phone, Friday 13 February 2026, 16:00 — Spring Festival runs 15–23 February.
    kr::record facts = policy->make_facts();
    policy->set_fact(facts, "ticket_id", "T-20260213-0042");
    policy->set_fact(facts, "business", "mall");
    policy->set_fact(facts, "channel", "phone");
    policy->set_fact(facts, "category", "quality_defect");
    policy->set_fact(facts, "received_at", "2026-02-13T16:00:00+08:00");
    policy->set_fact(facts, "purchased_at", "2026-02-10");
    policy->set_fact(facts, "has_receipt", "true");
    policy->set_fact(facts, "claimed_amount", "¥1,299.00");
    policy->set_fact(facts, "customer_phone", "13812345678");  // personal: never printed
    policy->set_fact(facts, "text", "电饭煲用了两天就坏了，不给退我就发微博曝光");
    const kr::triage_result r = policy->triage(facts);

    std::cout << "triage\n";
    std::cout << "  risk " << r.risk.level << " (";
    for (std::size_t i = 0; i < r.risk.signals.size(); ++i) std::cout << (i ? ", " : "") << r.risk.signals[i].rule_id;
    std::cout << ")\n  tier " << r.tier << ", owners";
    for (const auto& o : r.owners) std::cout << ' ' << o;
    std::cout << (r.report_required ? ", written report required" : "") << "\n";
    std::cout << "  first response within " << r.first_response.within << ": " << local(r.first_response.due, zone) << "\n";
    std::cout << "  resolution within " << r.resolution.within << " on " << r.resolution.calendar << ": "
              << local(r.resolution.due, zone) << "\n";
    std::cout << "  refund decision: " << r.refund.decision << " (" << r.refund.rule_id << ")\n";

    // 3. Deadlines across 调休: Saturday 14 February is a make-up working day, 15–23 are days off.
    const kefu::instant received = kefu::parse_instant("2026-02-13T16:00:00+08:00");
    const auto office = policy->calendar("cn-office");      // 09:00–12:00, 13:30–18:00 on working days
    const auto mainland = policy->calendar("cn-mainland");  // whole working days
    const kefu::calendar::day_info saturday = mainland->info(zone.local_day(received) + 1);
    std::cout << "calendar\n  " << kefu::format_days(saturday.day) << ' ' << kefu::calendar::to_string(saturday.kind)
              << ' ' << saturday.name << "\n";
    for (const char* within : {"4 business hours", "3 workdays"}) {
      const auto cal = std::string(within).find("business") != std::string::npos ? office : mainland;
      std::cout << "  " << within << " on " << cal->name() << ": "
                << local(cal->add(received, kefu::calendar::parse_duration(within)), zone) << "\n";
    }

    // 4. The ticket: opened from the same facts, held to the policy's terms for every tier.
    kt::ticket t = kt::open(*policy, facts, std::nullopt, {}, "hotline");
    auto at = [](const char* text) { return kefu::parse_instant(text); };
    t.fire(kt::event::triage(at("2026-02-13T16:05:00+08:00"), "alice", *kt::parse_tier(r.tier)));
    t.fire(kt::event::make(kt::event_kind::start, at("2026-02-13T16:30:00+08:00"), "alice"));
    t.fire(kt::event::make(kt::event_kind::request_info, at("2026-02-14T10:00:00+08:00"), "alice", "photos of the label"));
    t.fire(kt::event::make(kt::event_kind::customer_reply, at("2026-02-24T09:00:00+08:00"), "customer"));
    // The 23 hours of working time it waited on the customer (Saturday 10:00–24:00, Tuesday 00:00–09:00)
    // move the resolution deadline from 3 March 00:00 to 23:00; the holidays in between cost nothing.
    std::cout << "ticket " << t.id() << " " << kt::to_string(t.current()) << " after " << t.history().size() << " events\n";
    print_clock("first_response", t.sla(at("2026-02-24T09:00:00+08:00"))[kt::clock_name::first_response], zone);
    print_clock("resolution", t.sla(at("2026-02-24T09:00:00+08:00"))[kt::clock_name::resolution], zone);
    t.fire(kt::event::make(kt::event_kind::resolve, at("2026-02-26T15:00:00+08:00"), "alice", "refunded ¥1,299.00"));
    try {
      t.fire(kt::event::make(kt::event_kind::close, at("2026-02-26T15:30:00+08:00"), "alice"));
    } catch (const kt::transition_error& e) {  // the ticket is unchanged
      std::cout << "refused: " << e.reason() << "\n";
    }

    // 5. Snapshot (what the service stores), restore (after a restart), carry on.
    const std::string snapshot = t.to_json();
    kt::ticket back = kt::ticket::from_json(snapshot, [&](const std::string& name) { return policy->calendar(name); });
    std::cout << "snapshot restored, equal to the ticket: " << std::boolalpha << (back == t) << "\n";
    back.fire(kt::event::make(kt::event_kind::attach_report, at("2026-02-26T16:00:00+08:00"), "alice", "QC-2026-17"));
    back.fire(kt::event::make(kt::event_kind::close, at("2026-02-26T16:30:00+08:00"), "alice"));
    std::cout << "ticket " << back.id() << " " << kt::to_string(back.current()) << "\n";
    print_clock("resolution", back.sla(at("2026-02-26T16:30:00+08:00"))[kt::clock_name::resolution], zone);
    std::cout << "history\n";
    for (const kt::audit_record& h : back.history())
      std::cout << "  " << local(h.what.at, zone) << ' ' << h.what.by << ' ' << kt::to_string(h.what.kind) << ' '
                << kt::to_string(h.from) << " -> " << kt::to_string(h.to) << "\n";

    // 6. Many tickets at once, as columns (a night's re-triage, a report): enum facts as the index of their
    //    value, instants in seconds since 1970-01-01Z, texts as views. Each row is triaged as triage() would.
    auto code = [&](const char* fact, const char* value) {
      return static_cast<std::int64_t>(policy->facts()[policy->fact_slot(fact)].value_index(value));
    };
    const std::vector<std::int64_t> business{code("business", "mall"), code("business", "fresh"), code("business", "ecommerce")};
    const std::vector<std::int64_t> channel{code("channel", "phone"), code("channel", "online"), code("channel", "email")};
    const std::vector<std::int64_t> category{code("category", "quality_defect"), code("category", "live_seafood_dead"),
                                             code("category", "consultation")};
    const std::vector<std::int64_t> received_at(3, received.unix_seconds());
    const std::vector<std::string_view> text{"电饭煲坏了，不给退我就发微博曝光", "鲍鱼到家就死了", "发票怎么开"};
    kr::batch many(*policy, 3);
    many.numbers("business", business.data()).numbers("channel", channel.data()).numbers("category", category.data())
        .numbers("received_at", received_at.data()).texts("text", text.data());
    const kr::triage_columns c = kr::triage_batch(many);
    const auto& tiers = policy->facts()[policy->fact_slot("tier")].values;
    std::cout << "three tickets by columns\n";
    for (std::size_t i = 0; i < c.size(); ++i)
      std::cout << "  " << tiers[static_cast<std::size_t>(c.tier[i])] << ", resolution due "
                << local(kefu::instant::from_unix(c.resolution_due[i]), zone) << "\n";
    // The same tickets under the same rules: a diff (kefu diff) finds nothing to report.
    std::cout << "  changes under the same rules: " << kr::diff_policies(*policy, *policy, many).size() << "\n";
  } catch (const kefu::error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
