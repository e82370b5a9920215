// kefu — umbrella header: the whole public API (a test keeps this list complete). Include the one
// header you need instead when compile time matters; each header includes what it uses.
#pragma once

#include <kefu/error.hpp>
#include <kefu/money.hpp>
#include <kefu/privacy.hpp>
#include <kefu/time.hpp>
#include <kefu/version.hpp>

#include <kefu/calendar/calendar.hpp>
#include <kefu/calendar/definition.hpp>
#include <kefu/calendar/duration.hpp>
#include <kefu/calendar/load.hpp>
#include <kefu/calendar/notice.hpp>
#include <kefu/calendar/projection.hpp>
#include <kefu/calendar/sla_clock.hpp>

#include <kefu/rules/batch.hpp>
#include <kefu/rules/catalog.hpp>
#include <kefu/rules/clock_book.hpp>
#include <kefu/rules/default_rules.hpp>
#include <kefu/rules/keywords.hpp>
#include <kefu/rules/mutation.hpp>
#include <kefu/rules/partial.hpp>
#include <kefu/rules/policy.hpp>
#include <kefu/rules/policy_handle.hpp>
#include <kefu/rules/suite.hpp>
#include <kefu/rules/triage.hpp>
#include <kefu/rules/triage_columns.hpp>
#include <kefu/rules/triage_diff.hpp>
#include <kefu/rules/value.hpp>

#include <kefu/kpi/kpi.hpp>
#include <kefu/kpi/load.hpp>
#include <kefu/kpi/metrics.hpp>
#include <kefu/kpi/qc_sampler.hpp>
#include <kefu/kpi/records.hpp>
#include <kefu/kpi/scorecard.hpp>
#include <kefu/kpi/sketch.hpp>
#include <kefu/kpi/table.hpp>
#include <kefu/kpi/targets.hpp>
#include <kefu/kpi/training.hpp>

#include <kefu/ticket/from_triage.hpp>
#include <kefu/ticket/open.hpp>
#include <kefu/ticket/replay.hpp>
#include <kefu/ticket/named_clocks.hpp>
#include <kefu/ticket/ticket.hpp>
