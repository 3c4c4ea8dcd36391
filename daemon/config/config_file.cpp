#include "daemon/config/config_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hotline::daemon {

namespace fs = std::filesystem;

std::string default_config_path(const std::string& executable, const std::string& installed_config) {
  if (!executable.starts_with("/usr/")) return {};
  std::error_code ec;
  return fs::is_regular_file(installed_config, ec) ? installed_config : std::string();
}

std::string running_executable() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.string();
}

std::string choose_config_file(const std::string& given) {
  return given.empty() ? default_config_path(running_executable()) : given;
}

std::optional<Config> load_config_file(const std::string& path, std::vector<routing::Diagnostic>& errors) {
  std::error_code ec;
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path, ec)) {
    errors.push_back({path, 0, 0,
                      "cannot read config file: " + std::string(fs::exists(path, ec) ? "unreadable" : "no such file"),
                      routing::Severity::error});
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto config = parse_config(path, text.str(), errors);
  if (!errors.empty()) return std::nullopt;
  return config;
}

}  // namespace hotline::daemon
