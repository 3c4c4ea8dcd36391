#include "routing/inference.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "routing/gram_scorer.hpp"

namespace hotline::routing {

void TextHits::scan(const RuleSet& rules, std::string_view content, std::string_view address) {
  hits_.clear();
  content_patterns_.clear();
  const auto& matcher = rules.matcher();
  const auto on_match = [&](bool in_address) {
    return [&, in_address](KeywordMatcher::PatternId p, std::size_t end) {
      const auto bytes = matcher.pattern(p).size();
      hits_.push_back({p, static_cast<std::uint32_t>(end - bytes), static_cast<std::uint32_t>(end), in_address});
      if (!in_address) content_patterns_.push_back(p);
    };
  };
  TextFeatures::Char* out = features_.start_writing(content.size());
  matcher.find(content, on_match(false),
               [&](char32_t cp, std::size_t start) { *out++ = TextFeatures::as_char(cp, start); });
  features_.end_writing(out);
  features_.analyse(content, rules.inference().features);
  matcher.find(address, on_match(true));
  std::sort(content_patterns_.begin(), content_patterns_.end());
  content_patterns_.erase(std::unique(content_patterns_.begin(), content_patterns_.end()), content_patterns_.end());
}

bool TextHits::contains(KeywordMatcher::PatternId p) const {
  return std::binary_search(content_patterns_.begin(), content_patterns_.end(), p);
}

namespace {

std::string percent(double v) {
  return std::to_string(std::lround(v * 100)) + "%";
}

std::string two_places(double v) {
  const auto hundredths = static_cast<long>(v * 100 + 0.5);
  return std::to_string(hundredths / 100) + "." + (hundredths % 100 < 10 ? "0" : "") + std::to_string(hundredths % 100);
}

struct Scratch {
  TextFeatures features;  // the reference reading, for the explain trace only
  GramScorer grams;
  // Per matter, zero between calls: the evidence of whole keywords and of the catalogue's bigrams. Dense arrays
  // over the catalogue: a call touches most matters, so adding and ranking need no list of the ones touched.
  std::vector<double> keyword, gram;
  std::vector<std::pair<KeywordMatcher::PatternId, double>> words;  // distinct keyword, its weight
  std::vector<std::uint32_t> ranked;                                // the strongest matters with evidence, best first
  std::vector<double> ranked_exp;                                   // their softmax terms, in the same order
  std::vector<MatterModel::Ranked> model;
  std::vector<std::uint32_t> candidates;
};

}  // namespace

MatterInference infer_matter(const RuleSet& rules, const TextHits& hits, std::string_view content,
                             std::vector<std::string>* explain) {
  thread_local Scratch x;
  const auto& settings = rules.inference();
  const auto& all = rules.matters();
  const MatterModel* model = rules.model();
  const int lo = model ? std::min(2, model->min_n()) : 2;
  const int hi = model ? std::max(2, model->max_n()) : 2;
  const TextFeatures& features = hits.features();
  const std::size_t matter_count = all.size();
  const auto padded = static_cast<std::uint32_t>((matter_count + 3) / 4 * 4);
  if (x.keyword.size() != padded) x.keyword.assign(padded, 0.0), x.gram.assign(padded, 0.0);
  struct Reset {  // the evidence is zeroed on the way out, however the call ends
    Scratch& x;
    ~Reset() {
      std::fill(x.keyword.begin(), x.keyword.end(), 0.0);
      std::fill(x.gram.begin(), x.gram.end(), 0.0);
    }
  } reset{x};
  double* const keyword = x.keyword.data();  // fixed from here on
  double* const gram = x.gram.data();

  // Whole keywords: each distinct keyword once, with the best weight of its occurrences.
  x.words.clear();
  std::vector<std::string> denied;
  const auto& found = hits.hits();
  // A keyword inside a longer keyword found at the same place ("站牌" in "公交站牌") is not evidence of its own.
  const auto inside_longer = [&](const TextHits::Hit& h) {
    return std::any_of(found.begin(), found.end(), [&](const TextHits::Hit& o) {
      return &o != &h && o.in_address == h.in_address && o.start <= h.start && o.end >= h.end &&
             o.end - o.start > h.end - h.start && !rules.matters_of(o.pattern).empty();
    });
  };
  for (const auto& h : found) {
    if (rules.matters_of(h.pattern).empty() || inside_longer(h)) continue;
    double w = 1.0;
    if (!h.in_address) {
      if (features.denied(h.start)) {
        if (explain) denied.push_back(rules.matcher().pattern(h.pattern));
        continue;
      }
      w = features.weight_at(h.start, settings.features.subject_weight);
    }
    auto it = std::find_if(x.words.begin(), x.words.end(), [&](const auto& p) { return p.first == h.pattern; });
    if (it == x.words.end()) {
      x.words.emplace_back(h.pattern, w);
    } else {
      it->second = std::max(it->second, w);
    }
  }
  for (const auto& [pattern, w] : x.words) {
    const auto& matters = rules.matters_of(pattern);
    const double share = w * rules.pattern_chars(pattern) / static_cast<double>(matters.size());
    for (const auto m : matters) keyword[m] += share;
  }
  // Catalogue bigrams, each once (its first occurrence: in the subject line when it is there), so a word the
  // writer repeats does not outweigh the others; and the model's sums, from the same pass.
  x.grams.run(features, rules.gram_index(), model, lo, hi, static_cast<float>(settings.features.subject_weight),
              [&](std::span<const NgramTable::Posting> postings, float weight) {
                for (const auto& p : postings) {
                  gram[p.cls] += static_cast<double>(weight) * static_cast<double>(p.weight);
                }
              });
  const auto score = [&](std::uint32_t m) { return keyword[m] + gram[m]; };
  const auto before = [&](std::uint32_t a, std::uint32_t b) { return rules.code_order(a) < rules.code_order(b); };
  const auto better = [&](std::uint32_t a, std::uint32_t b) {
    return score(a) != score(b) ? score(a) > score(b) : before(a, b);
  };
  // The five strongest matters, best first. `better` is a total order, so inserting each into a short sorted
  // list gives what sorting them all would; most matters lose to the fifth at once.
  constexpr std::size_t shown = 5;
  x.ranked.clear();
  // A matter below `floor` cannot enter: at first any positive score can (NaN never), then only the fifth's.
  double floor = std::numeric_limits<double>::denorm_min();
  const auto consider = [&](std::uint32_t m, double s) {
    if (!(s >= floor)) return;
    if (x.ranked.size() == shown) {
      if (s == floor && !before(m, x.ranked.back())) return;  // !better(m, fifth)
      x.ranked.pop_back();
    }
    x.ranked.insert(std::find_if(x.ranked.begin(), x.ranked.end(), [&](std::uint32_t r) { return better(m, r); }), m);
    if (x.ranked.size() == shown) floor = score(x.ranked.back());
  };
  // Four matters at a time: one test, without a branch per matter, passes over a block none of which can enter
  // (the arrays are padded with zeros to a multiple of four, and a zero never enters).
  for (std::uint32_t m = 0; m < padded; m += 4) {
    const double s0 = keyword[m] + gram[m], s1 = keyword[m + 1] + gram[m + 1];
    const double s2 = keyword[m + 2] + gram[m + 2], s3 = keyword[m + 3] + gram[m + 3];
    if (((s0 >= floor) | (s1 >= floor) | (s2 >= floor) | (s3 >= floor)) == 0) continue;
    consider(m, s0), consider(m + 1, s1), consider(m + 2, s2), consider(m + 3, s3);
  }
  // The catalogue's probability for a matter: a softmax of the evidence over the strongest leaves and "none of
  // them" (evidence `none_score`), so a clear winner is near 1 and a weak or contested one is not.
  const double beta = settings.sharpness;
  const double top = x.ranked.empty() ? 0.0 : std::max(score(x.ranked.front()), settings.none_score);
  double total = std::exp(beta * (settings.none_score - top));
  x.ranked_exp.clear();
  for (const auto m : x.ranked) {
    x.ranked_exp.push_back(std::exp(beta * (score(m) - top)));
    total += x.ranked_exp.back();
  }
  const auto catalogue = [&](std::uint32_t m) {
    const auto at = std::find(x.ranked.begin(), x.ranked.end(), m);
    const double e = at != x.ranked.end() ? x.ranked_exp[static_cast<std::size_t>(at - x.ranked.begin())]
                                          : std::exp(beta * (score(m) - top));
    return e / total;
  };

  // The learned model's opinion: the probability of every label that is the matter or one of its classes.
  x.model.clear();
  if (model) model->predict_sums(x.grams.sums(), x.grams.length(), x.model, 5);
  const auto model_p = [&](std::uint32_t m) {
    double p = 0;
    for (const auto& r : x.model) {
      if (rules.within(m, rules.matter_of_label(r.label))) p += r.probability;
    }
    return p;
  };
  auto& candidates = x.candidates;
  candidates.assign(x.ranked.begin(), x.ranked.end());
  for (std::size_t i = 0; i < x.model.size() && i < 3; ++i) {
    const auto label = rules.matter_of_label(x.model[i].label);
    // The label itself, or the catalogue's best leaf within it.
    auto pick = label;
    for (const auto m : x.ranked) {
      if (rules.within(m, label)) {
        pick = m;
        break;
      }
    }
    if (std::find(candidates.begin(), candidates.end(), pick) == candidates.end()) candidates.push_back(pick);
  }
  const double lambda = model == nullptr ? 0.0 : (x.ranked.empty() ? 1.0 : settings.model_weight);
  const auto combined = [&](std::uint32_t m) { return (1 - lambda) * catalogue(m) + lambda * model_p(m); };
  MatterInference result;
  std::uint32_t win = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto m = candidates[i];
    const double c = combined(m);
    if (i == 0 || c > result.confidence || (c == result.confidence && before(m, win))) win = m, result.confidence = c;
  }
  if (!candidates.empty()) result.code = all[win].code;

