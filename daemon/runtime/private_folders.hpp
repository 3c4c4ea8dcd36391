// Folders hotlined and hotlinectl create for the database and the reports: 0750 (owner writes, the owner's group
// reads, others nothing), less what the umask takes. Folders that exist keep their mode.
#pragma once

#include <filesystem>
#include <system_error>

namespace hotline::daemon {

// Creates `folder` and each missing folder above it, 0750. An empty path or an existing folder is fine.
std::error_code create_private_folders(const std::filesystem::path& folder);

}  // namespace hotline::daemon
