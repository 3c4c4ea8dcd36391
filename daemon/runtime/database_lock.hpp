// The lock that says "a hotlined has this database open": an exclusive flock on DATABASE.lock, held by hotlined
// for its whole life and by `hotlinectl db restore` while it replaces the database.
//
// A separate file rather than the database itself: SQLite keeps POSIX record locks on the database file, and a
// process loses all of those when it closes any descriptor of that file, so a second descriptor opened for the
// lock could silently drop SQLite's own locks; on NFS, flock is emulated with the same record locks and would
// collide with them. The lock file is never removed (removing a lock file races with the next holder); it holds
// the pid and name of the last holder, for the message of the one refused.
#pragma once

#include <string>

namespace hotline::daemon {

class DatabaseLock {
 public:
  enum class Outcome { held, in_use, failed };

  // Tries to take the lock of `database` (creating DATABASE.lock, 0640, when missing) without waiting, for
  // `holder` ("hotlined", "hotlinectl db restore"). held: this object holds it until destroyed. in_use: another
  // process holds it ("DATABASE is in use by a running HOLDER (pid N)"). failed: the file cannot be opened or
  // locked. message() says which in each case other than held.
  DatabaseLock(const std::string& database, const std::string& holder);
  ~DatabaseLock();
  DatabaseLock(const DatabaseLock&) = delete;
  DatabaseLock& operator=(const DatabaseLock&) = delete;

  Outcome outcome() const { return outcome_; }
  const std::string& message() const { return message_; }

  // Beside the database's real file: a symlink (or a path with `..` or a symlinked folder) to a database that a
  // hotlined holds names the same lock, so neither a second daemon nor a restore gets past it that way.
  static std::string path_for(const std::string& database);

 private:
  int fd_ = -1;
  Outcome outcome_ = Outcome::failed;
  std::string message_;
};

}  // namespace hotline::daemon
