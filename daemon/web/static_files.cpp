#include "daemon/web/static_files.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace hotline::daemon {
namespace {

// FNV-1a 64 of the bytes, as a quoted strong ETag.
std::string etag_of(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ull;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  char out[24];
  std::snprintf(out, sizeof out, "\"%016llx\"", static_cast<unsigned long long>(h));
  return out;
}

// A file name the terminal uses: letters, digits, '.', '-', '_', not starting with a dot.
bool plain_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == '_';
  });
}

// Whether If-None-Match (a list of entity tags, or *) names `etag` (a weak match serves GET too).
bool matches(std::string_view if_none_match, std::string_view etag) {
  return if_none_match == "*" || if_none_match.find(etag) != std::string_view::npos;
}

bool takes_gzip(std::string_view accept_encoding) {
  // "gzip", "gzip;q=1.0", "br, gzip"; a "gzip;q=0" refuses it.
  const auto at = accept_encoding.find("gzip");
  if (at == std::string_view::npos) return false;
  const auto rest = accept_encoding.substr(at + 4, accept_encoding.find(',', at) - at - 4);
  return rest.find("q=0") == std::string_view::npos || rest.find("q=0.") != std::string_view::npos;
}

void security_headers(Response& r) {
  r.set("Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  r.set("X-Frame-Options", "DENY");
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Referrer-Policy", "no-referrer");
}

}  // namespace

std::string_view content_type_for(std::string_view name) {
  const auto dot = name.rfind('.');
  const auto ext = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::string dev_dir) : dev_dir_(std::move(dev_dir)) {
  for (const auto& f : embedded_files()) {
    files_.emplace(std::string(f.name), File{std::string(f.raw), std::string(f.gzip), etag_of(f.raw)});
  }
}

Response StaticFiles::serve(const Request& req, std::string_view name) const {
  File from_disk;
  const File* file = nullptr;
  if (!dev_dir_.empty()) {
    if (plain_name(name)) {
      std::ifstream in(dev_dir_ + "/" + std::string(name), std::ios::binary);
      std::ostringstream bytes;
      if (in && (bytes << in.rdbuf())) {
        from_disk.raw = std::move(bytes).str();
        from_disk.etag = etag_of(from_disk.raw);
        file = &from_disk;
      }
    }
  } else if (const auto it = files_.find(name); it != files_.end()) {
    file = &it->second;
  }
  if (file == nullptr) {
    auto r = problem_response(req, {404, "not-found", "No such page", "no file '" + std::string(name) + "'", ""});
    security_headers(r);
    return r;
  }
  const bool gzip = !file->gzip.empty() && takes_gzip(req[http::field::accept_encoding]);
  Response r{http::status::ok, req.version()};
  r.set(http::field::content_type, content_type_for(name));
  r.set(http::field::etag, file->etag);
  // Revalidated on every use: a new build's files reach the terminals at once, and an unchanged one costs a 304.
  r.set(http::field::cache_control, "no-cache");
  r.set(http::field::vary, "Accept-Encoding");
  security_headers(r);
  r.keep_alive(req.keep_alive());
  if (matches(req[http::field::if_none_match], file->etag)) {
    r.result(http::status::not_modified);
    return r;
  }
  if (gzip) r.set(http::field::content_encoding, "gzip");
  r.body() = gzip ? file->gzip : file->raw;
  r.prepare_payload();
  return r;
}

}  // namespace hotline::daemon