  if (explain) {
    if (!denied.empty()) {
      std::string line = "matter: denied by a negation, not counted:";
      for (const auto& w : denied) line += " " + w;
      explain->push_back(line);
    }
    if (result.code.empty()) {
      explain->push_back("matter: no catalogue keyword or n-gram in the text" +
                         std::string(model ? " and no model opinion" : "") + "; matter unknown");
      return result;
    }
    const auto describe = [&](std::uint32_t m) {
      std::string words;
      for (const auto& [pattern, w] : x.words) {
        const auto& ms = rules.matters_of(pattern);
        if (std::find(ms.begin(), ms.end(), m) == ms.end()) continue;
        words += (words.empty() ? "" : ", ") + rules.matcher().pattern(pattern) + (w > 1 ? " (subject)" : "");
      }
      return all[m].code + " " + all[m].name + " (keywords " + two_places(keyword[m]) +
             (words.empty() ? "" : ": " + words) + "; n-grams " + two_places(gram[m]) + ")";
    };
    std::string line = "matter inferred: " + describe(win) + ", confidence " + percent(result.confidence);
    std::size_t listed = 0;
    for (const auto m : x.ranked) {
      if (m == win || listed == 2) continue;
      line += (listed++ == 0 ? "; runners-up: " : "; ") + describe(m);
    }
    explain->push_back(line);
    if (model && !x.model.empty()) {
      std::string opinion = "model: ";
      for (std::size_t i = 0; i < x.model.size() && i < 3; ++i) {
        const auto m = rules.matter_of_label(x.model[i].label);
        opinion += (i ? "; " : "") + all[m].code + " " + all[m].name + " " + percent(x.model[i].probability);
      }
      std::string grams;
      x.features.read(content, settings.features, lo, hi);
      for (const auto& g : model->evidence(x.features, x.model.front().label, 6))
        grams += (grams.empty() ? "" : " ") + g;
      explain->push_back(opinion + " (n-grams that decided: " + grams + "); weight " + two_places(lambda));
    }
  }
  return result;
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
                         (code.empty()
                              ? std::string("unknown")
                              : name(static_cast<std::uint32_t>(rules.find_division(code) - divisions.data()))));
    }
    return code;
  }
  if (explain) {
    std::string line = "area inferred: " + name(win.division) + " from '" + rules.matcher().pattern(win.hit->pattern) +
                       "' in the " + (win.hit->in_address ? "address" : "text");
    if (win.ancestor_named) line += " (its county or city is named too)";
    explain->push_back(line);
  }
  return code;
}

}  // namespace hotline::routing
