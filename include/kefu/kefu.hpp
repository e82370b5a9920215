// kefu — umbrella header: everything a backend needs.
#pragma once

#include <kefu/error.hpp>
#include <kefu/calendar/calendar.hpp>
#include <kefu/calendar/duration.hpp>
#include <kefu/calendar/load.hpp>
#include <kefu/calendar/sla_clock.hpp>
#include <kefu/money.hpp>
#include <kefu/privacy.hpp>
#include <kefu/rules/catalog.hpp>
#include <kefu/time.hpp>
#include <kefu/version.hpp>
