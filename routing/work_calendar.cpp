#include "routing/work_calendar.hpp"

#include <algorithm>
#include <climits>
#include <iterator>
#include <map>

#include "routing/content_hash.hpp"
#include "routing/yaml_reader.hpp"

namespace hotline::routing {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A day as one file gave it, remembered with its place so a later conflicting entry can point back to it.
struct StagedDay {
  bool working = false;
  std::string name;
  std::string where;  // "file:line:column"
};

class CalendarBuilder {
 public:
  CalendarBuilder(std::vector<Diagnostic>& out, FileLimits limits) : out_(out), limits_(limits) {}

  void add_file(const SourceFile& file) {
    if (ends_with(file.path, ".json")) {
      add_national(file);
    } else if (ends_with(file.path, ".yaml")) {
      add_local(file);
    } else {
      out_.push_back({file.shown(), 0, 0, "calendar files end in .json (a national table) or .yaml (local overrides)",
                      Severity::error});
    }
  }

  // The staged result, read by compile() once every file is in.
  std::map<Day, StagedDay> national, local;
  std::map<int, std::string> years;  // published year -> where its "year" key is

 private:
  static std::string where(const YamlReader& r, const YAML::Node& n) {
    return r.file() + ':' + std::to_string(r.line(n)) + ':' + std::to_string(r.column(n));
  }

  // JSON and YAML 1.2 booleans only: a quoted "true" is a string, and YAML 1.1 words (yes, on) are refused.
  static std::optional<bool> strict_bool(YamlReader& r, const YAML::Node& map, const std::string& key) {
    const YAML::Node n = map[key];
    if (!n.IsDefined() || n.IsNull()) {
      r.error(map, "missing required key '" + key + "'");
      return std::nullopt;
    }
    if (n.IsScalar() && n.Tag() == "?" && (n.Scalar() == "true" || n.Scalar() == "false")) return n.Scalar() == "true";
    r.error(n, "'" + key + "' must be true or false");
    return std::nullopt;
  }

  // The date of an entry, checked; nullopt (with a diagnostic) when absent or not a real YYYY-MM-DD date.
  static std::optional<Day> entry_date(YamlReader& r, const YAML::Node& entry) {
    const auto text = r.string(entry, "date", true);
    if (!text) return std::nullopt;
    const auto day = parse_day(*text);
    if (!day) r.error(entry["date"], "'" + *text + "' is not a date of the form YYYY-MM-DD");
    return day;
  }

  // Records `day` in `table`; a second entry for the same date must agree with the first.
  void stage(YamlReader& r, std::map<Day, StagedDay>& table, Day day, const YAML::Node& at, bool working,
             std::string name, std::string_view kind) {
    const auto [it, inserted] = table.try_emplace(day, StagedDay{working, std::move(name), where(r, at)});
    if (inserted || it->second.working == working) return;
    r.error(at, format_day(day) + " is " + (working ? "a working" : "an off") + " day here but " + std::string(kind) +
                    " " + it->second.where + " makes it " + (it->second.working ? "a working" : "an off") + " day");
  }

  void add_national(const SourceFile& file) {
    YamlReader r(file.shown(), out_, limits_);
    const auto root = r.parse(file.text);
    if (!root) return;
    if (!r.check_keys(*root, "holiday table", {"$schema", "$id", "year", "papers", "days"})) return;
    for (const char* key : {"year", "papers", "days"}) {
      if (!(*root)[key].IsDefined()) r.error(*root, std::string("missing required key '") + key + "'");
    }
    const auto year = r.integer(*root, "year");
    if (year && (*year < 1 || *year > 9999)) {
      r.error((*root)["year"], "'year' must lie in 1..9999");
      return;
    }
    const YAML::Node papers = (*root)["papers"];
    if (papers.IsDefined() && r.is_seq(papers, "'papers'")) {
      for (const auto& p : papers) {
        if (!p.IsScalar()) r.error(p, "items of 'papers' must be text (the notices' addresses)");
      }
    }
    const YAML::Node days = (*root)["days"];
    if (!days.IsDefined() || !r.is_seq(days, "'days'")) return;
    if (year && days.size() > 0) {
      const int y = static_cast<int>(*year);
      const auto [it, inserted] = years.try_emplace(y, where(r, (*root)["year"]));
      if (!inserted) r.error((*root)["year"], "year " + std::to_string(y) + " is already given at " + it->second);
    }
    for (const auto& entry : days) {
      if (!r.check_keys(entry, "a day of 'days'", {"name", "date", "isOffDay"})) continue;
      const auto name = r.string(entry, "name", true);
      const auto day = entry_date(r, entry);
      const auto off = strict_bool(r, entry, "isOffDay");
      if (!day || !off) continue;
      const Civil c = civil_from_day(*day);
      if (year && c.year != *year && !(c.year == *year - 1 && c.month == 12)) {
        r.error(entry["date"], format_day(*day) + " lies outside year " + std::to_string(*year) +
                                   " (a year's table may list only its own days and those of the previous December)");
        continue;
      }
      stage(r, national, *day, entry["date"], !*off, name.value_or(""), "national table at");
    }
  }

