// End-to-end: `hotlinectl rules learn` trains the matter model from labelled files and from a hotline database,
// cross-validates and scores it, refuses bad input without writing, and `rules diff` shows what the model changes.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <string>

#include "support/e2e.hpp"

namespace fs = std::filesystem;

namespace {

// Generated messages: words typical of a top class of the shipped catalogue among words any message has. Each
// class also has a made-up word of rare characters that no catalogue keyword holds, so that only the model knows
// it.
std::string generated_jsonl(std::size_t n, unsigned seed) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> classes = {
      {"08", {"工资", "老板", "加班费", "包工头", "劳动合同", "辞退", "社保", "齉齉"}},
      {"03", {"噪音", "楼上", "吵闹", "半夜", "音响", "装修", "臭味", "靐靐"}},
      {"06", {"学校", "老师", "孩子", "入学", "学位", "班主任", "作业", "龘龘"}},
  };
  const std::vector<std::string> filler = {"我们", "这个", "已经", "希望", "一下", "情况", "现在", "真的", "领导"};
  std::mt19937 rng(seed);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& [label, words] = classes[i % classes.size()];
    std::string text;
    for (int k = 0; k < 10; ++k) text += k % 3 == 0 ? words[rng() % words.size()] : filler[rng() % filler.size()];
    out += json::serialize(json::object{{"content", text}, {"matter", label}, {"id", i}}) + "\n";
  }
  return out;
}

std::string copy_rules(const TempDir& dir) {
  const std::string rules = dir.path() + "/rules";
  fs::copy(SHIPPED_RULES_DIR, rules, fs::copy_options::recursive);
  fs::remove_all(rules + "/model");  // train from nothing
  return rules;
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("rules learn cross-validates, writes a model the rules load, and rules diff shows it", "[e2e][tools]") {
  TempDir dir;
  const auto rules = copy_rules(dir);
  write(dir.path() + "/train.jsonl", generated_jsonl(150, 1));
  write(dir.path() + "/held.jsonl", generated_jsonl(30, 2));

  const auto r =
      run_command(HOTLINECTL_PATH, {"rules", "learn", "--rules", rules, "--from", dir.path() + "/train.jsonl", "--cv",
                                    "3", "--test", dir.path() + "/held.jsonl"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("training on 150 messages, 3 labels"));
  CHECK_THAT(r.out, Catch::Contains("cross-validation, 3 folds:"));
  CHECK_THAT(r.out, Catch::Contains("\n06            50 "));  // a row per label: messages, then the accuracies
  CHECK_THAT(r.out, Catch::Contains("confusion (rows: label"));
  CHECK_THAT(r.out, Catch::Contains("held-out " + dir.path() + "/held.jsonl:"));
  const std::regex overall(R"(overall  150 messages: model ([0-9.]+)%)");
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, overall));
  CHECK(std::stod(m[1].str()) >= 90.0);

  const std::string model = rules + "/model/matters.model";
  REQUIRE(fs::exists(model));
  std::ifstream in(model);
  std::stringstream text;
  text << in.rdbuf();
  CHECK_THAT(text.str(), Catch::Contains("# trained on 150 messages from train.jsonl, 3 labels"));
  CHECK_THAT(text.str(), Catch::Contains("# 3-fold cross-validation: model "));
  CHECK(run_command(HOTLINECTL_PATH, {"rules", "check", rules}).status == 0);

  // Words only the model knows: without it the desk has no matter for them; with it, the class it learned.
  const std::string tickets = "{\"content\":\"龘龘，龘龘\"}\n{\"content\":\"齉齉齉齉\"}\n";
  const auto diff = run_command(HOTLINECTL_PATH, {"rules", "diff", SHIPPED_RULES_DIR, rules}, tickets);
  INFO(diff.out);
  CHECK(diff.status == 0);
  CHECK_THAT(diff.out, Catch::Contains("2 ticket(s) routed, 2 route differently"));
  CHECK_THAT(diff.out, Catch::Contains("matter 06 教育"));

  // --test alone scores the folder's model.
  const auto scored =
      run_command(HOTLINECTL_PATH, {"rules", "learn", "--rules", rules, "--test", dir.path() + "/held.jsonl"});
  CHECK(scored.status == 0);
  CHECK_THAT(scored.out, Catch::Contains("overall  30 messages"));

  // A held-out file labelled with leaf matters is scored at the level of the model's labels (its classes here),
  // as the model was trained: a leaf label is met by a matter of its class.
  std::string leaves = generated_jsonl(30, 2);
  for (const auto& [cls, leaf] :
       {std::pair{"\"08\"", "\"080101\""}, {"\"03\"", "\"030101\""}, {"\"06\"", "\"060101\""}}) {
    for (auto at = leaves.find(cls); at != std::string::npos; at = leaves.find(cls, at)) leaves.replace(at, 4, leaf);
  }
  write(dir.path() + "/leaves.jsonl", leaves);
  const auto by_leaf =
      run_command(HOTLINECTL_PATH, {"rules", "learn", "--rules", rules, "--test", dir.path() + "/leaves.jsonl"});
  INFO(by_leaf.err);
  CHECK(by_leaf.status == 0);
  const std::regex model_share(R"(overall  30 messages: model ([0-9.]+)%)");
  REQUIRE(std::regex_search(by_leaf.out, m, model_share));
  CHECK(std::stod(m[1].str()) >= 90.0);
}

