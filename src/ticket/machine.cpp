// kefu — the ticket lifecycle machine: Boost.MSM rows generated from the one transition table (table.hpp).
// The ONLY translation unit that includes Boost.MSM's back end: the configuration macros below must precede
// every MPL/Fusion/MSM include and stay in this file. Nothing else lives here, so a change to the ticket, its
// clocks, snapshots or diagrams does not recompile the machine.
#define BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS
#define BOOST_MPL_LIMIT_VECTOR_SIZE 50
#define BOOST_MPL_LIMIT_MAP_SIZE 50
#define FUSION_MAX_VECTOR_SIZE 20

#include "machine.hpp"
#include "table.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <boost/mpl/vector.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/back/tools.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#pragma GCC diagnostic pop

#include <array>
#include <type_traits>
#include <utility>

namespace kefu::ticket {

namespace msm = boost::msm;
namespace msmf = boost::msm::front;

namespace {

using table::guard_id;
using table::rows;

template <progress P_>
struct pstate : msmf::state<> {};
template <tier T_>
struct tstate : msmf::state<> {};
template <event_kind K>
struct ev {
  const event* e;
};

template <std::size_t Region, int S>
struct state_of;
template <int S>
struct state_of<table::progress_region, S> {
  using type = pstate<static_cast<progress>(S)>;
};
template <int S>
struct state_of<table::escalation_region, S> {
  using type = tstate<static_cast<tier>(S)>;
};

/// What guards read: the state before the event (regions are processed one after the other, so the
/// escalation region must not see progress already moved by the progress region) and the plan.
struct context {
  state pre;
  const ticket_plan* plan;
  const std::function<void(event_kind)>* hook = nullptr;  // tests only: runs inside every action
};

bool check(guard_id g, const context& c, const ticket_flags& f, const event& e) {
  switch (g) {
    case guard_id::none: return true;
    case guard_id::triaged: return c.pre.where != progress::received;
    case guard_id::close_ok: {
      const tier_targets& t = c.plan->of(c.pre.level);
      return (!t.follow_up_required || f.followed_up) && (!t.report_required || f.report_attached) &&
             (!c.plan->reports.level_1_required || f.reported >= 1);
    }
    case guard_id::satisfied: return e.satisfied;
    case guard_id::unsatisfied: return !e.satisfied;
    case guard_id::within_window: return f.closed_at && e.at - *f.closed_at <= c.plan->reopen_window;
    case guard_id::triage_to_L2: return c.pre.where == progress::received && e.to == tier::L2;
    case guard_id::triage_to_L3: return c.pre.where == progress::received && e.to == tier::L3;
    case guard_id::open: return is_open(c.pre.where);
    case guard_id::report_1_ok: return is_open(c.pre.where) && f.reported == 0;
    case guard_id::report_2_ok: return is_open(c.pre.where) && f.reported == 1;
    case guard_id::improvement_ok: return c.pre.where == progress::resolved || c.pre.where == progress::closed;
  }
  return false;
}

/// The flags an accepted row changes (its clock effects are the table's, applied by clocks.cpp).
void act(event_kind kind, ticket_flags& f, const event& e, const context& c) {
  if (c.hook && *c.hook) (*c.hook)(e.kind);
  switch (kind) {
    case event_kind::follow_up:
      f.followed_up = e.satisfied;
      if (!e.satisfied) ++f.reopen_count;
      break;
    case event_kind::resolve: f.followed_up = false; break;
    case event_kind::close: f.closed_at = e.at; break;
    case event_kind::reopen:
      ++f.reopen_count;
      f.followed_up = false;
      f.closed_at.reset();
      break;
    case event_kind::attach_report: f.report_attached = true; break;
    case event_kind::report_level_1: f.reported = 1; break;
    case event_kind::report_level_2: f.reported = 2; break;
    case event_kind::track_improvement: ++f.improvements; break;
    default: break;
  }
}

template <std::size_t I>
struct row_action {
  template <class Evt, class Fsm, class S, class Tg>
  void operator()(const Evt& e, Fsm& fsm, S&, Tg&) const {
    act(rows[I].ev, fsm.flags, *e.e, *fsm.ctx);
    if (rows[I].region == table::progress_region) fsm.progress_row = static_cast<int>(I);
  }
};
template <std::size_t I>
struct row_guard {
  template <class Evt, class Fsm, class S, class Tg>
  bool operator()(const Evt& e, Fsm& fsm, S&, Tg&) const {
    return check(rows[I].guard, *fsm.ctx, fsm.flags, *e.e);
  }
};

template <std::size_t I>
struct row_of {
  static constexpr table::row_def r = rows[I];
  using source = typename state_of<r.region, r.from>::type;
  using target = std::conditional_t<r.internal, msmf::none, typename state_of<r.region, r.to>::type>;
  using type = msmf::Row<source, ev<r.ev>, target, row_action<I>, row_guard<I>>;
};

template <std::size_t... I>
boost::mpl::vector<typename row_of<I>::type...> make_table(std::index_sequence<I...>);

struct front : msmf::state_machine_def<front> {
  using no_exception_thrown = int;  // exceptions propagate (MSM's default would swallow them)
  using no_message_queue = int;
  using initial_state = boost::mpl::vector<pstate<progress::received>, tstate<tier::L1>>;
  using transition_table = decltype(make_table(std::make_index_sequence<table::row_count>{}));

