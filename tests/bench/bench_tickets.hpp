// The route benchmark's texts, shared by route_bench and route_dump: 64 complaints of ~250 Chinese characters,
// each an opening with a place, four complaint bodies and two endings.
#pragma once

#include <string>
#include <vector>

#include "routing/ticket.hpp"

namespace hotline::bench {

inline std::vector<hotline::routing::Ticket> make_tickets() {
  const char* openings[] = {
      "您好，我是芗城区西桥街道的居民，",
      "我住在漳浦县绥安镇，",
      "龙海区角美镇这边有个情况想反映一下，",
      "我是东山县铜陵镇的一个个体户，",
      "你好，长泰区武安镇，",
      "南靖县山城镇这里，",
      "我要反映一下，",
      "我在龙文区蓝田街道上班，",
  };
  const char* bodies[] = {
      "小区门口的路灯已经坏了一个多星期了，晚上出门黑漆漆的，老人小孩走路都很危险，",
      "楼下工地每天晚上十一点以后还在施工，打桩机的声音吵得我们整栋楼都睡不着觉，",
      "我们厂老板已经拖欠我们三个月的工资了，现在人也找不到，电话也不接，",
      "物业这个月开始乱收停车费，每个月多收两百块，也没有业主大会表决，",
      "家里停水两天了，自来水公司也没有提前通知，打电话过去一直说在抢修，",
      "医保卡在药店刷不了，说是系统问题，报销的钱也一直没有到账，",
      "这边有一家餐馆的油烟直接排到我们家窗户，夏天根本不敢开窗，",
      "孩子入学的事情，户口在这边但是学校说学位已经满了不给报名，",
  };
  const char* endings[] = {
      "打了好几次电话都没有人管，希望有关部门尽快派人过来看看，给我们一个答复，谢谢。",
      "我们已经找过社区和物业，都说不归他们管，互相推来推去，实在没有办法才打12345，请帮忙处理。",
  };
  std::vector<hotline::routing::Ticket> tickets;
  for (std::size_t i = 0; i < 64; ++i) {
    hotline::routing::Ticket t;
    t.content = std::string(openings[i % 8]) + bodies[(i / 8) % 8] + bodies[(i + 3) % 8] + bodies[(i + 5) % 8] +
                bodies[(i + 6) % 8] + endings[i % 2] + endings[(i + 1) % 2] +
                "我的联系电话是一三九零零零零零零零零，白天晚上都可以打。";
    t.type = hotline::routing::RequestType::complaint;
    tickets.push_back(std::move(t));
  }
  return tickets;
}

}  // namespace hotline::bench
