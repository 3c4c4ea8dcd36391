// What the end-to-end test files share: the real daemon as a child process, the HTTP client, scratch folders,
// and tokens issued by the real hotlinectl against the shipped rules. Test-only; for the e2e_tests target
// (which defines HOTLINECTL_PATH and SHIPPED_RULES_DIR).
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <string>

#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using hotline::test::DaemonProcess;
using hotline::test::HttpClient;
using hotline::test::HttpResult;
using hotline::test::run_command;
using hotline::test::TempDir;

// A token of `role` (scoped to `unit` when given) in the database at `db`.
inline std::string make_token(const std::string& db, const std::string& role, const std::string& unit = "") {
  return hotline::test::make_token(HOTLINECTL_PATH, db, role, unit, SHIPPED_RULES_DIR);
}

// A JSON string value as std::string.
inline std::string str(const json::value& v) {
  return json::value_to<std::string>(v);
}

// Today's date (YYYY-MM-DD) where the daemon runs by default (UTC+8, the reference deployment's time zone).
inline std::string local_today() {
  using namespace std::chrono;
  const year_month_day d{floor<days>(system_clock::now() + hours(8))};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return text;
}
