// kefu — triage: what users of kefu call. Given the facts of a complaint: its risk level and the
// signals behind it, the escalation tier and owners, the deadlines on the right calendars, and
// whether the customer may get money back — each answer traced to the rule (and handbook) that made it.
//
// A triage policy is a rules directory (the shipped rules/ or a retailer's own) holding:
//   facts.yaml        `facts:` the ticket facts vocabulary (docs/requirements.md §10): every field a ticket may give
//   policies named    risk (collect → highest level), escalation (collect → highest tier), tiers
//                     (first: targets and owners per tier), refund (first), sla-targets (collect),
//                     service-calendar (first: which calendars deadlines use); optionally customer-value (first:
//                     customer_tier from the customer value index when the ticket leaves it out, DOM-CH-3)
//   calendars/*.yaml  calendars those policies name (built-ins are used otherwise)
//   kpi/*.yaml        optional `targets:` and `scorecard:` files (docs/kpis.md); loaded and checked with the rest,
//                     their `calendar:` names resolved against the directory's calendars first
// Each policy's inputs must be fields of the vocabulary with the same type and values (an enum input
// that says `values: from facts` takes them from the vocabulary); derived
// fields (days_since_purchase, risk_level, tier, refund_decision …) are computed by triage in one
// place and may not be given.
#pragma once

#include <kefu/calendar/load.hpp>
#include <kefu/rules/clock_book.hpp>
#include <kefu/rules/partial.hpp>
#include <kefu/rules/policy.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kefu::kpi {
struct targets;
struct scorecard;
}  // namespace kefu::kpi

namespace kefu::rules {

class batch;
struct batch_options;
struct triage_columns;
struct triage_reuse;

struct risk_signal {
  std::string rule_id;
  std::string level;  ///< the level this signal alone gives
  std::string description;
  std::string source;
  std::vector<std::string> words;  ///< risk words found in the customer's text
};

struct risk_assessment {
  std::string level = "normal";  ///< normal | high | critical (the highest signal)
  std::vector<risk_signal> signals;
};

/// A deadline: what must happen, within what (on which clock), on which calendar, due when.
struct sla_deadline {
  std::string what;
  std::string within;    ///< "24h", "2 business hours", "7 workdays"
  std::string calendar;  ///< the calendar it was computed on ("" for wall-clock time)
  instant due;
  std::string rule_id;
  std::string source;
  /// The deadline rests on days past the calendar's official data (a projection, DOM-SLA-8): it may move
  /// when the year's holiday notice is loaded.
  bool provisional = false;
};

struct refund_assessment {
  std::string decision;  ///< refund | exchange | repair_free | repair_paid | compensate | deny | manual_review
  std::string rule_id;   ///< "" when the default decided
  std::string reason;
  std::string source;
};

/// An action the policies require (DOM-RISK-4): a code from the rules directory's action catalogue (actions.yaml)
/// with its owners and deadline, asked for by a rule of the risk, escalation, tiers, refund or sla-targets policy
/// through its `actions` output.
struct required_action {
  std::string code;         ///< e.g. delist_and_qc_test
  std::string description;  ///< what to do, from the catalogue
  std::vector<std::string> owners;
  std::string policy;    ///< the policy whose rule asked for it ("risk")
  std::string asked_by;  ///< that rule's id ("" when the policy's default asked)
  std::string source;    ///< the catalogue entry's source (handbook clause)
  /// Due `within` after receipt, on the calendar its clock names; none when the catalogue gives no `within`.
  std::optional<sla_deadline> deadline;
};

struct triage_result {
  risk_assessment risk;
  std::string tier;                     ///< L1 | L2 | L3
  std::vector<std::string> tier_rules;  ///< the escalation rules that gave the highest tier
  std::vector<std::string> owners;
  bool follow_up_required = false;
  bool report_required = false;
  /// Routed ahead of the queue (DOM-ESC-5, the VIP green channel): the escalation policy's optional bool output
  /// `priority_routing`, true when a rule that applies says so (false without that output).
  bool priority_routing = false;
  sla_deadline first_response, resolution;
  std::optional<sla_deadline> follow_up;
  std::vector<sla_deadline> targets;  ///< channel and category targets (DOM-SLA-5, DOM-SLA-6)
  /// The calendars the service-calendar policy chose for these facts: business hours and working days (what a
  /// deadline on that clock is counted on).
  std::string business_calendar, workday_calendar;
  refund_assessment refund;
  /// The customer value tier (DOM-CH-3): the `customer_tier` given, or, left out, the one the customer-value policy
  /// computed from the customer value index facts (customer_tier_computed); "" when neither.
  std::string customer_tier;
  bool customer_tier_computed = false;
  std::optional<std::int64_t> days_since_purchase;
  /// Actions the matched rules ask for, each once, in policy then rule order (DOM-RISK-4).
  std::vector<required_action> actions;
  std::string explanation;  ///< filled when triage is asked to explain
};

class triage_policy;

/// The triage of one ticket as codes (triage_policy::triage_compact): what a triage_result says, as indices into
/// the compiled policy that made it — no string is made until a part is spelled out. It refers to that policy
/// (keep the policy alive). docs/architecture.md, "Decision: compact triage results".
struct compact_triage {
  /// A deadline's due instant, and whether it rests on days past its calendar's official data (DOM-SLA-8).
  struct due_at {
    instant at;
    bool provisional = false;
  };
  /// A channel or category target: sla_targets().rules()[rule], due at `due`.
  struct target {
    std::uint32_t rule = 0;
    due_at due;
  };
  /// An action (DOM-RISK-4): action_entries()[code], asked by rule `rule` (−1: the default) of policy `policy`
  /// (policies() order); `due` when the catalogue gives it a `within`.
  struct action {
    std::uint32_t code = 0;
    std::uint32_t policy = 0;
    std::int32_t rule = -1;
    std::optional<due_at> due;
  };

