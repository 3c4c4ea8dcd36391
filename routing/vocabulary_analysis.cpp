#include "routing/vocabulary_analysis.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace hotline::routing {
namespace {

std::size_t characters(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Words of every citizen's message: as a matter's keyword they say nothing about the matter.
constexpr std::array<std::string_view, 16> k_empty_words{"问题", "投诉", "反映", "举报", "咨询", "建议",
                                                         "求助", "情况", "希望", "要求", "处理", "解决",
                                                         "市民", "你好", "您好", "麻烦"};

constexpr std::string_view k_one_character =
    "it matches wherever the character appears, inside any word (车 in 停车, 车站, 自行车): fine for a rare "
    "character, far too broad for a common one";

void warn(std::vector<Diagnostic>& out, std::string message) {
  out.push_back({"", 0, 0, std::move(message), Severity::warning});
}

}  // namespace

std::vector<Diagnostic> analyze_vocabulary(const RuleSet& rules) {
  std::vector<Diagnostic> out;
  for (const auto& m : rules.matters()) {
    for (const auto& k : m.keywords) {
      if (characters(k) == 1) {
        warn(out, "matter " + m.code + " " + m.name + ": keyword '" + k +
                      "' is one character: " + std::string(k_one_character));
      } else if (std::find(k_empty_words.begin(), k_empty_words.end(), k) != k_empty_words.end()) {
        warn(out, "matter " + m.code + " " + m.name + ": keyword '" + k +
                      "' is in nearly every message and says nothing about the matter");
      }
    }
  }
  for (const auto& r : rules.rules()) {
    for (const auto* list : {&r.any, &r.all}) {
      for (const auto id : *list) {
        const auto& word = rules.matcher().pattern(id);
        if (characters(word) == 1) {
          out.push_back(
              {r.pos.file, r.pos.line, r.pos.column,
               "rule '" + r.id + "': keyword '" + word + "' is one character: " + std::string(k_one_character),
               Severity::warning});
        }
      }
    }
  }
  for (const auto& d : rules.divisions()) {
    for (const auto& alias : d.aliases) {
      if (characters(alias) == 1) {
        warn(out, "division " + d.code + " " + d.name + ": alias '" + alias +
                      "' is one character: every address with that character anywhere would be placed there");
        continue;
      }
      // The name of a place that contains this one (漳州 as an alias of a township) places every ticket there.
      for (std::size_t len = 2; len < d.code.size(); ++len) {
        const auto* above = rules.find_division(std::string_view(d.code).substr(0, len));
        if (above == nullptr) continue;
        const bool same = alias == above->name ||
                          std::find(above->aliases.begin(), above->aliases.end(), alias) != above->aliases.end();
        if (same) {
          warn(out, "division " + d.code + " " + d.name + ": alias '" + alias + "' names " + above->code + " " +
                        above->name + ", which contains it");
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace hotline::routing