TEST_CASE("rules learn reads CSV, refuses bad input and writes nothing then", "[e2e][tools]") {
  TempDir dir;
  const auto rules = copy_rules(dir);
  const std::string model = rules + "/model/matters.model";

  // Quoted fields with commas, doubled quotes and a line break; an unlabelled row is skipped.
  std::string csv =
      "\xEF\xBB\xBF"
      "id,content,matter\n";
  const auto lines = generated_jsonl(40, 3);
  std::istringstream jl(lines);
  int n = 0;
  for (std::string line; std::getline(jl, line);) {
    const auto o = json::parse(line).as_object();
    csv +=
        std::to_string(n++) + ",\"" + str(o.at("content")) + "，\"\"原话\"\"\n第二行\"," + str(o.at("matter")) + "\n";
  }
  csv += "99,没有标签的留言,\n";
  write(dir.path() + "/train.csv", csv);
  const auto dry = run_command(HOTLINECTL_PATH,
                               {"rules", "learn", "--rules", rules, "--from", dir.path() + "/train.csv", "--dry-run"});
  INFO(dry.out << dry.err);
  CHECK(dry.status == 0);
  CHECK_THAT(dry.out, Catch::Contains("training on 40 messages, 3 labels (1 unlabelled skipped)"));
  CHECK_THAT(dry.out, Catch::Contains("--dry-run: nothing written"));
  CHECK_FALSE(fs::exists(model));

  const auto refused = [&](const std::string& name, const std::string& body, const std::string& why,
                           std::vector<std::string> extra = {}) {
    write(dir.path() + "/" + name, body);
    std::vector<std::string> args{"rules", "learn", "--rules", rules, "--from", dir.path() + "/" + name};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_command(HOTLINECTL_PATH, args);
    INFO(name << ": " << r.err);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains(why));
    CHECK_THAT(r.err, Catch::Contains("nothing written"));
    CHECK_FALSE(fs::exists(model));
  };
  refused("unknown.jsonl", "{\"content\":\"工资\",\"matter\":\"99\"}\n", "line 1: '99' is not a matter code");
  refused("number.jsonl", "{\"content\":\"工资\",\"matter\":801}\n", "line 1: 'matter' must be a string");
  refused("broken.jsonl", "{\"content\":\"工资\",\"matter\":\"08\"}\nnot json\n", "line 2: not a JSON object");
  refused("columns.csv", "text,label\n工资,08\n", "the header needs columns 'content' and 'matter'");
  refused("empty.jsonl", "", "no labelled messages");
  refused("train.txt", "工资\t08\n", "give a .csv or .jsonl file");
  refused("few.jsonl", "{\"content\":\"工资\",\"matter\":\"08\"}\n", "--cv is larger", {"--cv", "5"});
  // A model must have two labels to choose between and n-grams to weigh, or the rules would not load it.
  refused("one-label.jsonl", "{\"content\":\"工资\",\"matter\":\"08\"}\n{\"content\":\"老板\",\"matter\":\"08\"}\n",
          "one label only (08)");
  refused("no-grams.jsonl", "{\"content\":\"。。\",\"matter\":\"08\"}\n{\"content\":\"！！\",\"matter\":\"03\"}\n",
          "no n-gram to learn from");
  const auto none =
      run_command(HOTLINECTL_PATH, {"rules", "learn", "--rules", rules, "--test", dir.path() + "/train.csv"});
  CHECK(none.status == 1);
  CHECK_THAT(none.err, Catch::Contains("no model/*.model to test"));
}

