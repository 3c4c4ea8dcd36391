// Which hotline.yaml hotlined and hotlinectl read, and reading it. One rule for both programs: the file given with
// --config; else, only when the program runs installed (its executable lives under /usr/), /etc/hotline/hotline.yaml
// if it exists; else none (every key at its default, relative to the current directory).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemon/config/config.hpp"

namespace hotline::daemon {

inline constexpr const char* k_installed_config = "/etc/hotline/hotline.yaml";

// The config file to read when none is given: `installed_config` when `executable` lies under /usr/ and that file
// exists; "" otherwise (a build tree's binary keeps its defaults even where the package is installed too).
std::string default_config_path(const std::string& executable,
                                const std::string& installed_config = k_installed_config);

// The running program's executable (/proc/self/exe); "" when it cannot be read.
std::string running_executable();

// The config file to use: `given` when not empty, else default_config_path(running_executable()); "" for none.
std::string choose_config_file(const std::string& given);

// Reads and parses the config file at `path`; nullopt with `errors` (file:line:column, or that the file cannot be
// read) when it is missing, unreadable or invalid.
std::optional<Config> load_config_file(const std::string& path, std::vector<routing::Diagnostic>& errors);

}  // namespace hotline::daemon