  const triage_policy* policy = nullptr;
  /// Indices into the values of the risk policy's `level`, the tier fact and the refund policy's `decision`.
  std::int32_t risk_level = 0, tier = 0, refund_decision = 0;
  /// The tiers rule and the refund rule that decided (indices into their rules()); −1: the default.
  std::int32_t tiers_rule = -1, refund_rule = -1;
  /// Indices into the values of the service-calendar policy's business_hours and working_days outputs.
  std::int32_t business_calendar = 0, workday_calendar = 0;
  /// An index into the values of the customer_tier fact; −1 when neither given nor computed.
  std::int32_t customer_tier = -1;
  bool customer_tier_computed = false, follow_up_required = false, report_required = false, priority_routing = false;
  /// The owners: bit k is value k of the tiers policy's `owners` output.
  std::int64_t owners = 0;
  std::optional<std::int64_t> days_since_purchase;
  due_at first_response, resolution;
  std::optional<due_at> follow_up;
  std::vector<std::uint32_t> signals;     ///< risk().rules() indices of the signals, in order
  std::vector<std::uint32_t> tier_rules;  ///< escalation().rules() indices that gave the tier
  std::vector<target> targets;
  std::vector<action> actions;

  // Spelled out, each exactly as the field of the same name of triage_result.
  /// `facts`: the facts triaged (the signals' words are found again in their texts).
  risk_assessment risk(const record& facts) const;
  const std::string& risk_level_name() const;
  const std::string& tier_name() const;
  std::vector<std::string> tier_rule_ids() const;
  std::vector<std::string> owner_names() const;
  sla_deadline first_response_deadline() const;
  sla_deadline resolution_deadline() const;
  std::optional<sla_deadline> follow_up_deadline() const;
  sla_deadline target_deadline(std::size_t k) const;
  std::vector<sla_deadline> target_deadlines() const;
  const std::string& business_calendar_name() const;
  const std::string& workday_calendar_name() const;
  refund_assessment refund() const;
  std::string customer_tier_name() const;  ///< "" when none
  required_action required(std::size_t k) const;
  std::vector<required_action> required_actions() const;
  /// The whole triage_result (explanation empty).
  triage_result full(const record& facts) const;
};

namespace detail {
struct triage_plan;
}

/// Options for loading a rules directory.
/// What facts that leave some out settle (triage_policy::triage_partial, `kefu triage` on partial facts).
struct partial_triage {
  std::vector<std::string> missing;  ///< the facts not given that a policy reads (required ones included)
  /// The values each chained result can still take, lowest level first; one value means settled.
  std::vector<std::string> risk_levels, tiers, refund_decisions;
  /// Each policy's partial decision, in triage order (risk, escalation, tiers, refund, sla-targets,
  /// service-calendar), on the facts given and the results above that are settled.
  std::vector<std::pair<policy_ptr, partial_decision>> policies;
  /// Deadlines are computed only from a complete triage; this says why not.
  std::string deadlines_note;
};

struct load_options {
  /// Overrides every calendar's `beyond_official` (built-ins included): `error` makes the whole policy
  /// strict, so a deadline past the official calendar data raises calendar_range_error (DOM-SLA-8).
  std::optional<kefu::calendar::beyond_official> beyond_official;
  /// Runs the directory's rule tests (every `suite:` file below it, e.g. rules/tests/) against the policies
  /// just loaded, and refuses the directory when a case fails (policy_error, id kefu.rules.rule_test, at the
  /// case's file and line). On by default, so a truncated or half-written rules file cannot load silently;
  /// false is raw loading (the structural checks only), for tools that look at rules without deciding with them.
  bool run_rule_tests = true;
};

class triage_policy {
 public:
  /// Loads and cross-checks a rules directory and runs its rule tests (unless options.run_rule_tests is
  /// false); errors name the file, line and column. The one loading path: Python's Policy.load and
  /// kefu.default_policy(), triage_policy_handle and `kefu lint` of a rules directory all come here.
  static std::shared_ptr<const triage_policy> load_directory(const std::string& directory,
                                                             const load_options& options = {});

