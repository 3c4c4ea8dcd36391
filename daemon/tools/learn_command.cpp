#include "daemon/tools/learn_command.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <ostream>
#include <random>
#include <sstream>

#include "daemon/config/rules_loader.hpp"
#include "daemon/runtime/version.hpp"
#include "daemon/tools/csv_record.hpp"
#include "daemon/tools/database_path.hpp"
#include "daemon/tools/label_map.hpp"
#include "routing/inference.hpp"
#include "routing/keyword_matcher.hpp"
#include "routing/router.hpp"
#include "storage/ticket_store.hpp"

namespace hotline::daemon {
namespace json = boost::json;
namespace fs = std::filesystem;
namespace {

constexpr std::size_t k_max_errors = 20;

struct Example {
  std::string text;
  std::string label;
  std::size_t line = 0;
};

struct Input {
  std::vector<Example> examples;
  std::size_t unlabelled = 0;
  std::vector<std::string> errors;
};

void read_csv(std::istream& in, const LearnArgs& args, Input& input) {
  std::vector<std::string> fields;
  std::size_t line = 0;
  if (!csv_record(in, fields, line)) {
    input.errors.push_back("line 1: no header row");
    return;
  }
  drop_byte_order_mark(fields);
  const auto column = [&](const std::string& name) {
    const auto it = std::find(fields.begin(), fields.end(), name);
    return it == fields.end() ? SIZE_MAX : static_cast<std::size_t>(it - fields.begin());
  };
  const auto text_col = column(args.text);
  const auto label_col = column(args.label);
  if (text_col == SIZE_MAX || label_col == SIZE_MAX) {
    input.errors.push_back("line 1: the header needs columns '" + args.text + "' and '" + args.label + "'");
    return;
  }
  while (true) {
    const auto at = line + 1;
    if (!csv_record(in, fields, line)) break;
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    if (fields.size() <= std::max(text_col, label_col)) {
      input.errors.push_back("line " + std::to_string(at) + ": " + std::to_string(fields.size()) + " columns");
      continue;
    }
    if (fields[label_col].empty()) {
      ++input.unlabelled;
      continue;
    }
    input.examples.push_back({fields[text_col], fields[label_col], at});
  }
}

void read_jsonl(std::istream& in, const LearnArgs& args, Input& input) {
  std::string text;
  std::size_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    boost::system::error_code ec;
    const auto v = json::parse(text, ec);
    const auto where = "line " + std::to_string(line) + ": ";
    if (ec || !v.is_object()) {
      input.errors.push_back(where + "not a JSON object");
      continue;
    }
    const auto& o = v.as_object();
    const auto* t = o.if_contains(args.text);
    const auto* l = o.if_contains(args.label);
    if (t == nullptr || !t->is_string()) {
      input.errors.push_back(where + "'" + args.text + "' must be a string");
      continue;
    }
    if (l == nullptr || l->is_null() || (l->is_string() && l->as_string().empty())) {
      ++input.unlabelled;
      continue;
    }
    if (!l->is_string()) {
      input.errors.push_back(where + "'" + args.label + "' must be a string (a matter code in quotes)");
      continue;
    }
    input.examples.push_back({std::string(t->as_string()), std::string(l->as_string()), line});
  }
}

Input read_file(const std::string& path, const LearnArgs& args) {
  Input input;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    input.errors.push_back("cannot read " + path);
    return input;
  }
  const auto ext = fs::path(path).extension().string();
  if (ext == ".csv") {
    read_csv(in, args, input);
  } else if (ext == ".jsonl" || ext == ".json" || ext == ".ndjson") {
    read_jsonl(in, args, input);
  } else {
    input.errors.push_back(path + ": give a .csv or .jsonl file");
  }
  for (auto& e : input.errors) e = path + ": " + e;
  return input;
}

Input read_database(const std::string& path) {
  Input input;
  auto store = storage::TicketStore::open(path, {.create = false, .read_only = true});
  if (!store) {
    input.errors.push_back(path + ": " + store.error().message);
    return input;
  }
  auto rows = (*store)->labelled_texts();
  if (!rows) {
    input.errors.push_back(path + ": " + rows.error().message);
    return input;
  }
  std::size_t n = 0;
  for (auto& [text, label] : *rows) input.examples.push_back({std::move(text), std::move(label), ++n});
  return input;
}