  const context* ctx = nullptr;
  ticket_flags flags;
  bool rejected = false;
  int progress_row = -1;

  template <class Fsm, class Evt>
  void no_transition(const Evt&, Fsm&, int) {
    rejected = true;
  }
};

using machine = msm::back::state_machine<front>;
using stt = machine::stt;

// MSM state id ↔ stable name.
struct id_maps {
  std::array<int, 32> index_of{};
  std::array<int, progress_count> progress_id{};
  std::array<int, tier_count> tier_id{};
};
template <std::size_t... P_, std::size_t... T_>
constexpr id_maps make_id_maps(std::index_sequence<P_...>, std::index_sequence<T_...>) {
  id_maps m;
  const int pids[] = {msm::back::get_state_id<stt, pstate<static_cast<progress>(P_)>>::value...};
  const int tids[] = {msm::back::get_state_id<stt, tstate<static_cast<tier>(T_)>>::value...};
  for (std::size_t i = 0; i < progress_count; ++i) {
    m.progress_id[i] = pids[i];
    m.index_of[static_cast<std::size_t>(pids[i])] = static_cast<int>(i);
  }
  for (std::size_t i = 0; i < tier_count; ++i) {
    m.tier_id[i] = tids[i];
    m.index_of[static_cast<std::size_t>(tids[i])] = static_cast<int>(i);
  }
  return m;
}
// The ids are MSM's compile-time constants: the maps are too (no guarded static to check per event).
constexpr id_maps ids = make_id_maps(std::make_index_sequence<progress_count>{}, std::make_index_sequence<tier_count>{});

/// A started back end in received/L1, copied for every event (two state ids and the front's few fields).
const machine& prototype() {
  static const machine m = [] {
    machine x;
    x.start();
    return x;
  }();
  return m;
}

template <event_kind K>
boost::msm::back::HandledEnum dispatch_one(machine& m, const event& e) {
  return m.process_event(ev<K>{&e});
}
using dispatch_fn = boost::msm::back::HandledEnum (*)(machine&, const event&);
template <std::size_t... K>
constexpr std::array<dispatch_fn, event_kind_count> make_dispatch(std::index_sequence<K...>) {
  return {&dispatch_one<static_cast<event_kind>(K)>...};
}
constexpr std::array<dispatch_fn, event_kind_count> dispatchers =
    make_dispatch(std::make_index_sequence<event_kind_count>{});

}  // namespace

machine_result run_machine(state pre, const ticket_flags& flags, const event& e, const ticket_plan& plan,
                           const std::function<void(event_kind)>* hook) {
  const id_maps& i = ids;
  machine m(prototype());
  // MSM has no setter for the active states; current_state() points at the back end's own (non-const) state
  // array. The states have no entry or exit actions and no history, so setting the ids is being in them.
  int* active = const_cast<int*>(m.current_state());
  active[table::progress_region] = i.progress_id[static_cast<std::size_t>(pre.where)];
  active[table::escalation_region] = i.tier_id[static_cast<std::size_t>(pre.level)];
  m.flags = flags;
  const context c{pre, &plan, hook};
  m.ctx = &c;
  const auto handled = dispatchers[static_cast<std::size_t>(e.kind)](m, e);
  machine_result r;
  r.accepted = !m.rejected && (handled & boost::msm::back::HANDLED_TRUE) != 0;
  const int* now = m.current_state();
  r.post = {static_cast<progress>(i.index_of[static_cast<std::size_t>(now[table::progress_region])]),
            static_cast<tier>(i.index_of[static_cast<std::size_t>(now[table::escalation_region])])};
  r.flags = m.flags;
  r.progress_row = m.progress_row;
  return r;
}

}  // namespace kefu::ticket
