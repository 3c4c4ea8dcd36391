#include "daemon/ctl_app.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "daemon/rules_loader.hpp"
#include "daemon/version.hpp"

namespace hotline::daemon {
namespace {

int rules_check(const std::string& dir) {
  const auto result = load_rules(dir);
  std::size_t errors = 0;
  std::size_t warnings = 0;
  for (const auto& d : result.diagnostics) {
    std::cerr << d.to_string() << '\n';
    (d.severity == routing::Severity::error ? errors : warnings)++;
  }
  if (!result.rule_set) {
    std::cerr << dir << ": " << errors << " error(s), " << warnings << " warning(s); rules rejected\n";
    return 1;
  }
  const auto& r = *result.rule_set;
  std::cout << dir << ": OK — " << r.units().size() << " units, " << r.divisions().size() << " divisions, "
            << r.matters().size() << " matters, " << r.rules().size() << " rules; " << warnings
            << " warning(s); version " << r.version() << '\n';
  return 0;
}

}  // namespace

int run_ctl(int argc, char** argv) {
  CLI::App app{"hotlinectl — command line for hotline rule authors, operators and admins"};
  app.set_version_flag("--version", std::string("hotlinectl ") + k_version);
  app.require_subcommand(1);

  auto* rules = app.add_subcommand("rules", "check and test dispatch rules");
  rules->require_subcommand(1);
  std::string check_dir = "rules";
  auto* check = rules->add_subcommand("check", "validate a rules folder; exit 1 listing every error");
  check->add_option("DIR", check_dir, "rules folder")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (check->parsed()) return rules_check(check_dir);
  return 2;
}

}  // namespace hotline::daemon
