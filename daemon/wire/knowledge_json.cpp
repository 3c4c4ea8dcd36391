#include "daemon/wire/knowledge_json.hpp"

namespace hotline::daemon {
namespace json = boost::json;

json::object knowledge_to_json(const routing::KnowledgeMatch& m, const routing::RuleSet& rules) {
  const auto& e = *m.entry;
  const auto* matter = rules.find_matter(e.matter);
  json::array matched;
  for (const auto& k : m.matched) matched.emplace_back(k);
  return {{"id", e.id},
          {"matter", e.matter},
          {"matter_name", matter ? json::value(matter->name) : json::value(nullptr)},
          {"question", e.question},
          {"answer", e.answer},
          {"source", e.source},
          {"valid_until", e.valid_until ? json::value(routing::format_day(*e.valid_until)) : json::value(nullptr)},
          {"score", m.score},
          {"matched", std::move(matched)}};
}

json::array knowledge_to_json(const std::vector<routing::KnowledgeMatch>& matches, const routing::RuleSet& rules) {
  json::array out;
  for (const auto& m : matches) out.emplace_back(knowledge_to_json(m, rules));
  return out;
}

}  // namespace hotline::daemon
