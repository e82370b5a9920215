// kefu — the lifecycle's own description: its transition table and the diagrams drawn from it.
#include "table.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kefu::ticket {

const std::vector<transition_info>& transitions() {
  static const std::vector<transition_info> list = [] {
    std::vector<transition_info> out;
    for (const auto& r : table::rows) {
      const bool progress_row = r.region == table::progress_region;
      const char* from = progress_row ? to_string(static_cast<progress>(r.from)) : to_string(static_cast<tier>(r.from));
      const char* to = progress_row ? to_string(static_cast<progress>(r.to)) : to_string(static_cast<tier>(r.to));
      out.push_back({progress_row ? "progress" : "escalation", from, to_string(r.ev), to,
                     table::guard_names[static_cast<std::size_t>(r.guard)], r.internal});
    }
    return out;
  }();
  return list;
}

std::string graph_mermaid() {
  std::string out = "stateDiagram-v2\n  state ticket {\n    [*] --> received\n";
  bool second = false;
  for (const auto& t : transitions()) {
    if (!second && std::string_view(t.region) == "escalation") {
      out += "    --\n    [*] --> L1\n";
      second = true;
    }
    out += std::string("    ") + t.from + " --> " + t.to + " : " + t.event;
    if (*t.guard) out += std::string(" [") + t.guard + "]";
    out += '\n';
  }
  out += "  }\n";
  return out;
}

std::string graph_dot() {
  std::string out = "digraph ticket {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n";
  const char* regions[] = {"progress", "escalation"};
  const char* initial[] = {"received", "L1"};
  for (int r = 0; r < 2; ++r) {
    out += std::string("  subgraph cluster_") + regions[r] + " {\n    label=\"" + regions[r] + "\";\n";
    out += std::string("    start_") + regions[r] + " [shape=point];\n    start_" + regions[r] + " -> " + initial[r] + ";\n";
    for (const auto& t : transitions()) {
      if (std::string_view(t.region) != regions[r]) continue;
      out += std::string("    ") + t.from + " -> " + t.to + " [label=\"" + t.event;
      if (*t.guard) out += std::string(" [") + t.guard + "]";
      out += "\"];\n";
    }
    out += "  }\n";
  }
  out += "}\n";
  return out;
}

}  // namespace kefu::ticket
