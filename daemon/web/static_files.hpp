// The web terminal's static files: compiled into hotlined (static/, embedded at build time with their gzip), or
// read from a folder on disk for development (web.dir), and answered with a strong ETag (304 on If-None-Match),
// gzip when the client takes it, and the security headers every page carries: a strict Content-Security-Policy
// (no inline script or style, nothing from another origin), X-Frame-Options: DENY, X-Content-Type-Options:
// nosniff, Referrer-Policy: no-referrer. Immutable after construction; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "daemon/http/http_response.hpp"

namespace hotline::daemon {

struct EmbeddedFile {
  std::string_view name;  // e.g. "app.js"
  std::string_view raw;
  std::string_view gzip;
};
// Every file of static/, as compiled in (web_assets.cpp, generated).
std::span<const EmbeddedFile> embedded_files();

// The Content-Type for a file name by its extension (text types in UTF-8); application/octet-stream otherwise.
std::string_view content_type_for(std::string_view name);

class StaticFiles {
 public:
  // The compiled-in files; with `dev_dir` set, the files of that folder, read on every request instead.
  explicit StaticFiles(std::string dev_dir = {});

  // The answer to GET or HEAD of `name` ("index.html" for "/"): 200 with the file, 304 when If-None-Match names
  // its ETag, 404 for a name that is not one of the files.
  Response serve(const Request& req, std::string_view name) const;

 private:
  struct File {
    std::string raw, gzip, etag;
  };
  std::map<std::string, File, std::less<>> files_;
  std::string dev_dir_;
};

}  // namespace hotline::daemon
