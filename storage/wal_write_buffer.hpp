// A SQLite VFS over the default one that gathers the writes to WAL files. SQLite writes each WAL frame with two
// pwrite calls (the 24-byte frame header, then the page), so a group commit of 50 pages costs 100 system calls;
// here they go into one buffer, written with a single pwrite when SQLite syncs, reads, truncates or asks the size
// of the file, or when a write does not continue the buffer. Durability is unchanged: with synchronous=FULL SQLite
// syncs the WAL at every commit, and the buffer is written just before that sync, in the same order. (FULL is
// required, not only for durability: under NORMAL a commit could become visible to other connections while its
// frames still sat in the buffer. Connection::open sets FULL on every writable connection.) Other files
// (the database, the shared-memory index) pass straight through. Thread-safe: one buffer per open file, and a
// file handle belongs to one connection, which SQLite uses from one thread at a time.
#pragma once

#include <cstdint>

namespace hotline::storage {

// The name of the VFS to open writable connections with; registers it (not as the default) on first use, over
// the VFS that is SQLite's default at that moment (storage_tests put a sync-counting VFS there first).
// nullptr when it could not be registered (then connections use SQLite's default VFS).
const char* wal_write_buffer_vfs();

// Process-wide counts since start, for tests and benchmarks: writes SQLite asked for on WAL files, and the
// pwrite calls that carried them.
struct WalWriteCounts {
  std::uint64_t writes = 0;
  std::uint64_t flushes = 0;
};
WalWriteCounts wal_write_counts();

}  // namespace hotline::storage
