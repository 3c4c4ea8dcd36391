// End-to-end: the web terminal's files served by hotlined itself — open without a token, with a strong ETag (304),
// gzip when accepted, the same headers on HEAD without the body, the security headers (strict CSP, no framing, no
// sniffing), 404 for any other name; and web.dir serving a folder from disk for development.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/e2e.hpp"

TEST_CASE("the web terminal's page and assets are served with ETag, gzip and security headers", "[e2e][web]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  make_token(db, "operator");  // with tokens the page is still open: it is the login screen
  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());

  const auto page = client.get("/");
  REQUIRE(page.status == 200);
  CHECK(page.header("content-type") == "text/html; charset=utf-8");
  CHECK(page.body.find("<form id=\"login\"") != std::string::npos);
  CHECK(page.body.find("<script src=\"/static/app.js\"") != std::string::npos);
  CHECK(page.body.find("<script>") == std::string::npos);  // no inline script
  const auto csp = page.header("content-security-policy");
  CHECK(csp.find("default-src 'self'") != std::string::npos);
  CHECK(csp.find("script-src 'self';") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(page.header("x-frame-options") == "DENY");
  CHECK(page.header("x-content-type-options") == "nosniff");
  const auto etag = page.header("etag");
  REQUIRE(etag.size() > 2);
  CHECK(etag.front() == '"');

  // Unchanged: 304 without a body.
  const auto again = client.request_with("GET", "/", "", {{"If-None-Match", etag}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(client.request_with("GET", "/", "", {{"If-None-Match", "\"other\""}}).status == 200);

  // gzip when the browser takes it: smaller, and the same page once inflated (checked by its length header).
  const auto zipped = client.request_with("GET", "/static/app.js", "", {{"Accept-Encoding", "gzip, deflate"}});
  REQUIRE(zipped.status == 200);
  CHECK(zipped.header("content-encoding") == "gzip");
  CHECK(zipped.header("vary") == "Accept-Encoding");
  const auto plain = client.get("/static/app.js");
  CHECK(plain.header("content-encoding").empty());
  CHECK(plain.header("content-type") == "text/javascript; charset=utf-8");
  CHECK(zipped.body.size() < plain.body.size());
  CHECK(zipped.body.substr(0, 2) == "\x1f\x8b");
  CHECK(plain.body.find("textContent") != std::string::npos);
  // Every script the page names is served, and none parses text as HTML: citizen text is never markup.
  int scripts = 0;
  for (auto at = page.body.find("<script src=\"/static/"); at != std::string::npos;
       at = page.body.find("<script src=\"/static/", at + 1)) {
    const auto from = at + std::string("<script src=\"").size();
    const auto path = page.body.substr(from, page.body.find('"', from) - from);
    const auto script = client.get(path);
    INFO(path);
    CHECK(script.status == 200);
    for (const char* html_sink : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("}) {
      CHECK(script.body.find(html_sink) == std::string::npos);
    }
    ++scripts;
  }
  CHECK(scripts == 5);
  CHECK(client.get("/static/style.css").header("content-type") == "text/css; charset=utf-8");

  // HEAD: the headers of GET, no body.
  const auto head = client.request_with("HEAD", "/static/app.js", "", {});
  CHECK(head.status == 200);
  CHECK(head.header("content-length") == std::to_string(plain.body.size()));
  CHECK(head.body.empty());

  // Nothing else is served: not other names, not paths out of the folder.
  CHECK(client.get("/static/nothing.js").status == 404);
  CHECK(client.get("/static/..%2Fhotline.db").status == 404);
  CHECK(client.get("/static/a/b").status == 401);  // no such route: like any unknown path without a token
}

TEST_CASE("web.dir serves the terminal's files from a folder, for working on them", "[e2e][web]") {
  TempDir dir;
  const std::string pages = dir.path() + "/pages";
  std::filesystem::create_directories(pages);
  std::ofstream(pages + "/index.html") << "<!DOCTYPE html><title>dev</title>draft page";
  std::ofstream(pages + "/app.js") << "'use strict';";
  const std::string config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "web:\n  dir: " << pages << "\n";
  DaemonProcess daemon(HOTLINED_PATH, {"--config", config, "--listen", "127.0.0.1:0", "--database",
                                       dir.path() + "/h.db", "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  const auto page = client.get("/");
  REQUIRE(page.status == 200);
  CHECK(page.body.find("draft page") != std::string::npos);
  CHECK(page.header("x-frame-options") == "DENY");
  std::ofstream(pages + "/index.html") << "<!DOCTYPE html><title>dev</title>edited page";
  CHECK(client.get("/").body.find("edited page") != std::string::npos);  // read on every request
  CHECK(client.get("/static/style.css").status == 404);                  // not in the folder
  CHECK(client.get("/static/.hidden").status == 404);
}
