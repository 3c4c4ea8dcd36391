// Test support for storage tests (and the daemon tests that seed a store): a temporary database folder and a
// sample ticket. Test-only.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "storage/ticket_store.hpp"

namespace hotline::storage::test {

// A fresh folder under $TMPDIR holding `path` (not created yet); removed with everything in it.
struct TempDb {
  std::string dir;
  std::string path;
  TempDb() {
    std::string pattern = std::filesystem::temp_directory_path().string() + "/hotline-store-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
    path = dir + "/t.db";
  }
  ~TempDb() { std::filesystem::remove_all(dir); }
};

inline NewTicket sample(std::string day, std::string content) {
  NewTicket t;
  t.prefix = "ZZ";
  t.day = std::move(day);
  t.received_at = "2026-11-26T09:30:00.000+08:00";
  t.received_ms = 1'795'000'000'000;
  t.type = "complaint";
  t.urgency = "normal";
  t.channel = "phone";
  t.content = std::move(content);
  t.state = "awaiting_sign_for";
  t.unit_id = "350602.cgj";
  t.unit_name = "芗城区城市管理局";
  t.rule_id = "streetlight";
  t.rules_version = "0123456789abcdef";
  t.decision = "{}";
  t.events = {{"", 0, "received", "operator", "operator", "", "{}"},
              {"", 0, "dispatched", "router", "system", "350602.cgj", "{}"}};
  return t;
}

}  // namespace hotline::storage::test
