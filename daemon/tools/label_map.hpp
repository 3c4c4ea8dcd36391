// rules learn --map: a city's history labels its tickets in its own categories (an older system's codes, a
// message board's topics), not in the catalogue's. A label map, a CSV file of two columns without a header (the
// history's label, the catalogue code it stands for), translates them before training and scoring.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace hotline::routing {
class RuleSet;
}

namespace hotline::daemon {

using LabelMap = std::map<std::string, std::string>;  // the history's label -> a catalogue code (any level)

// Reads the map at `path`, checking every code against the catalogue of `rules`. Each problem is one line in
// `errors` ("PATH: line N: …"): a record that is not two fields, an empty label, a code the catalogue does not
// have, a label given twice with different codes, an empty file.
LabelMap read_label_map(const std::string& path, const routing::RuleSet& rules, std::vector<std::string>& errors);

}  // namespace hotline::daemon
