-- wrk script for the intake benchmark: POST /v1/tickets with ~600-byte Chinese bodies, varied per request.
local contents = {
  "芗城区胜利路与延安路交叉口的路灯已经连续一个星期晚上不亮了，附近居民晚上出行很不方便，老人小孩走路容易摔倒，前几天还有电动车在这里撞到了路边的石墩。希望有关部门尽快派人来维修，恢复照明，保障大家的出行安全，谢谢。",
  "漳浦县绥安镇某小区物业从本月开始对业主地下车库停车加收每月三百元的管理费，没有经过业主大会表决，也没有在小区公示收费标准和依据，业主去物业办公室询问，工作人员态度很差，请相关部门核实物业收费是否合法合规。",
  "龙文区某工地晚上十一点以后还在施工，打桩机和混凝土搅拌车的噪音非常大，吵得附近几栋楼的居民完全睡不着觉，家里有高三学生马上要考试，多次打电话给工地负责人都没有用，请求有关部门夜间到现场检查并依法处理。",
  "本人在龙海区一家服装厂上班，老板已经拖欠我们二十多个工人三个月的工资，每次去要都说再等等，现在工厂已经停工，老板电话也打不通了，大家都很着急，家里还要交房租和孩子学费，希望劳动监察部门帮助我们讨回工资。",
}
local bodies = {}
for i, c in ipairs(contents) do
  bodies[i] = '{"content":"' .. c .. '","type":"投诉","channel":"phone","address":"福建省漳州市","caller":{"name":"王女士","phone":"13900000000"}}'
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/v1/tickets", {["Content-Type"] = "application/json"}, bodies[(n % #bodies) + 1])
end
local non201 = 0
response = function(status, headers, body)
  if status ~= 201 then non201 = non201 + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("requests=%d rate=%.0f/s p50=%.2fms p99=%.2fms errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