TEST_CASE("rules learn names what is wrong with the rules folder and writes nothing", "[e2e][tools]") {
  TempDir dir;
  write(dir.path() + "/train.jsonl", generated_jsonl(12, 5));
  const auto learn = [&](const std::string& rules) {
    return run_command(HOTLINECTL_PATH, {"rules", "learn", "--rules", rules, "--from", dir.path() + "/train.jsonl"});
  };
  const auto missing = learn(dir.path() + "/no-such-rules");
  INFO(missing.err);
  CHECK(missing.status == 1);
  CHECK_THAT(missing.err, Catch::Contains("rules folder not found"));
  CHECK_THAT(missing.err, Catch::Contains("hotlinectl rules check " + dir.path() + "/no-such-rules`"));
  CHECK_THAT(missing.err, Catch::Contains("nothing written"));

  // A catalogue with a syntax error: the error's file and line, not only "rejected".
  const auto rules = copy_rules(dir);
  std::ofstream(rules + "/matters.yaml", std::ios::app) << "matters: [\n";
  const auto broken = learn(rules);
  INFO(broken.err);
  CHECK(broken.status == 1);
  CHECK_THAT(broken.err, Catch::Contains("matters.yaml:"));
  CHECK_THAT(broken.err, Catch::Contains("the rules are rejected"));
  CHECK_FALSE(fs::exists(rules + "/model/matters.model"));
}

TEST_CASE("rules learn --database trains on the tickets whose matter the operator gave", "[e2e][tools]") {
  TempDir dir;
  const auto rules = copy_rules(dir);
  const std::string db = dir.path() + "/hotline.db";
  {
    DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", rules});
    HttpClient client(daemon.port());
    std::istringstream lines(generated_jsonl(30, 4));
    for (std::string line; std::getline(lines, line);) {
      const auto o = json::parse(line).as_object();
      const auto body = json::serialize(json::object{{"content", o.at("content")}, {"category", o.at("matter")}});
      REQUIRE(client.post("/v1/tickets", body).status == 201);
    }
    REQUIRE(client.post("/v1/tickets", R"({"content":"没有给出事项的工单"})").status == 201);
    CHECK(daemon.stop(SIGTERM) == 0);
  }
  const auto r = run_command(HOTLINECTL_PATH, {"rules", "learn", "--rules", rules, "--database", db});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("training on 30 messages, 3 labels"));
  CHECK(fs::exists(rules + "/model/matters.model"));
}

TEST_CASE("rules learn --map translates a history's own labels into catalogue codes and checks the map",
          "[e2e][tools]") {
  TempDir dir;
  const auto rules = copy_rules(dir);
  const std::string model = rules + "/model/matters.model";
  // The generated messages labelled as an older system would: its own names, and one label already a code.
  const std::map<std::string, std::string> names = {{"08", "劳动保障类"}, {"03", "环境污染类"}};
  std::string history;
  std::istringstream lines(generated_jsonl(60, 5));
  for (std::string line; std::getline(lines, line);) {
    auto o = json::parse(line).as_object();
    const std::string code(o.at("matter").as_string());
    if (names.count(code)) o["matter"] = names.at(code);
    history += json::serialize(o) + "\n";
  }
  write(dir.path() + "/history.jsonl", history);
  write(dir.path() + "/map.csv", "\xEF\xBB\xBF劳动保障类,08\n\n\"环境污染类\",03\n劳动保障类,08\n");
  const auto learn = [&](const std::string& map) {
    return run_command(HOTLINECTL_PATH, {"rules", "learn", "--rules", rules, "--from", dir.path() + "/history.jsonl",
                                         "--map", dir.path() + "/" + map});
  };
  const auto r = learn("map.csv");
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("training on 60 messages, 3 labels"));
  std::ifstream in(model);
  std::stringstream text;
  text << in.rdbuf();
  CHECK_THAT(text.str(), Catch::Contains("labels mapped by map.csv"));
  CHECK_THAT(text.str(), Catch::Contains("per label: messages\n#   03 20, 06 20, 08 20"));
  fs::remove(model);

  const auto refused = [&](const std::string& body, const std::string& why) {
    write(dir.path() + "/bad.csv", body);
    const auto bad = learn("bad.csv");
    INFO(body << ": " << bad.err);
    CHECK(bad.status == 1);
    CHECK_THAT(bad.err, Catch::Contains(why));
    CHECK_THAT(bad.err, Catch::Contains("nothing written"));
    CHECK_FALSE(fs::exists(model));
  };
  refused("劳动保障类,08\n环境污染类,99\n", "bad.csv: line 2: '99' is not a matter code of the catalogue");
  refused("劳动保障类,08,备注\n", "bad.csv: line 1: 3 fields");
  refused("劳动保障类,08\n劳动保障类,0801\n", "bad.csv: line 2: '劳动保障类' was mapped to '08' before");
  refused(",08\n", "bad.csv: line 1: the label is empty");
  refused("\n", "bad.csv: the label map is empty");
  // A label the map does not name and that is not a code either.
  refused("劳动保障类,08\n",
          "'环境污染类' is not a matter code of the catalogue nor a label of " + dir.path() + "/bad.csv");
  const auto missing = learn("no-such.csv");
  CHECK(missing.status == 1);
  CHECK_THAT(missing.err, Catch::Contains("no-such.csv: cannot read the label map"));
}