// Translates the labels the map names (the others stay: they may be codes already), cuts labels to the level
// asked for and checks each is text and a catalogue code.
void check_labels(Input& input, const routing::RuleSet& rules, const LearnArgs& args, const LabelMap& map,
                  const std::string& source) {
  const auto& level = args.level;
  const std::size_t digits = level == "class" ? 2 : level == "subclass" ? 4 : level == "leaf" ? 6 : 0;
  for (auto& e : input.examples) {
    if (const auto it = map.find(e.label); it != map.end()) e.label = it->second;
    if (digits > 0 && e.label.size() > digits) e.label.resize(digits);
    if (!routing::is_valid_utf8(e.text) || e.text.find_first_not_of(" \t\r\n") == std::string::npos) {
      input.errors.push_back(source + ": line " + std::to_string(e.line) + ": the text is empty or not UTF-8");
    } else if (rules.find_matter(e.label) == nullptr) {
      input.errors.push_back(source + ": line " + std::to_string(e.line) + ": '" + e.label +
                             "' is not a matter code of the catalogue" +
                             (args.map.empty() ? "" : " nor a label of " + args.map));
    }
  }
}

std::vector<routing::LabelledText> labelled(const std::vector<Example>& examples) {
  std::vector<routing::LabelledText> out;
  out.reserve(examples.size());
  for (const auto& e : examples) out.push_back({e.text, e.label});
  return out;
}

// The rules folder's routing files without its model, and with `model` (serialised) when given. The compiler's
// diagnostics go to `diagnostics` when it is given.
std::shared_ptr<const routing::RuleSet> compile_with(const std::vector<routing::SourceFile>& files,
                                                     const routing::MatterModel* model,
                                                     std::vector<routing::Diagnostic>* diagnostics = nullptr) {
  std::vector<routing::SourceFile> all;
  for (const auto& f : files) {
    if (!f.path.ends_with(".model")) all.push_back(f);
  }
  if (model) all.push_back({"model/matters.model", model->serialize({}), "model/matters.model"});
  auto result = routing::RuleSet::compile(all);
  if (diagnostics) diagnostics->insert(diagnostics->end(), result.diagnostics.begin(), result.diagnostics.end());
  return result.rule_set;
}

// The routed matter counts when it is the label or lies within it (a label "06" is met by any 06 matter).
bool meets(const std::string& routed, const std::string& label) {
  return !routed.empty() && routed.starts_with(label);
}

struct Tally {
  std::map<std::string, std::array<std::size_t, 4>> per_label;            // messages, model right, router with, without
  std::map<std::pair<std::string, std::string>, std::size_t> confusions;  // (label, router's answer)
  std::array<std::size_t, 4> total{};
};

std::string model_answer(const routing::MatterModel& model, const routing::RuleSet& rules, const std::string& text) {
  thread_local routing::TextFeatures features;
  thread_local std::vector<routing::MatterModel::Ranked> ranked;
  features.read(text, rules.inference().features, model.min_n(), model.max_n());
  model.predict(features, ranked, 1);
  return ranked.empty() ? std::string() : model.labels()[ranked.front().label].code;
}

void score(const std::vector<Example>& examples, const std::vector<std::size_t>& which,
           const routing::MatterModel& model, const routing::RuleSet& with, const routing::RuleSet& without,
           Tally& tally) {
  for (const auto i : which) {
    const auto& e = examples[i];
    routing::Ticket t;
    t.content = e.text;
    const auto routed_with = routing::route(t, with).matter;
    const auto cut = [&](const std::string& code) { return code.substr(0, std::min(code.size(), e.label.size())); };
    const std::array<bool, 3> right{meets(model_answer(model, with, e.text), e.label), meets(routed_with, e.label),
                                    meets(routing::route(t, without).matter, e.label)};
    auto& row = tally.per_label[e.label];
    row[0]++, tally.total[0]++;
    for (std::size_t k = 0; k < 3; ++k) {
      row[k + 1] += right[k];
      tally.total[k + 1] += right[k];
    }
    if (!right[1]) tally.confusions[{e.label, routed_with.empty() ? "none" : cut(routed_with)}]++;
  }
}

