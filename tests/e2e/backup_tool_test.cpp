// End-to-end: hotlinectl db backup copies the database while hotlined takes tickets; the copy verifies clean
// (db verify), holds every ticket acknowledged before the backup began, is one file readable by its owner only,
// and a second backup to the same name is refused with the copy untouched.
#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "support/e2e.hpp"
#include "support/sqlite_file.hpp"

using hotline::test::query_ints;

TEST_CASE("a backup taken under intake load is consistent and verifies clean", "[e2e][backup]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  const auto op = make_token(db, "operator");
  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});

  // Intake goes on in the background until the backup is over (at most 3,000 tickets or 60 s).
  std::atomic<bool> done{false};
  std::atomic<int> acknowledged{0};
  std::thread load([&] {
    HttpClient client(daemon.port());
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (int i = 0; i < 3000 && !done && std::chrono::steady_clock::now() < until; ++i) {
      const auto r = client.request("POST", "/v1/tickets",
                                    R"({"content":"胜利路路灯不亮","category":"010101","area":"350602"})", op);
      if (r.status == 201) ++acknowledged;
    }
  });
  // Some tickets are in before the copy starts.
  HttpClient client(daemon.port());
  for (int i = 0; i < 50; ++i) {
    REQUIRE(client.request("POST", "/v1/tickets", R"({"content":"路灯不亮","category":"010101","area":"350602"})", op)
                .status == 201);
  }
  const int before = 50 + acknowledged.load();
  const std::string copy = dir.path() + "/backup/h-copy.db";
  std::filesystem::create_directories(dir.path() + "/backup");
  const auto backup = run_command(HOTLINECTL_PATH, {"db", "backup", "--database", db, "--to", copy});
  done = true;
  load.join();
  INFO(backup.out << backup.err);
  REQUIRE(backup.status == 0);
  CHECK(backup.out.find("quick_check ok") != std::string::npos);

  // One file, the owner's only, with at least every ticket acknowledged before the copy began.
  CHECK_FALSE(std::filesystem::exists(copy + "-wal"));
  CHECK_FALSE(std::filesystem::exists(copy + ".partial"));
  struct stat st {};
  REQUIRE(::stat(copy.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(query_ints(copy, "SELECT count(*) FROM tickets").at(0) >= before);
  const auto verified = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", copy});
  INFO(verified.out << verified.err);
  CHECK(verified.status == 0);

  // Never over an existing file; the copy stays as it was.
  const auto size = std::filesystem::file_size(copy);
  const auto again = run_command(HOTLINECTL_PATH, {"db", "backup", "--database", db, "--to", copy});
  CHECK(again.status == 1);
  CHECK(again.err.find("exists") != std::string::npos);
  CHECK(std::filesystem::file_size(copy) == size);
  // No database where the source should be: an error, and nothing written.
  const auto missing = run_command(HOTLINECTL_PATH, {"db", "backup", "--database", dir.path() + "/none.db", "--to",
                                                     dir.path() + "/backup/none-copy.db"});
  CHECK(missing.status == 1);
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/none.db"));
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/backup/none-copy.db"));
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/backup/none-copy.db.partial"));
}
