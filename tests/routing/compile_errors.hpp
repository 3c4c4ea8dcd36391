// Test helper: compiles rule files that must be refused and returns every diagnostic, one a line.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "routing/rule_set.hpp"

inline std::string compile_errors(const std::vector<hotline::routing::SourceFile>& files) {
  const auto r = hotline::routing::RuleSet::compile(files);
  std::string all;
  for (const auto& d : r.diagnostics) all += d.to_string() + "\n";
  CHECK(r.rule_set == nullptr);
  return all;
}
