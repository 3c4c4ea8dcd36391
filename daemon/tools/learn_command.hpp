// hotlinectl rules learn: trains the matter model (routing/matter_model.hpp) from the hotline's own labelled
// history — a CSV or JSON-lines file of (text, matter code), or the tickets whose matter an operator gave — and
// writes it into the rules folder as model/matters.model; optionally cross-validates it and scores a held-out file.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

namespace hotline::daemon {

struct LearnArgs {
  std::string rules_dir = "rules";
  std::string from;              // FILE.csv or FILE.jsonl
  std::string database;          // or a hotline database
  std::string text = "content";  // the field (column) holding the citizen's words
  std::string label = "matter";  // the field (column) holding the matter code
  std::string map;               // a label map (daemon/tools/label_map.hpp): the history's labels -> codes
  std::string level;             // "", "class", "subclass" or "leaf": cut every label to that level
  std::size_t cv = 0;            // folds of cross-validation (0 = none)
  std::string test;              // a held-out file to score
  std::string out;               // default: RULES_DIR/model/matters.model
  bool write = true;             // false: --dry-run
  int max_n = 2;                 // n-grams of 1..max_n characters
  std::size_t max_features = 40000;
};

// Returns the exit code: 0 done, 1 bad input or rules (nothing written), 2 the model could not be written.
int rules_learn(const LearnArgs& args, std::ostream& out, std::ostream& err);

}  // namespace hotline::daemon
