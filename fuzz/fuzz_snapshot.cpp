// Ticket snapshots (JSON): restore, and a restored ticket writes a snapshot that restores to an equal ticket.
#include <kefu/calendar/load.hpp>
#include <kefu/ticket/ticket.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto resolve = [](const std::string& name) { return kefu::calendar::builtin(name); };
  kefu_fuzz::refused_cleanly([&] {
    const auto t = kefu::ticket::ticket::from_json(kefu_fuzz::text(data, size), resolve);
    const std::string again = t.to_json();
    try {
      if (!(kefu::ticket::ticket::from_json(again, resolve) == t)) kefu_fuzz::broken("snapshot round trip differs:\n" + again);
    } catch (const kefu::error& e) {
      kefu_fuzz::broken(std::string("a snapshot kefu wrote does not restore: ") + e.what() + "\n" + again);
    }
  });
  return 0;
}
