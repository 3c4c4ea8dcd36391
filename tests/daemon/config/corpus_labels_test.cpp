// The labelled messages of tests/corpus (the routing evaluation's data) against the shipped catalogue: every line
// is a message with a unique id, one of the message board's seven topics, a channel and a leaf of
// rules/matters.yaml, so a catalogue change that drops or renames a leaf they use is caught here.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <string>

#include "daemon/config/rules_loader.hpp"

namespace {

const std::set<std::string> k_topics = {"城乡建设",       "环境保护", "交通运输", "教育文体",
                                        "劳动和社会保障", "商贸旅游", "卫生计生"};

}  // namespace

TEST_CASE("the labelled corpora name leaves of the shipped catalogue", "[daemon][config][corpus]") {
  const auto compiled = hotline::daemon::load_rules(PROJECT_SOURCE_DIR "/rules");
  REQUIRE(compiled.rule_set);
  const auto& rules = *compiled.rule_set;
  for (const std::string name : {"messages.jsonl", "heldout.jsonl", "board.jsonl"}) {
    std::ifstream in(std::string(PROJECT_SOURCE_DIR) + "/tests/corpus/" + name, std::ios::binary);
    REQUIRE(in);
    std::set<std::string> ids;
    std::set<std::string> topics;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      INFO(name << ":" << number);
      boost::system::error_code ec;
      const auto value = boost::json::parse(line, ec);
      REQUIRE_FALSE(ec);
      const auto& o = value.as_object();
      const std::string id(o.at("id").as_string());
      const std::string topic(o.at("topic").as_string());
      const std::string matter(o.at("matter").as_string());
      const std::string channel(o.at("channel").as_string());
      CHECK(ids.insert(id).second);
      CHECK(k_topics.count(topic) == 1);
      topics.insert(topic);
      CHECK((channel == "web" || channel == "phone" || channel == "app"));
      CHECK_FALSE(o.at("content").as_string().empty());
      INFO("matter " << matter);
      CHECK(matter.size() == 6);
      CHECK(rules.find_matter(matter) != nullptr);
    }
    CHECK(number >= 200);
    CHECK(topics == k_topics);  // every topic is represented
  }
}
