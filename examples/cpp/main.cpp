// A backend's first contact with kefu: exact money, instants in the store's zone, the rules it ships.
#include <kefu/kefu.hpp>

#include <iostream>

int main(int argc, char** argv) {
  const std::string rules_dir = argc > 1 ? argv[1] : KEFU_EXAMPLE_RULES_DIR;
  try {
    const auto zone = kefu::time_zone::parse("Asia/Shanghai");
    const kefu::instant received = kefu::parse_instant("2026-02-14T23:30:00+08:00");
    const kefu::money claimed = kefu::money::parse("¥1,000.01");

    std::cout << "kefu " << kefu::version_string << "\n";
    std::cout << "received " << kefu::format_instant(received, zone) << " = local date "
              << kefu::format_date(zone.local_date(received)) << "\n";
    std::cout << "claimed " << claimed.to_display() << " over ¥1000: " << std::boolalpha
              << (claimed > kefu::money::from_yuan(1000)) << "\n";
    for (const auto& doc : kefu::rules::scan_rules_directory(rules_dir))
      std::cout << kefu::rules::to_string(doc.kind) << ' ' << doc.name << " (" << doc.path << ", " << doc.entries
                << " entries)\n";
  } catch (const kefu::error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
