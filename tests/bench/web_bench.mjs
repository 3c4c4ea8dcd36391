// Web terminal benchmark (run by hand, never by CTest). Seeds TICKETS tickets into one unit (350602.cgj, with
// queue_bench), starts hotlined on 127.0.0.1:0 with that database, and measures in Debian's chromium:
//   1. first load: navigation → the login form ready (a fresh browser context: nothing cached; the User Timing
//      mark hotline:interactive the page sets);
//   2. the liaison officer's queue page with the unit's TICKETS tickets: reload → first queue row shown, beside the
//      queue and counts API calls it makes, timed from node;
//   3. the routing suggestion: last keystroke → the suggestion shown (the page's own clock, MutationObserver);
//   4. FEEDS terminals holding the unit's live feed at once (one session's cookie, as EventSource sends it): the
//      daemon's resident memory before and after, and how long one dispatch takes to reach all of them.
// Usage (from the repository root; the release build):
//   HOTLINED=build/release/daemon/hotlined HOTLINECTL=build/release/daemon/hotlinectl RULES_DIR=rules \
//   QUEUE_BENCH=build/release/tests/queue_bench node tests/bench/web_bench.mjs [TICKETS] [FEEDS]
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { Hotline, launchBrowser, newPage, openLogin, login } from '../browser/harness.mjs';

