// Test support: a VFS that sits UNDER the WAL write buffer and sees what reaches the real files. It becomes
// SQLite's default VFS when storage_tests starts (a static initializer, before any test opens a connection), so
// the write buffer, which layers itself over the default VFS on its first use, passes everything through it.
// For WAL files it counts the bytes written, the syncs, and the bytes written before the latest sync. Test-only;
// the counts are process-wide, so a test reads them while it is the only writer.
#pragma once

#include <cstdint>

namespace hotline::storage::test {

struct WalFileCounts {
  std::uint64_t bytes = 0;                   // written to WAL files
  std::uint64_t syncs = 0;                   // xSync calls on WAL files
  std::uint64_t bytes_before_last_sync = 0;  // `bytes` when the latest of those syncs was called
};

// The counts since the process started; `installed` false when the VFS could not be made the default.
WalFileCounts wal_file_counts();
bool sync_counting_vfs_installed();

}  // namespace hotline::storage::test
