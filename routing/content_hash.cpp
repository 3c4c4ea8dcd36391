#include "routing/content_hash.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string_view>

namespace hotline::routing {
namespace {

// The same construction as RuleSet's version, so the two kinds of version read alike.
struct Fnv1a {
  std::uint64_t h = 0xcbf29ce484222325ull;
  void add(std::string_view s) {
    for (const char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ull;
    }
    h ^= 0xff;  // separator, so ("ab","c") and ("a","bc") differ
    h *= 0x100000001b3ull;
  }
};

}  // namespace

std::string content_version(const std::vector<SourceFile>& files) {
  std::vector<const SourceFile*> ordered;
  ordered.reserve(files.size());
  for (const auto& f : files) ordered.push_back(&f);
  std::sort(ordered.begin(), ordered.end(),
            [](const auto* a, const auto* b) { return a->path != b->path ? a->path < b->path : a->text < b->text; });
  Fnv1a hash;
  for (const auto* f : ordered) {
    hash.add(f->path);
    hash.add(f->text);
  }
  char version[17];
  std::snprintf(version, sizeof version, "%016llx", static_cast<unsigned long long>(hash.h));
  return version;
}

}  // namespace hotline::routing
