#include "routing/matter_model.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <sstream>
#include <unordered_map>

#include "routing/keyword_matcher.hpp"

namespace hotline::routing {
namespace {

constexpr std::string_view k_magic = "hotline-matter-model";

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto at = line.find(sep, start);
    out.push_back(line.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

bool to_double(std::string_view s, double& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

std::string fixed(double v, int digits) {
  std::ostringstream o;
  o.setf(std::ios::fixed);
  o.precision(digits);
  o << v;
  return o.str();
}

// Packs an n-gram given as UTF-8 text (1 to 3 characters); 0 when it is not one.
NgramKey key_of_text(std::string_view text) {
  char32_t points[3];
  int n = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (n == 3) return 0;
    points[n++] = decode_utf8(text, i);
  }
  return n == 0 ? 0 : ngram_key(points, n);
}

}  // namespace

void MatterModel::rank(const std::vector<double>& scores, std::vector<Ranked>& out, std::size_t top) const {
  out.clear();
  if (scores.empty()) return;
  const double best = *std::max_element(scores.begin(), scores.end());
  thread_local std::vector<double> terms;
  terms.resize(scores.size());
  double total = 0;
  for (std::size_t c = 0; c < scores.size(); ++c) {
    terms[c] = std::exp((scores[c] - best) / temperature_);
    total += terms[c];
  }
  // The `top` most probable, best first (ties by label): each label inserted into a short sorted list, which is
  // what sorting them all would give, without sorting them all.
  const auto before = [](const Ranked& a, const Ranked& b) {
    return a.probability != b.probability ? a.probability > b.probability : a.label < b.label;
  };
  const auto n = std::min(top, scores.size());
  for (std::uint32_t c = 0; c < scores.size(); ++c) {
    const Ranked r{c, terms[c] / total};
    if (out.size() == n) {
      if (n == 0 || !before(r, out.back())) continue;
      out.pop_back();
    }
    out.insert(std::find_if(out.begin(), out.end(), [&](const Ranked& o) { return before(r, o); }), r);
  }
}

void MatterModel::index() {
  const std::size_t labels = labels_.size();
  const bool dense = labels <= k_dense_labels;
  stride_ = (labels + 3) / 4 * 4;  // rows padded to lanes of four floats (add_row)
  unigram_row_.assign(0x10000, UINT32_MAX);
  dense_.clear();
  row_offset_.clear();
  row_postings_.clear();
  std::vector<std::pair<NgramKey, std::vector<NgramTable::Posting>>> longer;
  std::uint32_t row = 0;
  table_.for_each([&](NgramKey key, std::span<const NgramTable::Posting> postings) {
    if (key < 0x10000) {
      unigram_row_[key] = row;
    } else {
      longer.push_back({key, {{row, 0.0f}}});
    }
    if (dense) {
      dense_.resize(dense_.size() + stride_, 0.0f);
      for (const auto& p : postings) dense_[row * stride_ + p.cls] = p.weight;
    } else {
      row_offset_.push_back(static_cast<std::uint32_t>(row_postings_.size()));
      row_postings_.insert(row_postings_.end(), postings.begin(), postings.end());
    }
    ++row;
  });
  row_offset_.push_back(static_cast<std::uint32_t>(row_postings_.size()));
  rows_.build(std::move(longer));
}

void MatterModel::scores_for(const TextFeatures& features, std::vector<double>& scores) const {
  thread_local std::vector<float> sums;
  sums.assign(sums_size(), 0.0f);
  float length = 0;
  for (const auto& g : features.grams()) {
    const std::uint32_t row = row_of(g.key);
    if (row == k_no_row) continue;
    length += g.weight;
    add_row(row, g.weight, sums.data());
  }
  scores_from(sums.data(), length, scores);
}

void MatterModel::scores_from(const float* sum, float length, std::vector<double>& scores) const {
  const std::size_t labels = labels_.size();
  scores.resize(labels);
  for (std::size_t c = 0; c < labels; ++c) {
    scores[c] = static_cast<double>(sum[c]) + labels_[c].log_prior - static_cast<double>(length) * labels_[c].log_norm;
  }
}

void MatterModel::predict(const TextFeatures& features, std::vector<Ranked>& out, std::size_t top) const {
  thread_local std::vector<double> scores;
  scores_for(features, scores);
  rank(scores, out, top);
}

void MatterModel::predict_sums(const float* sums, float length, std::vector<Ranked>& out, std::size_t top) const {
  thread_local std::vector<double> scores;
  scores_from(sums, length, scores);
  rank(scores, out, top);
}

std::vector<std::string> MatterModel::evidence(const TextFeatures& features, std::uint32_t label,
                                               std::size_t count) const {
  std::map<NgramKey, double> weight;
  for (const auto& g : features.grams()) {
    for (const auto& p : table_.find(g.key)) {
      if (p.cls == label) weight[g.key] += static_cast<double>(g.weight) * static_cast<double>(p.weight);
    }
  }
  std::vector<std::pair<double, NgramKey>> ranked;
  for (const auto& [key, w] : weight) ranked.emplace_back(-w, key);
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ranked.size() && i < count; ++i) out.push_back(ngram_text(ranked[i].second));
  return out;
}

std::size_t MatterModel::memory_bytes() const {
  std::size_t bytes = sizeof(*this) + table_.memory_bytes() + rows_.memory_bytes() +
                      unigram_row_.capacity() * sizeof(std::uint32_t) + dense_.capacity() * sizeof(float) +
                      row_offset_.capacity() * sizeof(std::uint32_t) +
                      row_postings_.capacity() * sizeof(NgramTable::Posting);
  for (const auto& l : labels_) bytes += sizeof(l) + l.code.capacity();
  return bytes;
}

MatterModel MatterModel::fit(const std::vector<LabelledText>& examples, const TrainOptions& options) {
  MatterModel m;
  m.min_n_ = options.min_n;
  m.max_n_ = options.max_n;
  m.alpha_ = options.alpha;

  std::map<std::string, std::uint32_t> label_index;
  for (const auto& e : examples) label_index.emplace(e.label, 0);
  for (auto& [code, index] : label_index) {
    index = static_cast<std::uint32_t>(m.labels_.size());
    m.labels_.push_back({code, 0, 0, 0});
  }

  // One pass: every message's grams with their weights, and each gram's message count.
  TextFeatures features;
  std::vector<std::vector<TextFeatures::Gram>> docs;
  std::vector<std::uint32_t> doc_label;
  std::unordered_map<NgramKey, std::pair<std::uint32_t, double>> seen;  // key -> (messages, total weight)
  for (const auto& e : examples) {
    features.read(e.text, options.features, m.min_n_, m.max_n_);
    docs.emplace_back(features.grams().begin(), features.grams().end());
    doc_label.push_back(label_index[e.label]);
    m.labels_[doc_label.back()].messages++;
    std::vector<NgramKey> keys;
    for (const auto& g : features.grams()) keys.push_back(g.key);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const auto k : keys) seen[k].first++;
    for (const auto& g : features.grams()) seen[g.key].second += static_cast<double>(g.weight);
  }
  // The vocabulary: grams in at least min_count messages, the most frequent first (ties: key order).
  std::vector<std::pair<double, NgramKey>> candidates;
  for (const auto& [key, stat] : seen) {
    if (stat.first >= options.min_count) candidates.emplace_back(-stat.second, key);
  }
  std::sort(candidates.begin(), candidates.end());
  if (candidates.size() > options.max_features) candidates.resize(options.max_features);
  std::unordered_map<NgramKey, std::uint32_t> vocabulary;
  for (const auto& [_, key] : candidates) vocabulary.emplace(key, static_cast<std::uint32_t>(vocabulary.size()));