std::string percent(std::size_t part, std::size_t whole) {
  if (whole == 0) return "-";
  std::ostringstream o;
  o.setf(std::ios::fixed);
  o.precision(1);
  o << 100.0 * static_cast<double>(part) / static_cast<double>(whole) << '%';
  return o.str();
}

void print_tally(const Tally& tally, const routing::RuleSet& rules, std::ostream& out) {
  out << "label   messages  model  router+model  router alone  name\n";
  for (const auto& [label, row] : tally.per_label) {
    const auto* m = rules.find_matter(label);
    char line[128];
    std::snprintf(line, sizeof line, "%-8s %7zu %7s %12s %12s  ", label.c_str(), row[0],
                  percent(row[1], row[0]).c_str(), percent(row[2], row[0]).c_str(), percent(row[3], row[0]).c_str());
    out << line << (m ? m->name : "") << '\n';
  }
  const auto& t = tally.total;
  out << "overall  " << t[0] << " messages: model " << percent(t[1], t[0]) << ", router with the model "
      << percent(t[2], t[0]) << ", router without it " << percent(t[3], t[0]) << '\n';
  if (tally.per_label.size() <= 12) {  // a full confusion table fits on a screen
    out << "confusion (rows: label, columns: the router's matter cut to the label's level):\n        ";
    std::vector<std::string> columns;
    for (const auto& [label, _] : tally.per_label) columns.push_back(label);
    columns.push_back("other");
    for (const auto& c : columns) out << ' ' << std::string(std::max<std::size_t>(6, c.size()) - c.size(), ' ') << c;
    out << '\n';
    for (const auto& [label, row] : tally.per_label) {
      out << std::string(8 - std::min<std::size_t>(8, label.size()), ' ') << label;
      std::size_t wrong_known = 0;
      for (const auto& c : columns) {
        std::size_t n = 0;
        if (c == label) {
          n = row[2];
        } else if (c != "other") {
          const auto it = tally.confusions.find({label, c});
          n = it == tally.confusions.end() ? 0 : it->second;
          wrong_known += n;
        } else {
          n = row[0] - row[2] - wrong_known;
        }
        const auto cell = std::to_string(n);
        out << ' ' << std::string(std::max<std::size_t>(6, c.size()) - cell.size(), ' ') << cell;
      }
      out << '\n';
    }
    return;
  }
  std::vector<std::pair<std::size_t, std::pair<std::string, std::string>>> worst;
  for (const auto& [pair, n] : tally.confusions) worst.emplace_back(n, pair);
  std::sort(worst.begin(), worst.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  out << "confusions (label → the router's matter, most frequent first):\n";
  for (std::size_t i = 0; i < worst.size() && i < 15; ++i) {
    const auto& [label, got] = worst[i].second;
    const auto* a = rules.find_matter(label);
    const auto* b = rules.find_matter(got);
    out << "  " << label << ' ' << (a ? a->name : "") << " → " << got << ' ' << (b ? b->name : "") << ": "
        << worst[i].first << '\n';
  }
}

// The level of the catalogue a model's labels are all at ("class": two digits, "subclass": four), or "" (leaves,
// or labels of mixed levels: test labels are then taken as they are).
std::string level_of(const routing::MatterModel& model) {
  const auto& labels = model.labels();
  const auto all = [&](std::size_t digits) {
    return std::all_of(labels.begin(), labels.end(), [&](const auto& l) { return l.code.size() == digits; });
  };
  return all(2) ? "class" : all(4) ? "subclass" : "";
}

routing::TrainOptions options_for(const LearnArgs& args, const routing::RuleSet& rules) {
  routing::TrainOptions o;
  o.max_n = args.max_n;
  o.max_features = args.max_features;
  o.features = rules.inference().features;
  return o;
}

}  // namespace