  void add_local(const SourceFile& file) {
    YamlReader r(file.shown(), out_, limits_);
    const auto root = r.parse(file.text);
    if (!root || root->IsNull()) return;  // an empty or comment-only file overrides nothing
    if (!r.check_keys(*root, "local calendar", {"overrides"})) return;
    const YAML::Node list = (*root)["overrides"];
    if (!list.IsDefined() || list.IsNull() || !r.is_seq(list, "'overrides'")) return;
    for (const auto& entry : list) {
      if (!r.check_keys(entry, "an override", {"date", "working", "name"})) continue;
      const auto day = entry_date(r, entry);
      const auto working = strict_bool(r, entry, "working");
      const auto name = r.string(entry, "name", false);
      if (!day || !working) continue;
      stage(r, local, *day, entry["date"], *working, name.value_or(""), "the override at");
    }
  }

  std::vector<Diagnostic>& out_;
  FileLimits limits_;
};

}  // namespace

// The last year whose fixed-date statutory holidays are listed ahead of its table (dates are taken to 2099).
constexpr int k_last_fixed_year = 2100;

CalendarResult WorkCalendar::compile(const std::vector<SourceFile>& files, FileLimits limits) {
  CalendarResult result;
  CalendarBuilder builder(result.diagnostics, limits);
  std::vector<const SourceFile*> ordered;
  for (const auto& f : files) ordered.push_back(&f);
  // Path order, so diagnostics ("... makes it an off day") always point from the later file to the earlier one.
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) { return a->path < b->path; });
  for (const auto* f : ordered) builder.add_file(*f);
  if (has_errors(result.diagnostics)) return result;

  std::shared_ptr<WorkCalendar> cal(new WorkCalendar());
  cal->version_ = content_version(files);
  for (const auto& entry : builder.years) cal->published_.push_back(entry.first);
  // National days first, then overrides replace them: the local government has the last word.
  std::map<Day, ListedDay> merged;
  for (const auto& [day, staged] : builder.national) merged[day] = {day, staged.working, false, staged.name};
  // Past the last published year, the holidays the law fixes by date are off even before their year's table:
  // 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October (全国年节及纪念日放假办法, as revised in 2024). Only the
  // table says how they are bridged to the weekend and which Saturdays or Sundays are worked, so deadlines
  // that reach such a year stay provisional. The lunar holidays (春节, 端午节, 中秋节) and 清明节 wait for it.
  if (!cal->published_.empty()) {
    static constexpr struct {
      int month, day;
      const char* name;
    } k_fixed[] = {{1, 1, "元旦"},    {5, 1, "劳动节"},  {5, 2, "劳动节"},
                   {10, 1, "国庆节"}, {10, 2, "国庆节"}, {10, 3, "国庆节"}};
    for (int year = cal->published_.back() + 1; year <= k_last_fixed_year; ++year) {
      for (const auto& f : k_fixed) {
        const Day d = day_from_civil(year, f.month, f.day);
        merged.try_emplace(d, ListedDay{d, false, false, std::string(f.name) + "（法定假日；放假安排未公布）"});
      }
    }
  }
  for (const auto& [day, staged] : builder.local) merged[day] = {day, staged.working, true, staged.name};
  cal->days_.reserve(merged.size());
  for (auto& [day, listed] : merged) cal->days_.push_back(std::move(listed));
  result.calendar = std::move(cal);
  return result;
}

namespace {

std::vector<WorkCalendar::ListedDay>::const_iterator first_at_or_after(const std::vector<WorkCalendar::ListedDay>& days,
                                                                       Day d) {
  return std::lower_bound(days.begin(), days.end(), d,
                          [](const WorkCalendar::ListedDay& l, Day x) { return l.day < x; });
}

}  // namespace

const WorkCalendar::ListedDay* WorkCalendar::find(Day d) const {
  const auto it = first_at_or_after(days_, d);
  return it != days_.end() && it->day == d ? &*it : nullptr;
}

Day WorkCalendar::next_listed_day(Day d) const {
  const auto it = first_at_or_after(days_, d);
  return it == days_.end() ? INT32_MAX : it->day;
}

Day WorkCalendar::previous_listed_day(Day d) const {
  const auto it = first_at_or_after(days_, d + 1);  // d + 1: never overflows, a Day is far from INT32_MAX
  return it == days_.begin() ? INT32_MIN : std::prev(it)->day;
}

bool WorkCalendar::is_working_day(Day d) const {
  if (const auto* listed = find(d)) return listed->working;
  return !is_weekend(d);
}

bool WorkCalendar::is_published(int year) const {
  return std::binary_search(published_.begin(), published_.end(), year);
}

int WorkCalendar::last_published_year() const {
  return published_.empty() ? 0 : published_.back();
}

bool WorkCalendar::is_settled(Day d) const {
  return is_published(civil_from_day(d).year);
}

std::string WorkCalendar::coverage_gap(Day today) const {
  const auto now = civil_from_day(today);
  const int needed = now.month >= 11 ? now.year + 1 : now.year;
  const int last = last_published_year();
  if (last >= needed) return {};
  const int first_missing = std::max(last + 1, now.year);
  return "the holiday calendar is published through " + (last > 0 ? std::to_string(last) : std::string("no year")) +
         ": deadlines that run into " + std::to_string(first_missing) +
         " count Monday to Friday as working days, less 元旦, 劳动节 and 国庆节, and are provisional until calendar/" +
         std::to_string(first_missing) +
         ".json, the State Council's table, is added (rules/calendar/README.md, "
         "Adding next year)";
}

std::optional<std::string> WorkCalendar::holiday_name(Day d) const {
  const auto* listed = find(d);
  if (listed == nullptr || listed->name.empty()) return std::nullopt;
  return listed->name;
}

bool WorkCalendar::is_overridden(Day d) const {
  const auto* listed = find(d);
  return listed != nullptr && listed->local;
}

}  // namespace hotline::routing