  // Counts per (gram, label) and per label.
  const std::size_t labels = m.labels_.size();
  std::vector<std::unordered_map<std::uint32_t, double>> counts(vocabulary.size());
  std::vector<double> label_total(labels, 0.0);
  for (std::size_t d = 0; d < docs.size(); ++d) {
    for (const auto& g : docs[d]) {
      const auto it = vocabulary.find(g.key);
      if (it == vocabulary.end()) continue;
      counts[it->second][doc_label[d]] += static_cast<double>(g.weight);
      label_total[doc_label[d]] += static_cast<double>(g.weight);
    }
  }
  const double v = static_cast<double>(vocabulary.size());
  for (std::size_t c = 0; c < labels; ++c) {
    auto& l = m.labels_[c];
    l.log_prior = std::log(static_cast<double>(l.messages) / static_cast<double>(examples.size()));
    l.log_norm = std::log((label_total[c] + options.alpha * v) / options.alpha);
  }
  std::vector<std::pair<NgramKey, std::vector<NgramTable::Posting>>> entries;
  for (const auto& [key, index] : vocabulary) {
    std::vector<NgramTable::Posting> postings;
    for (const auto& [cls, n] : counts[index]) {
      postings.push_back({cls, static_cast<float>(std::log(1.0 + n / options.alpha))});
    }
    std::sort(postings.begin(), postings.end(), [](const auto& a, const auto& b) { return a.cls < b.cls; });
    entries.emplace_back(key, std::move(postings));
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  m.table_.build(std::move(entries));
  m.index();

  return m;
}

MatterModel MatterModel::train(const std::vector<LabelledText>& examples, const TrainOptions& options) {
  MatterModel m = fit(examples, options);
  if (examples.size() < 20) return m;
  // Naive Bayes is overconfident: its posteriors are softened by the temperature that gives held-out messages
  // the best log-likelihood of their own label, fitted by training on each half and scoring the other.
  std::array<std::vector<LabelledText>, 2> halves;
  for (std::size_t i = 0; i < examples.size(); ++i) halves[i % 2].push_back(examples[i]);
  std::vector<double> grid;
  for (double t = 1.0; t <= 256.0; t *= 1.25) grid.push_back(t);
  std::vector<double> ll(grid.size(), 0.0);
  TextFeatures features;
  std::vector<double> scores;
  for (std::size_t h = 0; h < 2; ++h) {
    const MatterModel part = fit(halves[h], options);
    std::unordered_map<std::string, std::uint32_t> index;
    for (std::uint32_t c = 0; c < part.labels_.size(); ++c) index.emplace(part.labels_[c].code, c);
    for (const auto& e : halves[1 - h]) {
      const auto it = index.find(e.label);
      if (it == index.end()) continue;  // a label the half never saw says nothing about the temperature
      features.read(e.text, options.features, part.min_n_, part.max_n_);
      part.scores_for(features, scores);
      const double best = *std::max_element(scores.begin(), scores.end());
      for (std::size_t g = 0; g < grid.size(); ++g) {
        double total = 0;
        for (const double s : scores) total += std::exp((s - best) / grid[g]);
        ll[g] += (scores[it->second] - best) / grid[g] - std::log(total);
      }
    }
  }
  m.temperature_ = grid[static_cast<std::size_t>(std::max_element(ll.begin(), ll.end()) - ll.begin())];
  return m;
}

std::string MatterModel::serialize(const std::vector<std::string>& comments) const {
  std::ostringstream o;
  for (const auto& c : comments) o << "# " << c << '\n';
  o << "model\t" << k_magic << "\t1\n";
  o << "ngrams\t" << min_n_ << '\t' << max_n_ << '\n';
  o << "alpha\t" << fixed(alpha_, 6) << '\n';
  o << "temperature\t" << fixed(temperature_, 6) << '\n';
  o << "# label\tcode\tmessages\tlog prior\tlog norm\n";
  for (const auto& l : labels_) {
    o << "label\t" << l.code << '\t' << l.messages << '\t' << fixed(l.log_prior, 6) << '\t' << fixed(l.log_norm, 6)
      << '\n';
  }
  o << "# gram\tn-gram\tlabel=weight …\n";
  table_.for_each([&](NgramKey key, std::span<const NgramTable::Posting> postings) {
    o << "gram\t" << ngram_text(key);
    for (const auto& p : postings) o << '\t' << labels_[p.cls].code << '=' << fixed(static_cast<double>(p.weight), 4);
    o << '\n';
  });
  return o.str();
}

std::shared_ptr<MatterModel> MatterModel::parse(const SourceFile& file, std::vector<Diagnostic>& out) {
  auto m = std::make_shared<MatterModel>();
  const std::string shown = file.shown();
  const auto before = out.size();
  const auto error = [&](int line, const std::string& message) {
    out.push_back({shown, line, 1, message, Severity::error});
  };
  std::unordered_map<std::string, std::uint32_t> label_index;
  std::vector<std::pair<NgramKey, std::vector<NgramTable::Posting>>> entries;
  std::unordered_map<NgramKey, int> gram_line;
  bool magic = false;
  int number = 0;
  std::string_view text = file.text;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (out.size() - before >= 20) break;  // enough to show the file is broken
    const auto f = split(line, '\t');
    if (f[0] == "model") {
      magic = f.size() == 3 && f[1] == k_magic && f[2] == "1";
      if (!magic) error(number, "not a hotline matter model of format 1");
    } else if (f[0] == "ngrams") {
      double lo = 0, hi = 0;
      if (f.size() != 3 || !to_double(f[1], lo) || !to_double(f[2], hi) || lo < 1 || hi > 3 || lo > hi) {
        error(number, "ngrams must be two lengths from 1 to 3");
      } else {
        m->min_n_ = static_cast<int>(lo), m->max_n_ = static_cast<int>(hi);
      }
    } else if (f[0] == "alpha" || f[0] == "temperature") {
      double v = 0;
      if (f.size() != 2 || !to_double(f[1], v) || v <= 0) {
        error(number, std::string(f[0]) + " must be a positive number");
      } else {
        (f[0] == "alpha" ? m->alpha_ : m->temperature_) = v;
      }
    } else if (f[0] == "label") {
      double messages = 0;
      Label l;
      if (f.size() != 5 || !to_double(f[2], messages) || !to_double(f[3], l.log_prior) ||
          !to_double(f[4], l.log_norm) || f[1].empty()) {
        error(number, "a label line is: label, code, messages, log prior, log norm");
        continue;
      }
      if (messages < 0 || messages > std::numeric_limits<std::uint32_t>::max()) {
        error(number, "a label's messages must be a count from 0 to 4294967295");
        continue;
      }
      l.code = std::string(f[1]);
      l.messages = static_cast<std::uint32_t>(messages);
      if (!label_index.emplace(l.code, static_cast<std::uint32_t>(m->labels_.size())).second) {
        error(number, "label " + l.code + " given twice");
        continue;
      }
      m->labels_.push_back(std::move(l));
    } else if (f[0] == "gram") {
      const NgramKey key = f.size() >= 2 && is_valid_utf8(f[1]) ? key_of_text(f[1]) : 0;
      if (key == 0) {
        error(number, "a gram line is: gram, an n-gram of 1 to 3 characters, label=weight …");
        continue;
      }
      if (!gram_line.emplace(key, number).second) {
        error(number,
              "n-gram '" + std::string(f[1]) + "' given twice (first on line " + std::to_string(gram_line[key]) + ")");
        continue;
      }
      std::vector<NgramTable::Posting> postings;
      for (std::size_t i = 2; i < f.size(); ++i) {
        const auto eq = f[i].find('=');
        double w = 0;
        const auto code = f[i].substr(0, eq);
        const auto it = eq == std::string_view::npos ? label_index.end() : label_index.find(std::string(code));
        if (it == label_index.end() || !to_double(f[i].substr(eq + 1), w)) {
          error(number, "'" + std::string(f[i]) + "' is not label=weight with a label declared above");
          continue;
        }
        postings.push_back({it->second, static_cast<float>(w)});
      }
      entries.emplace_back(key, std::move(postings));
    } else {
      error(number, "unknown line '" + std::string(f[0]) + "' (model, ngrams, alpha, temperature, label, gram)");
    }
  }
  if (!magic && out.size() == before) error(1, "not a hotline matter model: no 'model' line");
  if (m->labels_.empty() && out.size() == before) error(1, "the model has no labels");
  if (out.size() != before) return nullptr;
  m->table_.build(std::move(entries));
  m->index();
  return m;
}

}  // namespace hotline::routing
