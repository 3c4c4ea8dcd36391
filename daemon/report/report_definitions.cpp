// 指标说明: the rules every rate of the report is computed by, in the report itself, for the supervisors and unit
// heads who read it (they have the report, not the source). The wording follows `contribution()` in metrics.cpp
// and the table in this folder's README; a change of a definition changes all three.
#include <array>
#include <string>
#include <utility>

#include "daemon/report/report_model.hpp"

namespace hotline::report {
namespace {

struct Definition {
  Metric metric;
  const char* counted;  // the denominator
  const char* hit;      // the numerator
};

constexpr std::array<Definition, k_metric_count> k_definitions{{
    {Metric::sign_for,
     "签收时限已到或已签收的全部派单（主办和协办）；签收前被撤回的派单（退单获批、派单台改派、重新派单或仲裁改派）不计",
     "在签收时限内签收"},
    {Metric::response, "已签收、已申请退单或签收时限已过的全部派单（主办和协办）", "在签收时限内签收或申请退单"},
    {Metric::returns, "主办派单，已撤回的也计",
     "本单位申请过退单（获批、驳回或待审核的都计；超过次数转仲裁的也计）。派单台派单或重新派单撤回的不算退单"},
    {Metric::on_time, "现主办派单中，首轮已答复或原办结时限已过的",
     "首轮未被驳回的答复在原办结时限内（延期不改变原时限；被驳回的答复不算，之后的答复算；重办开始的新一轮不计）"},
    {Metric::redo, "现主办派单中，工单已回访过的", "工单重办过至少一次"},
    {Metric::satisfaction, "现主办派单中，最近一次回访评价了满意度的（未评价的不计）", "满意或基本满意"},
    {Metric::resolution, "现主办派单中，最近一次回访记录了解决情况的", "已解决（部分解决不算解决）"},
}};

}  // namespace

Section definitions() {
  Section s{
      "definitions",
      "指标说明",
      "统计对象是统计周期内派给各单位的工单，按报告日 24:00 前发生的一切评判。已并单和不予受理的工单不计；"
      "合并到主单、随主单答复的工单，其派单不计（按主单评判）；派单台暂存工单不计入任何比率（其派单时限见红牌、黄牌）。"
      "时限未到又未办理的不计入分子和分母；正好在时限那一刻办理算按时。协办单位只计及时签收率和响应率，其余"
      "指标只评主办单位。下派给下级单位的工单，下级的办理计入本单位。比率保留两位小数（四舍五入），"
      "分母为 0 时空白。",
      {{"metric", "指标"}, {"key", "字段"}, {"counted", "统计范围（分母）"}, {"hit", "达标（分子）"}},
      {},
      std::nullopt};
  for (const auto& d : k_definitions) {
    s.rows.push_back({Cell::of(std::string(metric_name(d.metric))), Cell::of(std::string(metric_key(d.metric))),
                      Cell::of(std::string(d.counted)), Cell::of(std::string(d.hit))});
  }
  return s;
}

}  // namespace hotline::report