  const std::string& directory() const noexcept { return directory_; }
  const std::vector<field>& facts() const noexcept { return facts_; }
  const time_zone& zone() const noexcept { return zone_; }
  const policy& risk() const { return *risk_; }
  const policy& escalation() const { return *escalation_; }
  const policy& tiers() const { return *tiers_; }
  const policy& refund() const { return *refund_; }
  const policy& sla_targets() const { return *sla_; }
  const policy& service_calendar() const { return *service_calendar_; }
  std::vector<policy_ptr> policies() const { return {risk_, escalation_, tiers_, refund_, sla_, service_calendar_}; }
  /// The optional policy named customer-value (DOM-CH-3): `customer_tier` from the customer value index facts,
  /// evaluated before the risk policy when the ticket leaves customer_tier out and gives one of its inputs.
  /// Empty when the directory has none.
  const policy_ptr& customer_value() const noexcept { return customer_value_; }
  /// The directory's `targets:` and `scorecard:` files by the name each declares (kefu/kpi/load.hpp compiles
  /// them; include kefu/kpi/targets.hpp or scorecard.hpp to read them). Empty maps when it has none.
  const std::map<std::string, std::shared_ptr<const kefu::kpi::targets>>& kpi_targets() const noexcept { return targets_; }
  const std::map<std::string, std::shared_ptr<const kefu::kpi::scorecard>>& scorecards() const noexcept { return scorecards_; }
  /// The directory's named clocks and milestones (its `clocks:` document, DOM-SLA-10), or nullptr when it has none.
  const clock_book_ptr& clock_book() const noexcept { return clock_book_; }
  /// The part of clock_book() that applies to a ticket of these facts (by its category and business); the
  /// same pointer for every ticket of a category and business, nullptr without a clock book.
  clock_book_ptr clocks_for(const record& facts) const;
  /// The directory's own calendars by name (built-ins it does not override are not listed).
  const std::map<std::string, std::shared_ptr<const kefu::calendar::calendar>>& calendars() const noexcept { return calendars_; }
  /// How many rule-test cases passed when the directory was loaded (0 when loaded with run_rule_tests = false,
  /// or when it has no rule tests).
  std::size_t rule_test_cases() const noexcept { return rule_test_cases_; }
  /// Whether the rule tests ran at load (load_options::run_rule_tests).
  bool rule_tests_run() const noexcept { return rule_tests_run_; }

  /// Slot of a fact; kefu::error with a did-you-mean for a field the vocabulary does not have.
  std::size_t fact_slot(const std::string& name) const;
  /// Empty facts with the vocabulary's defaults.
  record make_facts() const;
  /// Sets a fact from text; errors name the fact; derived facts cannot be set.
  void set_fact(record& facts, std::size_t slot, const std::string& text) const;
  void set_fact(record& facts, const std::string& name, const std::string& text) const { set_fact(facts, fact_slot(name), text); }
  /// Sets a fact from an already typed value (same checks as set_fact).
  void set_fact_value(record& facts, std::size_t slot, value v) const;
  /// The same for a fact whose value is a number in its unit (every type but text): no value object, no string.
  void set_fact_number(record& facts, std::size_t slot, std::int64_t number) const;

  /// Triage one ticket. With `explain`, result.explanation holds every policy's reasoning. Without, it is
  /// triage_compact(facts).full(facts); with, the step-by-step path that spells each answer as it decides (the
  /// reference the compact path is tested against).
  triage_result triage(const record& facts, bool explain = false) const;
  /// The same triage as codes, nothing spelled out (compact_triage); the same errors as triage.
  compact_triage triage_compact(const record& facts) const;
  /// Triage as if the escalation policy had given `tier` (L1, L2, L3): that tier's owners, deadlines and
  /// follow-up/report terms for these facts. A ticket uses it for the tiers it may be escalated to.
  triage_result triage_at_tier(const record& facts, const std::string& tier) const;

  /// Triage on facts that may leave required ones out: every policy evaluated in three values
  /// (evaluate_partial), a chained result (risk level, tier, refund decision) passed on only when settled.
  partial_triage triage_partial(const record& facts) const;
  /// The same as text: what is not given, what is settled, and each policy's partial explanation.
  std::string explain_partial(const partial_triage& t) const;

