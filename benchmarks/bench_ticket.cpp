// Ticket lifecycle: event dispatch through the MSM machine with clock updates and audit append.
#include <kefu/ticket/ticket.hpp>

#include <benchmark/benchmark.h>

using namespace kefu::ticket;

namespace {
const kefu::instant t0 = kefu::parse_instant("2026-03-02T09:00:00+08:00");

event at(event_kind k, std::int64_t s) { return event::make(k, t0 + kefu::seconds(s), "agent"); }

/// One L1 lifecycle: triage, start, 4 × (request_info, customer_reply), resolve, close = 12 events.
void lifecycle(ticket& t) {
  std::int64_t s = 60;
  t.fire(event::triage(t0 + kefu::seconds(s), "agent", tier::L1));
  t.fire(at(event_kind::start, s += 60));
  for (int i = 0; i < 4; ++i) {
    t.fire(at(event_kind::request_info, s += 60));
    t.fire(at(event_kind::customer_reply, s += 60));
  }
  t.fire(at(event_kind::resolve, s += 60));
  t.fire(at(event_kind::close, s += 60));
}

void BM_TicketLifecycle(benchmark::State& state) {
  const auto plan = default_plan();
  std::size_t bytes = 0;
  for (auto _ : state) {
    ticket t("T", plan, t0);
    lifecycle(t);
    benchmark::DoNotOptimize(t.history().data());
    bytes = sizeof(ticket) + t.history().capacity() * sizeof(audit_record);
  }
  state.SetItemsProcessed(state.iterations() * 12);
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(state.iterations() * 12), benchmark::Counter::kIsRate);
  state.counters["history_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_TicketLifecycle);

/// Pure dispatch: hand_off / internal_reply (no clock change, audit append only). The ticket is renewed every
/// 4,096 events (outside the timing) so the history stays the size of a long-lived ticket's, not millions.
void BM_TicketDispatchWithAudit(benchmark::State& state) {
  auto fresh = [] {
    ticket t("T", default_plan(), t0);
    t.fire(event::triage(t0, "agent", tier::L1));
    t.fire(at(event_kind::start, 0));
    return t;
  };
  ticket t = fresh();
  const event off = at(event_kind::hand_off, 1), back = at(event_kind::internal_reply, 1);
  std::int64_t n = 0;
  for (auto _ : state) {
    t.fire(off);
    t.fire(back);
    n += 2;
    if (t.history().size() >= 4096) {
      state.PauseTiming();
      t = fresh();
      state.ResumeTiming();
    }
  }
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TicketDispatchWithAudit);

void BM_TicketRejected(benchmark::State& state) {
  ticket t("T", default_plan(), t0);
  const event bad = at(event_kind::close, 1);
  for (auto _ : state) {
    try {
      t.fire(bad);
    } catch (const transition_error& e) {
      benchmark::DoNotOptimize(e.what());
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TicketRejected);

void BM_TicketSnapshotRoundTrip(benchmark::State& state) {
  const auto plan = default_plan();
  ticket t("T", plan, t0);
  lifecycle(t);
  const std::string json = t.to_json();
  for (auto _ : state) benchmark::DoNotOptimize(ticket::from_json(json, plan));
  state.counters["json_bytes"] = static_cast<double>(json.size());
}
BENCHMARK(BM_TicketSnapshotRoundTrip);

void BM_TicketSnapshotWrite(benchmark::State& state) {
  ticket t("T", default_plan(), t0);
  lifecycle(t);
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string json = t.to_json();
    bytes = json.size();
    benchmark::DoNotOptimize(json.data());
  }
  state.counters["json_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_TicketSnapshotWrite);

/// Memory per ticket after a 12-event lifecycle: the ticket, its impl, clocks and history (approximate:
/// sizeof of the parts plus the capacity of the vectors and strings it owns).
void BM_TicketMemory(benchmark::State& state) {
  const auto plan = default_plan();
  for (auto _ : state) {
    ticket t("T-000001", plan, t0);
    lifecycle(t);
    benchmark::DoNotOptimize(t);
  }
  ticket t("T-000001", plan, t0);
  lifecycle(t);
  std::size_t bytes = sizeof(ticket) + t.history().capacity() * sizeof(audit_record);
  for (std::size_t c = 0; c < clock_count; ++c)
    if (const auto* k = t.clock(static_cast<clock_name>(c)))
      bytes += sizeof(kefu::calendar::sla_clock) + k->events().capacity() * sizeof(kefu::calendar::clock_event);
  bytes += sizeof(ticket_plan) + 512;  // the impl's plan copy, ids and machine (upper estimate)
  state.counters["bytes_per_ticket"] = static_cast<double>(bytes);
  state.counters["history_records"] = static_cast<double>(t.history().size());
  state.counters["sizeof_audit_record"] = static_cast<double>(sizeof(audit_record));
}
BENCHMARK(BM_TicketMemory);
}  // namespace
