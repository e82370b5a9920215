// kefu — umbrella header: everything a backend needs.
#pragma once

#include <kefu/error.hpp>
#include <kefu/money.hpp>
#include <kefu/privacy.hpp>
#include <kefu/rules/catalog.hpp>
#include <kefu/time.hpp>
#include <kefu/version.hpp>
