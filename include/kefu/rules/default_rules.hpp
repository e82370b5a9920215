// kefu — where the default rules are: the handbooks' policies, calendars, KPI files and rule tests that come
// with kefu (the source tree's rules/, installed as share/kefu/rules).
//
//   auto policy = kefu::rules::triage_policy::load_directory(kefu::rules::default_rules_dir());
//
// The kefu::kefu CMake target tells the programs that link it where that directory is, by defining
// KEFU_DEFAULT_RULES_DIR for them: find_package(kefu) gives the installed share/kefu/rules (wherever the
// installation was moved), add_subdirectory(kefu) the source tree's rules/. A program built without kefu's
// CMake files defines it itself (-DKEFU_DEFAULT_RULES_DIR="/usr/share/kefu/rules") or passes a directory of
// its own to load_directory; without the definition default_rules_dir() is not declared, so the mistake
// shows when compiling, not at run time.
#pragma once

#include <string>

namespace kefu::rules {

#ifdef KEFU_DEFAULT_RULES_DIR
/// The default rules directory of the kefu this program was built against (see above).
inline std::string default_rules_dir() { return KEFU_DEFAULT_RULES_DIR; }
#endif

}  // namespace kefu::rules
