// End-to-end: hotlinectl db backup copies the database while hotlined takes tickets; the copy verifies clean
// (db verify), holds every ticket acknowledged before the backup began, is one file readable by its owner only,
// and a second backup to the same name is refused with the copy untouched.
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

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

TEST_CASE("db backup --into keeps the newest copies of a folder and leaves other files alone", "[e2e][backup]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  const auto op = make_token(db, "operator");
  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  REQUIRE(client.request("POST", "/v1/tickets", R"({"content":"路灯不亮","category":"010101","area":"350602"})", op)
              .status == 201);

  // Two earlier rotated copies and an admin's own copy in the folder.
  const std::string backups = dir.path() + "/backups";
  std::filesystem::create_directories(backups);
  for (const auto* name : {"hotline-20200101-023000.db", "hotline-20200102-023000.db", "before-upgrade.db"}) {
    std::ofstream(backups + "/" + name) << "old";
  }
  const auto rotated =
      run_command(HOTLINECTL_PATH, {"db", "backup", "--database", db, "--into", backups, "--keep", "2"});
  INFO(rotated.out << rotated.err);
  REQUIRE(rotated.status == 0);
  CHECK(rotated.out.find("removed the older backup " + backups + "/hotline-20200101-023000.db") != std::string::npos);
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(backups)) left.push_back(entry.path().filename());
  std::sort(left.begin(), left.end());
  REQUIRE(left.size() == 3);
  CHECK(left[0] == "before-upgrade.db");
  CHECK(left[1] == "hotline-20200102-023000.db");
  CHECK(left[2].starts_with("hotline-20"));  // today's copy, named by local time
  CHECK(left[2] > left[1]);
  CHECK(query_ints(backups + "/" + left[2], "SELECT count(*) FROM tickets").at(0) == 1);
  // A second run straight after (most often within the same second, whose name the first took) makes its own copy.
  const auto again = run_command(HOTLINECTL_PATH, {"db", "backup", "--database", db, "--into", backups});
  INFO(again.err);
  CHECK(again.status == 0);
  std::size_t copies = 0;
  for (const auto& entry : std::filesystem::directory_iterator(backups)) {
    copies += entry.path().filename().string().starts_with("hotline-20") && entry.path().filename() != left[1];
  }
  CHECK(copies == 2);

  // One of --to and --into, exactly; --keep only with --into.
  CHECK(run_command(HOTLINECTL_PATH, {"db", "backup", "--database", db}).status == 2);
  CHECK(
      run_command(HOTLINECTL_PATH, {"db", "backup", "--database", db, "--to", dir.path() + "/x.db", "--into", backups})
          .status == 2);
  CHECK(run_command(HOTLINECTL_PATH, {"db", "backup", "--database", db, "--to", dir.path() + "/x.db", "--keep", "1"})
            .status == 2);
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/x.db"));
  const auto negative =
      run_command(HOTLINECTL_PATH, {"db", "backup", "--database", db, "--into", backups, "--keep", "-1"});
  CHECK(negative.status == 2);
  CHECK_THAT(negative.err, Catch::Contains("--keep: a count of backups, 0 or more"));
}