  /// This rules directory with every effective-dated policy pinned to the version in force at `t` (DOM-RULE-1,
  /// policy::pinned): tickets are then judged by those rules whatever their receipt instant, e.g. to re-judge
  /// last year's tickets under next month's rules, or to compare two versions of one file (kefu diff --old-as-of).
  /// (A copy sharing the compiled policies; the same rules when none of its policies has versions.)
  std::shared_ptr<const triage_policy> as_of(instant t) const;

  /// The action catalogue (the directory's policy named `actions`, DOM-RISK-4), or nullptr when it has none.
  const policy* action_catalogue() const noexcept { return actions_.get(); }
  const policy_ptr& action_catalogue_ptr() const noexcept { return actions_; }
  /// One entry of the catalogue per action code (the catalogue's `action` values, in order).
  struct action_entry {
    std::string code, description, rule_id, source;
    std::vector<std::string> owners;
    std::optional<value> within;  ///< a deadline value, when the catalogue gives one
  };
  const std::vector<action_entry>& action_entries() const noexcept { return action_entries_; }
  /// The actions rule `rule` of policy `which` (policies() order) asks for, as a mask of action_entries() (bit k:
  /// entry k); index rules().size() is the default's. Empty vector for a policy without an `actions` output.
  const std::vector<std::uint64_t>& rule_actions(std::size_t which) const { return rule_actions_.at(which); }
  /// The codes of an actions mask, comma-separated as a report shows them ("delist_and_qc_test,report_level_1").
  std::string actions_text(std::uint64_t mask) const;

  /// A calendar by name: the directory's own first, then the built-ins.
  std::shared_ptr<const kefu::calendar::calendar> calendar(const std::string& name) const;

 private:
  friend triage_columns triage_rows(const batch& facts, const batch_options& options, std::int64_t forced_tier,
                                    const triage_reuse& reuse);
  friend struct compact_triage;
  triage_result triage_with(const record& facts, bool explain, std::int64_t forced_tier) const;
  compact_triage compact_with(const record& facts, std::int64_t forced_tier) const;
  /// plan_ from the policies (at load, and again after as_of).
  void make_plan();
  /// rule_actions_ from the policies' `actions` outputs and the catalogue (at load, and again after as_of).
  void resolve_rule_actions();
  /// The inputs of policy `which` (policies() order), picked from the facts by slot (no parsing, no copies).
  record inputs_of(std::size_t which, const record& facts) const;
  /// The customer tier the customer-value policy gives these facts (a value index of the customer_tier fact), or −1
  /// when it does not apply (no such policy, customer_tier given, none of its inputs given). Both triage paths call it.
  std::int64_t computed_customer_tier(const record& facts, std::string* explanation) const;

  std::string directory_;
  std::vector<field> facts_;
  time_zone zone_;
  policy_ptr risk_, escalation_, tiers_, refund_, sla_, service_calendar_;
  std::map<std::string, std::shared_ptr<const kefu::calendar::calendar>> calendars_;
  std::map<std::string, std::shared_ptr<const kefu::kpi::targets>> targets_;
  std::map<std::string, std::shared_ptr<const kefu::kpi::scorecard>> scorecards_;
  clock_book_ptr clock_book_;
  std::vector<clock_book_ptr> clock_books_;  // clocks_for's answers, by category × business value index
  std::size_t slot_category_ = static_cast<std::size_t>(-1), slot_business_ = static_cast<std::size_t>(-1);
  /// For each policy above (same order), the facts slot of each of its inputs.
  std::vector<std::vector<std::size_t>> input_slots_;
  std::vector<std::int64_t> default_numbers_;
  std::vector<std::string> default_texts_;
  std::vector<std::uint8_t> default_present_;
  policy_ptr actions_;
  std::vector<action_entry> action_entries_;
  std::vector<std::vector<std::uint64_t>> rule_actions_;  ///< per policy (policies() order), per rule + default
  std::shared_ptr<const detail::triage_plan> plan_;  ///< what triage_compact works out once (triage.cpp)
  std::size_t rule_test_cases_ = 0;
  bool rule_tests_run_ = false;
  policy_ptr customer_value_;                      // optional (DOM-CH-3)
  std::vector<std::size_t> customer_value_slots_;  // the facts slot of each of its inputs
  std::size_t slot_customer_tier_ = static_cast<std::size_t>(-1);  // npos: the vocabulary has no customer_tier
  std::size_t slot_received_ = 0, slot_purchased_ = 0, slot_days_ = 0, slot_known_ = 0, slot_risk_ = 0, slot_tier_ = 0,
              slot_refund_ = 0;
};

using triage_policy_ptr = std::shared_ptr<const triage_policy>;

}  // namespace kefu::rules
