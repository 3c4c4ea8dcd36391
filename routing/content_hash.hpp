// A content fingerprint of a set of input files, for the version strings that decisions record.
// Pure function; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "routing/diagnostic.hpp"

namespace hotline::routing {

// 16 lower-case hex digits: FNV-1a (64 bit) over every file's path and text, files taken in path order, so the
// result does not depend on the order the caller lists them in. A fingerprint, not a security boundary.
std::string content_version(const std::vector<SourceFile>& files);

}  // namespace hotline::routing
