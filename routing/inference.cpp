#include "routing/inference.hpp"

#include <algorithm>
#include <tuple>

namespace hotline::routing {

void TextHits::scan(const RuleSet& rules, std::string_view content, std::string_view address) {
  hits_.clear();
  content_patterns_.clear();
  const auto& matcher = rules.matcher();
  const auto add = [&](std::string_view text, bool in_address) {
    matcher.find(text, [&](KeywordMatcher::PatternId p, std::size_t end) {
      const auto bytes = matcher.pattern(p).size();
      hits_.push_back({p, static_cast<std::uint32_t>(end - bytes), static_cast<std::uint32_t>(end), in_address});
      if (!in_address) content_patterns_.push_back(p);
    });
  };
  add(content, false);
  add(address, true);
  std::sort(content_patterns_.begin(), content_patterns_.end());
  content_patterns_.erase(std::unique(content_patterns_.begin(), content_patterns_.end()), content_patterns_.end());
}

bool TextHits::contains(KeywordMatcher::PatternId p) const {
  return std::binary_search(content_patterns_.begin(), content_patterns_.end(), p);
}

namespace {

// Where a hit stands for ordering: the content is read before the address for matters.
std::uint64_t content_first_position(const TextHits::Hit& h) {
  return (static_cast<std::uint64_t>(h.in_address) << 32) | h.start;
}

}  // namespace

std::string infer_matter(const RuleSet& rules, const TextHits& hits, std::vector<std::string>* explain) {
  struct Score {
    std::uint32_t matter;
    std::uint32_t score;
    std::uint64_t first;
    std::vector<KeywordMatcher::PatternId> words;  // filled only for explain
  };
  thread_local std::vector<Score> scores;
  thread_local std::vector<std::pair<KeywordMatcher::PatternId, std::uint64_t>> seen;  // distinct keyword, first pos
  scores.clear();
  seen.clear();
  for (const auto& h : hits.hits()) {
    if (rules.matters_of(h.pattern).empty()) continue;
    const auto pos = content_first_position(h);
    auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == h.pattern; });
    if (it == seen.end()) {
      seen.emplace_back(h.pattern, pos);
    } else {
      it->second = std::min(it->second, pos);
    }
  }
  for (const auto& [pattern, pos] : seen) {
    for (const auto m : rules.matters_of(pattern)) {
      auto it = std::find_if(scores.begin(), scores.end(), [&](const Score& s) { return s.matter == m; });
      if (it == scores.end()) {
        scores.push_back({m, 0, pos, {}});
        it = scores.end() - 1;
      }
      it->score += rules.pattern_chars(pattern);
      it->first = std::min(it->first, pos);
      if (explain) it->words.push_back(pattern);
    }
  }
  if (scores.empty()) {
    if (explain) explain->push_back("matter: no catalogue keyword in the text; matter unknown");
    return {};
  }
  const auto& all = rules.matters();
  const auto better = [&](const Score& a, const Score& b) {
    return std::tuple(a.score, b.first, std::string_view(all[b.matter].code)) >
           std::tuple(b.score, a.first, std::string_view(all[a.matter].code));
  };
  std::sort(scores.begin(), scores.end(), better);
  const auto& win = scores.front();
  if (explain) {
    const auto describe = [&](const Score& s) {
      std::string words;
      for (const auto p : s.words) words += (words.empty() ? "" : ", ") + rules.matcher().pattern(p);
      return all[s.matter].code + " " + all[s.matter].name + " (score " + std::to_string(s.score) + ": " + words +
             ")";
    };
    std::string line = "matter inferred: " + describe(win);
    for (std::size_t i = 1; i < scores.size() && i < 3; ++i) line += (i == 1 ? "; runners-up: " : "; ") + describe(scores[i]);
    explain->push_back(line);
  }
  return all[win.matter].code;
}

std::string infer_area(const RuleSet& rules, const TextHits& hits, std::vector<std::string>* explain) {
  thread_local std::vector<const TextHits::Hit*> places;
  places.clear();
  for (const auto& h : hits.hits()) {
    if (!rules.divisions_of(h.pattern).empty()) places.push_back(&h);
  }
  // A name inside a longer name ("东山" inside "东山镇") is not a mention of its own.
  const auto inside_longer = [&](const TextHits::Hit* h) {
    return std::any_of(places.begin(), places.end(), [&](const TextHits::Hit* o) {
      return o != h && o->in_address == h->in_address && o->start <= h->start && o->end >= h->end &&
             o->end - o->start > h->end - h->start;
    });
  };
  places.erase(std::remove_if(places.begin(), places.end(), inside_longer), places.end());
  if (places.empty()) {
    if (explain) explain->push_back("area: no place name in the address or text; area unknown");
    return {};
  }

  const auto& divisions = rules.divisions();
  struct Candidate {
    std::uint32_t division;
    const TextHits::Hit* hit;
    bool ancestor_named;
  };
  thread_local std::vector<Candidate> candidates;
  candidates.clear();
  for (const auto* h : places) {
    for (const auto d : rules.divisions_of(h->pattern)) candidates.push_back({d, h, false});
  }
  for (auto& c : candidates) {
    const auto& code = divisions[c.division].code;
    c.ancestor_named = std::any_of(candidates.begin(), candidates.end(), [&](const Candidate& o) {
      const auto& other = divisions[o.division].code;
      return other.size() < code.size() && code.starts_with(other);
    });
  }
  // Most specific first; then confirmed by a named ancestor; then found in the address; then earliest.
  const auto rank = [&](const Candidate& c) {
    return std::tuple(divisions[c.division].code.size(), c.ancestor_named, c.hit->in_address);
  };
  const auto better = [&](const Candidate& a, const Candidate& b) {
    if (rank(a) != rank(b)) return rank(a) > rank(b);
    if (a.hit->start != b.hit->start) return a.hit->start < b.hit->start;
    return divisions[a.division].code < divisions[b.division].code;
  };
  std::sort(candidates.begin(), candidates.end(), better);
  const Candidate& win = candidates.front();
  std::string code = divisions[win.division].code;
  const auto name = [&](std::uint32_t d) { return divisions[d].code + " " + divisions[d].name; };

  // The same name standing for several divisions that nothing tells apart: keep only what they share.
  std::size_t rivals = 0;
  for (const auto& c : candidates) {
    if (c.hit == win.hit && c.division != win.division && rank(c) == rank(win)) {
      ++rivals;
      const auto& other = divisions[c.division].code;
      std::size_t common = 0;
      while (common < code.size() && common < other.size() && code[common] == other[common]) ++common;
      code.resize(common);
    }
  }
  if (rivals > 0) {
    while (!code.empty() && rules.find_division(code) == nullptr) code.pop_back();
    if (explain) {
      explain->push_back("area: '" + rules.matcher().pattern(win.hit->pattern) + "' names " +
                         std::to_string(rivals + 1) + " divisions and nothing tells them apart; area " +
                         (code.empty() ? std::string("unknown") : name(static_cast<std::uint32_t>(
                                                                      rules.find_division(code) - divisions.data()))));
    }
    return code;
  }
  if (explain) {
    std::string line = "area inferred: " + name(win.division) + " from '" +
                       rules.matcher().pattern(win.hit->pattern) + "' in the " +
                       (win.hit->in_address ? "address" : "text");
    if (win.ancestor_named) line += " (its county or city is named too)";
    explain->push_back(line);
  }
  return code;
}

}  // namespace hotline::routing
