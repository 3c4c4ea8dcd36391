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

// The name of the VFS to open writable connections with; registers it (not as the default) on first use.
// nullptr when it could not be registered (then connections use SQLite's default VFS).
const char* wal_write_buffer_vfs();

// Process-wide counts since start, for tests and benchmarks: writes SQLite asked for on WAL files, the pwrite
// calls that carried them, the bytes they carried, and the syncs that reached the real WAL files with the bytes
// written before the last of them began (equal to `bytes` after a commit: nothing of it was written after its
// sync). Relaxed atomics, a few per commit; meaningful while one connection writes.
struct WalWriteCounts {
  std::uint64_t writes = 0;
  std::uint64_t flushes = 0;
  std::uint64_t bytes = 0;
  std::uint64_t syncs = 0;
  std::uint64_t bytes_before_last_sync = 0;
};
WalWriteCounts wal_write_counts();

}  // namespace hotline::storage
