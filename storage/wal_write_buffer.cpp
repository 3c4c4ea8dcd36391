#include "storage/wal_write_buffer.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

namespace hotline::storage {
namespace {

constexpr int k_capacity = 1 << 20;  // a group commit of 250 pages fits; larger ones flush on the way

std::atomic<std::uint64_t> g_writes{0};
std::atomic<std::uint64_t> g_flushes{0};

// Our file: the real VFS's file lives right behind it (szOsFile = sizeof(BufferedFile) + the real size).
struct BufferedFile {
  sqlite3_file base;    // base.pMethods = &k_methods
  sqlite3_file* real;   // the default VFS's file
  char* data;           // the buffer (WAL files only; null for the others)
  sqlite3_int64 start;  // file offset of data[0]
  int length;           // bytes buffered
};

BufferedFile* self(sqlite3_file* f) {
  return reinterpret_cast<BufferedFile*>(f);
}
const sqlite3_io_methods* real_methods(sqlite3_file* f) {
  return self(f)->real->pMethods;
}

// The most one xWrite of the unix VFS writes: it masks the length to 17 bits (seekAndWriteFd), so a longer write
// would come back short and be reported as a full disk.
constexpr int k_max_write = 0x1F000;

// Writes what is buffered, in pieces the real VFS takes whole; the buffer is empty afterwards, also on failure
// (SQLite then fails the transaction).
int flush(BufferedFile* f) {
  const int length = f->length;
  f->length = 0;
  for (int done = 0; done < length;) {
    const int piece = std::min(length - done, k_max_write);
    g_flushes.fetch_add(1, std::memory_order_relaxed);
    if (const int rc = f->real->pMethods->xWrite(f->real, f->data + done, piece, f->start + done); rc != SQLITE_OK) {
      return rc;
    }
    done += piece;
  }
  return SQLITE_OK;
}

int x_close(sqlite3_file* file) {
  auto* f = self(file);
  const int flushed = flush(f);
  const int closed = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
  std::free(f->data);
  f->data = nullptr;
  return flushed != SQLITE_OK ? flushed : closed;
}

int x_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  if (const int rc = flush(self(file)); rc != SQLITE_OK) return rc;
  return real_methods(file)->xRead(self(file)->real, out, amount, offset);
}

int x_write(sqlite3_file* file, const void* in, int amount, sqlite3_int64 offset) {
  auto* f = self(file);
  if (f->data == nullptr) return real_methods(file)->xWrite(f->real, in, amount, offset);
  g_writes.fetch_add(1, std::memory_order_relaxed);
  if (f->length > 0 && (offset != f->start + f->length || f->length + amount > k_capacity)) {
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  if (amount > k_capacity) return real_methods(file)->xWrite(f->real, in, amount, offset);  // never for a frame
  if (f->length == 0) f->start = offset;
  std::memcpy(f->data + f->length, in, static_cast<std::size_t>(amount));
  f->length += amount;
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (const int rc = flush(self(file)); rc != SQLITE_OK) return rc;
  return real_methods(file)->xTruncate(self(file)->real, size);
}

int x_sync(sqlite3_file* file, int flags) {
  if (const int rc = flush(self(file)); rc != SQLITE_OK) return rc;
  return real_methods(file)->xSync(self(file)->real, flags);
}

int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  if (const int rc = flush(self(file)); rc != SQLITE_OK) return rc;
  return real_methods(file)->xFileSize(self(file)->real, size);
}

int x_lock(sqlite3_file* f, int level) {
  return real_methods(f)->xLock(self(f)->real, level);
}
int x_unlock(sqlite3_file* f, int level) {
  return real_methods(f)->xUnlock(self(f)->real, level);
}
int x_check_reserved(sqlite3_file* f, int* out) {
  return real_methods(f)->xCheckReservedLock(self(f)->real, out);
}

int x_file_control(sqlite3_file* file, int op, void* arg) {
  if (const int rc = flush(self(file)); rc != SQLITE_OK) return rc;
  return real_methods(file)->xFileControl(self(file)->real, op, arg);
}

int x_sector_size(sqlite3_file* f) {
  return real_methods(f)->xSectorSize(self(f)->real);
}
int x_device_characteristics(sqlite3_file* f) {
  return real_methods(f)->xDeviceCharacteristics(self(f)->real);
}
int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return real_methods(f)->xShmMap(self(f)->real, region, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_methods(f)->xShmLock(self(f)->real, offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) {
  real_methods(f)->xShmBarrier(self(f)->real);
}
int x_shm_unmap(sqlite3_file* f, int remove) {
  return real_methods(f)->xShmUnmap(self(f)->real, remove);
}
int x_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  if (const int rc = flush(self(file)); rc != SQLITE_OK) return rc;
  return real_methods(file)->xFetch(self(file)->real, offset, amount, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  return real_methods(f)->xUnfetch(self(f)->real, offset, p);
}

// Version 3, like the unix VFS's files; each method forwards to the real file (which has them all).
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

sqlite3_vfs* real_vfs(sqlite3_vfs* vfs) {
  return static_cast<sqlite3_vfs*>(vfs->pAppData);
}

int x_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* f = self(file);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->data = nullptr;
  f->start = 0;
  f->length = 0;
  f->base.pMethods = nullptr;
  const int rc = real_vfs(vfs)->xOpen(real_vfs(vfs), name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;  // pMethods stays null: SQLite will not call xClose
  if (f->real->pMethods == nullptr || f->real->pMethods->iVersion < 3) {
    // Our methods are version 3 and forward each one: a real file with fewer cannot be wrapped.
    if (f->real->pMethods) f->real->pMethods->xClose(f->real);
    return SQLITE_CANTOPEN;
  }
  if ((flags & SQLITE_OPEN_WAL) != 0) {
    f->data = static_cast<char*>(std::malloc(k_capacity));
    if (f->data == nullptr) {
      f->real->pMethods->xClose(f->real);
      return SQLITE_NOMEM;
    }
  }
  f->base.pMethods = &k_methods;
  return SQLITE_OK;
}

int x_delete(sqlite3_vfs* v, const char* name, int sync_dir) {
  return real_vfs(v)->xDelete(real_vfs(v), name, sync_dir);
}
int x_access(sqlite3_vfs* v, const char* name, int flags, int* out) {
  return real_vfs(v)->xAccess(real_vfs(v), name, flags, out);
}
int x_full_pathname(sqlite3_vfs* v, const char* name, int n, char* out) {
  return real_vfs(v)->xFullPathname(real_vfs(v), name, n, out);
}
void* x_dl_open(sqlite3_vfs* v, const char* name) {
  return real_vfs(v)->xDlOpen(real_vfs(v), name);
}
void x_dl_error(sqlite3_vfs* v, int n, char* out) {
  real_vfs(v)->xDlError(real_vfs(v), n, out);
}
void (*x_dl_sym(sqlite3_vfs* v, void* h, const char* sym))(void) {
  return real_vfs(v)->xDlSym(real_vfs(v), h, sym);
}
void x_dl_close(sqlite3_vfs* v, void* h) {
  real_vfs(v)->xDlClose(real_vfs(v), h);
}
int x_randomness(sqlite3_vfs* v, int n, char* out) {
  return real_vfs(v)->xRandomness(real_vfs(v), n, out);
}
int x_sleep(sqlite3_vfs* v, int us) {
  return real_vfs(v)->xSleep(real_vfs(v), us);
}
int x_current_time(sqlite3_vfs* v, double* out) {
  return real_vfs(v)->xCurrentTime(real_vfs(v), out);
}
int x_last_error(sqlite3_vfs* v, int n, char* out) {
  return real_vfs(v)->xGetLastError(real_vfs(v), n, out);
}
int x_current_time_int64(sqlite3_vfs* v, sqlite3_int64* out) {
  return real_vfs(v)->xCurrentTimeInt64(real_vfs(v), out);
}

const char* register_vfs() {
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  if (real == nullptr || real->iVersion < 2) return nullptr;
  static sqlite3_vfs vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(sizeof(BufferedFile)) + real->szOsFile;
  vfs.mxPathname = real->mxPathname;
  vfs.zName = "hotline-wal-buffer";
  vfs.pAppData = real;
  vfs.xOpen = x_open;
  vfs.xDelete = x_delete;
  vfs.xAccess = x_access;
  vfs.xFullPathname = x_full_pathname;
  vfs.xDlOpen = x_dl_open;
  vfs.xDlError = x_dl_error;
  vfs.xDlSym = x_dl_sym;
  vfs.xDlClose = x_dl_close;
  vfs.xRandomness = x_randomness;
  vfs.xSleep = x_sleep;
  vfs.xCurrentTime = x_current_time;
  vfs.xGetLastError = x_last_error;
  vfs.xCurrentTimeInt64 = x_current_time_int64;
  return sqlite3_vfs_register(&vfs, 0) == SQLITE_OK ? vfs.zName : nullptr;
}

}  // namespace

const char* wal_write_buffer_vfs() {
  static const char* const name = register_vfs();  // thread-safe one-time registration
  return name;
}

WalWriteCounts wal_write_counts() {
  return {g_writes.load(std::memory_order_relaxed), g_flushes.load(std::memory_order_relaxed)};
}

}  // namespace hotline::storage