int rules_learn(const LearnArgs& args, std::ostream& out, std::ostream& err) {
  const auto fail = [&](const std::vector<std::string>& errors) {
    for (std::size_t i = 0; i < errors.size() && i < k_max_errors; ++i) err << errors[i] << '\n';
    if (errors.size() > k_max_errors) err << "… and " << errors.size() - k_max_errors << " more\n";
    err << "rules learn: nothing written\n";
    return 1;
  };
  if (!args.from.empty() && !args.database.empty()) return fail({"give --from or --database, not both"});
  if (args.from.empty() && args.database.empty() && args.test.empty()) {
    return fail({"give --from FILE.csv|FILE.jsonl or --database DB (and optionally --test FILE)"});
  }
  if (args.max_n < 1 || args.max_n > 3) return fail({"--ngrams must be 1, 2 or 3"});
  if (args.cv == 1) return fail({"--cv needs at least 2 folds"});
  if (!args.database.empty() && !require_database("rules learn", args.database, err)) return 1;

  std::vector<routing::Diagnostic> io;
  const auto files = read_rule_files(args.rules_dir, RuleFileKind::routing, io);
  const auto base = routing::has_errors(io) ? nullptr : compile_with(files, nullptr, &io);
  if (!base) {  // the problems themselves (a missing folder, a file's error), then where to see them all
    std::vector<std::string> lines;
    std::size_t errors = 0;
    for (const auto& d : io) {
      if (d.severity == routing::Severity::error && errors++ < 5) lines.push_back(d.to_string());
    }
    if (errors > 5) lines.push_back("… and " + std::to_string(errors - 5) + " more");
    lines.push_back(args.rules_dir + ": the rules are rejected; `hotlinectl rules check " + args.rules_dir +
                    "` lists every problem");
    return fail(lines);
  }

  std::vector<std::string> map_errors;
  const LabelMap map = args.map.empty() ? LabelMap{} : read_label_map(args.map, *base, map_errors);
  if (!map_errors.empty()) return fail(map_errors);

  Input train;
  const bool training = !args.from.empty() || !args.database.empty();
  if (training) {
    const auto source = args.from.empty() ? args.database : args.from;
    train = args.from.empty() ? read_database(args.database) : read_file(args.from, args);
    check_labels(train, *base, args, map, source);
    if (train.errors.empty() && train.examples.empty()) train.errors.push_back(source + ": no labelled messages");
    if (!train.errors.empty()) return fail(train.errors);
    if (args.cv > train.examples.size()) return fail({"--cv is larger than the number of messages"});
  }
  // Testing the folder's own model: its labels say the level its test labels are cut to (a class-level model is
  // met by a leaf label's class), unless --level says otherwise.
  std::shared_ptr<const routing::MatterModel> own_model;
  LearnArgs test_args = args;
  if (!training) {
    std::vector<routing::SourceFile> own;
    for (const auto& f : files) {
      if (f.path.ends_with(".model")) own.push_back(f);
    }
    if (own.empty()) return fail({args.rules_dir + ": no model/*.model to test; give --from to train one"});
    std::vector<routing::Diagnostic> diagnostics;
    own_model = routing::MatterModel::parse(own.front(), diagnostics);
    if (!own_model) {
      std::vector<std::string> errors;
      for (const auto& d : diagnostics) errors.push_back(d.to_string());
      return fail(errors);
    }
    if (test_args.level.empty()) test_args.level = level_of(*own_model);
  }
  Input test;
  if (!args.test.empty()) {
    test = read_file(args.test, args);
    check_labels(test, *base, test_args, map, args.test);
    if (test.errors.empty() && test.examples.empty()) test.errors.push_back(args.test + ": no labelled messages");
    if (!test.errors.empty()) return fail(test.errors);
  }

  const auto options = options_for(args, *base);
  std::shared_ptr<const routing::MatterModel> model;
  std::vector<std::string> summary;
  if (training) {
    std::map<std::string, std::size_t> per_label;
    for (const auto& e : train.examples) per_label[e.label]++;
    if (per_label.size() < 2) {
      return fail({"the messages have one label only (" + per_label.begin()->first +
                   "): a model needs at least two to choose between"});
    }
    out << "training on " << train.examples.size() << " messages, " << per_label.size() << " labels";
    if (train.unlabelled > 0) out << " (" << train.unlabelled << " unlabelled skipped)";
    out << '\n';
    summary.push_back("hotline matter model: multinomial naive Bayes over character n-grams, written by");
    summary.push_back("`hotlinectl rules learn` (hotline " + std::string(k_version) +
                      "). Review it, commit it with the rules.");
    summary.push_back("trained on " + std::to_string(train.examples.size()) + " messages from " +
                      (args.from.empty() ? args.database : fs::path(args.from).filename().string()) + ", " +
                      std::to_string(per_label.size()) + " labels" +
                      (args.level.empty() ? "" : " (" + args.level + ")") + ", n-grams 1-" +
                      std::to_string(args.max_n) +
                      (args.map.empty() ? "" : ", labels mapped by " + fs::path(args.map).filename().string()));

    if (args.cv > 0) {
      std::vector<std::size_t> order(train.examples.size());
      std::iota(order.begin(), order.end(), 0);
      std::shuffle(order.begin(), order.end(), std::mt19937(12345));
      Tally tally;
      for (std::size_t fold = 0; fold < args.cv; ++fold) {
        std::vector<Example> part;
        std::vector<std::size_t> held;
        for (std::size_t k = 0; k < order.size(); ++k) {
          if (k % args.cv == fold) {
            held.push_back(order[k]);
          } else {
            part.push_back(train.examples[order[k]]);
          }
        }
        const auto m = routing::MatterModel::train(labelled(part), options);
        const auto with = compile_with(files, &m);
        if (!with) return fail({"the trained model does not load with the rules (a label left the catalogue?)"});
        score(train.examples, held, m, *with, *base, tally);
      }
      out << "cross-validation, " << args.cv << " folds:\n";
      print_tally(tally, *base, out);
      summary.push_back(std::to_string(args.cv) + "-fold cross-validation: model " +
                        percent(tally.total[1], tally.total[0]) + ", router with the model " +
                        percent(tally.total[2], tally.total[0]) + ", router without it " +
                        percent(tally.total[3], tally.total[0]));
    }
    model = std::make_shared<routing::MatterModel>(routing::MatterModel::train(labelled(train.examples), options));
    summary.push_back(std::to_string(model->feature_count()) + " n-grams; per label: messages");
    std::string line;
    for (const auto& [label, n] : per_label) {
      line += (line.empty() ? "" : ", ") + label + " " + std::to_string(n);
      if (line.size() > 100) summary.push_back("  " + line), line.clear();
    }
    if (!line.empty()) summary.push_back("  " + line);
  } else {
    model = own_model;
  }

  if (!test.examples.empty()) {
    const auto with = compile_with(files, model.get());
    if (!with) return fail({"the model does not load with the rules (a label left the catalogue?)"});
    std::vector<std::size_t> all(test.examples.size());
    std::iota(all.begin(), all.end(), 0);
    Tally tally;
    score(test.examples, all, *model, *with, *base, tally);
    out << "held-out " << args.test << ":\n";
    print_tally(tally, *base, out);
    if (training) {
      summary.push_back("held-out " + fs::path(args.test).filename().string() + ": model " +
                        percent(tally.total[1], tally.total[0]) + ", router with the model " +
                        percent(tally.total[2], tally.total[0]));
    }
  }

  if (training && !args.write) out << "--dry-run: nothing written\n";
  if (!training || !args.write) return 0;
  // What is written must load: a model needs two labels to choose between, and n-grams to weigh.
  if (model->feature_count() == 0) return fail({"the messages have no n-gram to learn from"});
  if (std::vector<routing::Diagnostic> diagnostics; !compile_with(files, model.get(), &diagnostics)) {
    std::vector<std::string> errors{"the trained model does not load with the rules:"};
    for (const auto& d : diagnostics) errors.push_back(d.to_string());
    return fail(errors);
  }
  const fs::path target = args.out.empty() ? fs::path(args.rules_dir) / "model" / "matters.model" : fs::path(args.out);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  const auto temporary = fs::path(target.string() + ".tmp");
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << model->serialize(summary);
    file.flush();
    if (!file) {
      err << "rules learn: cannot write " << temporary.string() << '\n';
      fs::remove(temporary, ec);
      return 2;
    }
  }
  fs::rename(temporary, target, ec);
  if (ec) {
    err << "rules learn: cannot write " << target.string() << ": " << ec.message() << '\n';
    fs::remove(temporary, ec);
    return 2;
  }
  out << "wrote " << target.string() << " (" << model->labels().size() << " labels, " << model->feature_count()
      << " n-grams, " << fs::file_size(target, ec) / 1024 << " KiB); `hotlinectl rules check` it, then reload\n";
  return 0;
}

}  // namespace hotline::daemon