const tickets = Number(process.argv[2] || 100000);
const feeds = Number(process.argv[3] || 1000);
const runs = 15;
const UNIT = '350602.cgj';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} runs)`;
const rssKiB = async (pid) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))[1]);

function run(file, args) {
  return new Promise((done, fail) => execFile(file, args, { timeout: 600_000 }, (e, out, err) => (e ? fail(new Error(err)) : done(out))));
}

const people = {
  liaison: { login: 'liyun', password: 'liyun-bench-1', role: 'unit', unit: UNIT, name: '李芸' },
  operator: { login: 'wangmin', password: 'wangmin-bench-1', role: 'operator', name: '王敏' },
};
const hotline = await new Hotline().prepare({
  config: ['feed:', `  max_subscribers: ${feeds + 100}`, `  max_per_token: ${feeds + 100}`, `  max_per_address: ${feeds + 100}`,
           'http:', `  max_connections: ${feeds + 200}`, `  max_connections_per_address: ${feeds + 200}`],
});
const browser = await launchBrowser();
try {
  if (!process.env.QUEUE_BENCH) throw new Error('QUEUE_BENCH is not set (build/release/tests/queue_bench)');
  const seeded = await run(process.env.QUEUE_BENCH, [String(tickets), hotline.database]);
  console.log(`seeded with queue_bench ${tickets}:\n  ${seeded.trim().split('\n').join('\n  ')}`);
  for (const p of Object.values(people)) await hotline.addUser(p);
  await hotline.start();
  const url = hotline.url;

  // 1. First load, nothing cached.
  const cold = [];
  const coldPage = [];
  const coldDcl = [];
  for (let i = 0; i < runs; i++) {
    const page = await newPage(browser);
    // The browser's renderer for the origin starts on a page that is not the terminal (a browser in use has it
    // running): what is timed is the terminal's own load, with an empty cache.
    await page.goto(url + '/healthz');
    const t0 = performance.now();
    await page.goto(url + '/');
    await page.waitForSelector('#login:not([hidden])');
    cold.push(performance.now() - t0);
    // The page's own clock: from the navigation's start to the form shown (the script has run, the session
    // check answered), and to DOMContentLoaded (every script loaded and run).
    const [shown, dcl] = await page.evaluate(() => [performance.getEntriesByName('hotline:interactive')[0].startTime,
                                                    performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]);
    coldPage.push(shown);
    coldDcl.push(dcl);
    await page.context().close();
  }
  console.log(`first load to the login form, nothing cached: ${fmt(coldPage)} by the page's clock ` +
              `(DOMContentLoaded ${fmt(coldDcl)}); ${fmt(cold)} as the test driver sees it`);

  // 2. The unit's queue page, signed in, reloaded.
  const unit = await newPage(browser);
  await openLogin(unit, hotline);
  await login(unit, people.liaison.login, people.liaison.password);
  await unit.waitForSelector('#queue-rows tr');
  const pageTimes = [];
  const pageClock = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await unit.reload();
    await unit.waitForSelector('#queue-rows tr');
    pageTimes.push(performance.now() - t0);
    pageClock.push(await unit.evaluate(() => performance.getEntriesByName('hotline:interactive')[0].startTime));
  }
  await unit.waitForSelector('#dashboard[data-ready=true]');
  const cookie = (await unit.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const apiTimes = { queue: [], counts: [] };
  for (let i = 0; i < runs; i++) {
    for (const [key, path] of [['queue', `/v1/units/${UNIT}/queue?limit=50`], ['counts', `/v1/units/${UNIT}/counts`]]) {
      const t0 = performance.now();
      const res = await fetch(url + path, { headers: { cookie } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      apiTimes[key].push(performance.now() - t0);
    }
  }
  console.log(`queue page (reload → first row; ${tickets} tickets in the unit): ${fmt(pageClock)} by the page's clock; ` +
              `${fmt(pageTimes)} as the test driver sees it`);
  console.log(`  its API calls from node: queue ${fmt(apiTimes.queue)}; counts ${fmt(apiTimes.counts)}`);

  // 3. The routing suggestion after a pause in typing.
  const op = await newPage(browser);
  await openLogin(op, hotline);
  await login(op, people.operator.login, people.operator.password);
  await op.waitForSelector('#intake-content');
  await op.evaluate(() => {
    window.benchLastKey = 0;
    window.benchShown = 0;
    document.getElementById('intake-content').addEventListener('input', () => { window.benchLastKey = performance.now(); });
    new MutationObserver(() => { window.benchShown = performance.now(); })
      .observe(document.getElementById('suggestion'), { childList: true, subtree: true });
  });
  const texts = ['芗城区胜利西路烧烤店油烟很大', '龙文区朝阳路路灯不亮已经一周', '公司拖欠工资三个月不发',
                 '小区楼下工地晚上施工噪音扰民', '公交车司机态度恶劣不按站停靠'];
  const suggestTimes = [];
  for (let i = 0; i < runs; i++) {
    await op.fill('#intake-content', '');
    await op.locator('#intake-content').pressSequentially(texts[i % texts.length] + i, { delay: 15 });
    await op.waitForFunction(() => window.benchShown > window.benchLastKey);
    suggestTimes.push(await op.evaluate(() => window.benchShown - window.benchLastKey));
  }
  console.log(`routing suggestion after the last keystroke: ${fmt(suggestTimes)}`);

  // 4. FEEDS live feeds at once.
  const pid = hotline.child.pid;
  const before = await rssKiB(pid);
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const streams = [];
  let received = 0;
  let allReceived;
  const everyone = new Promise((done) => { allReceived = done; });
  const opened = [];
  for (let i = 0; i < feeds; i++) {
    opened.push(new Promise((ok, fail) => {
      const req = http.get(`${url}/v1/units/${UNIT}/feed`, { agent, headers: { cookie, accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) return fail(new Error(`feed ${i}: ${res.statusCode}`));
        let seen = false;
        res.setEncoding('utf8').on('data', (chunk) => {
          if (!seen && chunk.includes('event: dispatched')) {
            seen = true;
            if (++received === feeds) allReceived();
          }
        });
        streams.push(req);
        ok();
      });
      req.on('error', fail);
    }));
  }
  await Promise.all(opened);
  const held = await rssKiB(pid);
  const opCookie = (await op.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = await op.evaluate(async () => (await (await fetch('/v1/session')).json()).csrf_token);
  const t0 = performance.now();
  const posted = await fetch(url + '/v1/tickets', {
    method: 'POST', headers: { cookie: opCookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    body: JSON.stringify({ content: '胜利路路灯不亮', category: '010101', area: '350602' }) });
  if (posted.status !== 201) throw new Error(`intake: ${posted.status} ${await posted.text()}`);
  const timeout = setTimeout(() => allReceived(), 30_000);
  await everyone;
  clearTimeout(timeout);
  const fanout = performance.now() - t0;
  const after = await rssKiB(pid);
  console.log(`${feeds} live feeds: daemon RSS ${(before / 1024).toFixed(1)} MiB → ${(held / 1024).toFixed(1)} MiB held ` +
              `(+${((held - before) / 1024).toFixed(1)} MiB, ${((held - before) * 1024 / feeds / 1024).toFixed(1)} KiB a feed), ` +
              `${(after / 1024).toFixed(1)} MiB after one dispatch reached ${received} of them in ${fanout.toFixed(0)} ms`);
  for (const req of streams) req.destroy();
  agent.destroy();
} finally {
  await browser.close();
  await hotline.dispose();
}
