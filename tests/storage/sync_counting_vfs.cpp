#include "tests/storage/sync_counting_vfs.hpp"

#include <sqlite3.h>

namespace hotline::storage::test {
namespace {

WalFileCounts g_counts;

// Our file: the real VFS's file lives right behind it.
struct CountedFile {
  sqlite3_file base;
  sqlite3_file* real;
  bool wal;
};

CountedFile* self(sqlite3_file* f) {
  return reinterpret_cast<CountedFile*>(f);
}
sqlite3_file* real(sqlite3_file* f) {
  return self(f)->real;
}
const sqlite3_io_methods* m(sqlite3_file* f) {
  return real(f)->pMethods;
}

int x_close(sqlite3_file* f) {
  return m(f)->xClose(real(f));
}
int x_read(sqlite3_file* f, void* out, int n, sqlite3_int64 at) {
  return m(f)->xRead(real(f), out, n, at);
}
int x_write(sqlite3_file* f, const void* in, int n, sqlite3_int64 at) {
  const int rc = m(f)->xWrite(real(f), in, n, at);
  if (rc == SQLITE_OK && self(f)->wal) g_counts.bytes += static_cast<std::uint64_t>(n);
  return rc;
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return m(f)->xTruncate(real(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
  if (self(f)->wal) {
    ++g_counts.syncs;
    g_counts.bytes_before_last_sync = g_counts.bytes;
  }
  return m(f)->xSync(real(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* out) {
  return m(f)->xFileSize(real(f), out);
}
int x_lock(sqlite3_file* f, int level) {
  return m(f)->xLock(real(f), level);
}
int x_unlock(sqlite3_file* f, int level) {
  return m(f)->xUnlock(real(f), level);
}
int x_check_reserved(sqlite3_file* f, int* out) {
  return m(f)->xCheckReservedLock(real(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return m(f)->xFileControl(real(f), op, arg);
}
int x_sector_size(sqlite3_file* f) {
  return m(f)->xSectorSize(real(f));
}
int x_device_characteristics(sqlite3_file* f) {
  return m(f)->xDeviceCharacteristics(real(f));
}
int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return m(f)->xShmMap(real(f), region, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return m(f)->xShmLock(real(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) {
  m(f)->xShmBarrier(real(f));
}
int x_shm_unmap(sqlite3_file* f, int remove) {
  return m(f)->xShmUnmap(real(f), remove);
}
int x_fetch(sqlite3_file* f, sqlite3_int64 at, int n, void** out) {
  return m(f)->xFetch(real(f), at, n, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 at, void* p) {
  return m(f)->xUnfetch(real(f), at, p);
}

const sqlite3_io_methods k_methods = {3,
                                      x_close,
                                      x_read,
                                      x_write,
                                      x_truncate,
                                      x_sync,
                                      x_file_size,
                                      x_lock,
                                      x_unlock,
                                      x_check_reserved,
                                      x_file_control,
                                      x_sector_size,
                                      x_device_characteristics,
                                      x_shm_map,
                                      x_shm_lock,
                                      x_shm_barrier,
                                      x_shm_unmap,
                                      x_fetch,
                                      x_unfetch};

sqlite3_vfs* under(sqlite3_vfs* v) {
  return static_cast<sqlite3_vfs*>(v->pAppData);
}

int x_open(sqlite3_vfs* v, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* f = self(file);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->wal = (flags & SQLITE_OPEN_WAL) != 0;
  f->base.pMethods = nullptr;
  const int rc = under(v)->xOpen(under(v), name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  if (f->real->pMethods == nullptr || f->real->pMethods->iVersion < 3) {
    if (f->real->pMethods) f->real->pMethods->xClose(f->real);
    return SQLITE_CANTOPEN;
  }
  f->base.pMethods = &k_methods;
  return SQLITE_OK;
}

bool install() {
  sqlite3_vfs* unix_vfs = sqlite3_vfs_find(nullptr);
  if (unix_vfs == nullptr || unix_vfs->iVersion < 2) return false;
  static sqlite3_vfs vfs = *unix_vfs;  // every other method and field as the real one...
  vfs.pNext = nullptr;
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(sizeof(CountedFile)) + unix_vfs->szOsFile;
  vfs.zName = "hotline-test-sync-counting";
  vfs.pAppData = unix_vfs;
  vfs.xOpen = x_open;  // ...but files are ours
  vfs.xDelete = [](sqlite3_vfs* v, const char* n, int d) { return under(v)->xDelete(under(v), n, d); };
  vfs.xAccess = [](sqlite3_vfs* v, const char* n, int fl, int* o) { return under(v)->xAccess(under(v), n, fl, o); };
  vfs.xFullPathname = [](sqlite3_vfs* v, const char* n, int k, char* o) {
    return under(v)->xFullPathname(under(v), n, k, o);
  };
  return sqlite3_vfs_register(&vfs, /*makeDflt=*/1) == SQLITE_OK;
}

// Before main(): no test has opened a connection yet, so the write buffer will layer itself over this VFS.
const bool g_installed = install();

}  // namespace

WalFileCounts wal_file_counts() {
  return g_counts;
}
bool sync_counting_vfs_installed() {
  return g_installed;
}

}  // namespace hotline::storage::test
