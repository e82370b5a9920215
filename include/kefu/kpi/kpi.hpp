// kefu — KPIs and scorecards over ticket records: everything in include/kefu/kpi/.
#pragma once

#include <kefu/kpi/load.hpp>
#include <kefu/kpi/metrics.hpp>
#include <kefu/kpi/qc_sampler.hpp>
#include <kefu/kpi/records.hpp>
#include <kefu/kpi/scorecard.hpp>
#include <kefu/kpi/sketch.hpp>
#include <kefu/kpi/table.hpp>
#include <kefu/kpi/targets.hpp>
