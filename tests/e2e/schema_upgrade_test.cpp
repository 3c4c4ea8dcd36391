// End-to-end: hotlined meeting a database of another schema. An older one is backed up beside it before it is
// migrated; a newer one is refused untouched with its own exit code.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "storage/migrations.hpp"
#include "support/e2e.hpp"
#include "support/sqlite_file.hpp"

using hotline::test::query_ints;
using hotline::test::run_sql;

namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("an older database is backed up beside it, then migrated", "[e2e][upgrade]") {
  TempDir dir;
  const std::string db = dir.path() + "/hotline.db";
  const int older = hotline::storage::schema_version() - 1;
  {
    auto connection = hotline::storage::Connection::open(db, /*create=*/true, /*read_only=*/false);
    REQUIRE(connection.has_value());
    REQUIRE(hotline::storage::migrate_to(*connection, older).has_value());
  }
  const std::string backup = db + ".before-schema-" + std::to_string(hotline::storage::schema_version()) + ".bak";
  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  CHECK(daemon.output().find("backed up to " + backup) != std::string::npos);
  REQUIRE(std::filesystem::exists(backup));
  CHECK(query_ints(backup, "PRAGMA user_version") == std::vector<std::int64_t>{older});
  struct stat st {};
  REQUIRE(::stat(backup.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
  HttpClient client(daemon.port());
  CHECK(client.get("/readyz").status == 200);
  REQUIRE(daemon.stop(SIGTERM) == 0);
  CHECK(query_ints(db, "PRAGMA user_version") == std::vector<std::int64_t>{hotline::storage::schema_version()});

  // The next start finds the current schema: no backup is made again, the one there is left alone.
  const auto kept = file_bytes(backup);
  DaemonProcess again(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  CHECK(again.output().find("backed up") == std::string::npos);
  CHECK(file_bytes(backup) == kept);
}

TEST_CASE("another program's database (schema 0 with tables) is refused untouched, an empty file is taken",
          "[e2e][upgrade]") {
  TempDir dir;
  const std::string other = dir.path() + "/accounts.db";
  { std::ofstream touch(other); }
  run_sql(other, "CREATE TABLE accounts(id INTEGER PRIMARY KEY, owner TEXT); INSERT INTO accounts VALUES (1, 'x');");
  const auto before = file_bytes(other);
  const auto r =
      run_command(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", other, "--rules", SHIPPED_RULES_DIR});
  CHECK(r.status == 3);
  CHECK(r.err.find(other + " is not a hotline database: schema version 0 with 1 table(s)") != std::string::npos);
  CHECK(r.err.find("listening on") == std::string::npos);
  CHECK(file_bytes(other) == before);
  CHECK(query_ints(other, "SELECT count(*) FROM sqlite_master") == std::vector<std::int64_t>{1});

  const std::string empty = dir.path() + "/empty.db";
  { std::ofstream touch(empty); }
  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", empty, "--rules", SHIPPED_RULES_DIR});
  CHECK(HttpClient(daemon.port()).get("/readyz").status == 200);
}

TEST_CASE("a database of a newer schema is refused untouched with exit code 5", "[e2e][upgrade]") {
  TempDir dir;
  const std::string db = dir.path() + "/hotline.db";
  const int newer = hotline::storage::schema_version() + 1;
  {
    auto connection = hotline::storage::Connection::open(db, /*create=*/true, /*read_only=*/false);
    REQUIRE(connection.has_value());
    REQUIRE(hotline::storage::migrate_to(*connection, hotline::storage::schema_version()).has_value());
  }
  run_sql(db, "PRAGMA user_version = " + std::to_string(newer));
  const auto before = file_bytes(db);
  const auto r =
      run_command(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  CHECK(r.status == 5);
  CHECK(r.err.find("database " + db + " has schema " + std::to_string(newer) + "; this hotlined understands up to " +
                   std::to_string(hotline::storage::schema_version()) +
                   ": install the newer hotline or restore a backup") != std::string::npos);
  CHECK(r.err.find("listening on") == std::string::npos);
  CHECK(file_bytes(db) == before);
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    CHECK(entry.path().string().find(".before-schema-") == std::string::npos);  // nothing was backed up either
  }
}
