// Knowledge-base entries as the API shows them: in GET /v1/kb and as the suggestions beside a consultation's
// routing decision (intake and explain).
#pragma once

#include <boost/json.hpp>
#include <vector>

#include "routing/knowledge_base.hpp"
#include "routing/rule_set.hpp"

namespace hotline::daemon {

// {id, matter, matter_name, question, answer, source, valid_until (or null), score, matched: [keywords]}
boost::json::object knowledge_to_json(const routing::KnowledgeMatch& m, const routing::RuleSet& rules);
boost::json::array knowledge_to_json(const std::vector<routing::KnowledgeMatch>& matches,
                                     const routing::RuleSet& rules);

}  // namespace hotline::daemon
