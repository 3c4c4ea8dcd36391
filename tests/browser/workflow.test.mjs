// A ticket carried from intake to closed by two people in two browsers, as the hotline works: the operator types
// the complaint and watches the routing suggestion follow the text, submits; the chosen unit's terminal, open all
// along, shows the ticket without a reload, signs for it and asks for more time; the operator grants it; the unit
// replies; the operator approves the reply and records the follow-up; both windows show it closed. A unit of
// another county never sees it. Then the supervisor's board and the nightly report. Each screen is saved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSuite, newPage, openLogin, login, csrfToken, shot, TIMEOUT_MS } from './harness.mjs';

const LEAD = '350602.gov';      // 芗城区人民政府: cooking fumes in 芗城区 go to the district government
const FOREIGN = '350623.cgj';   // 漳浦县城市管理局: another county
const people = {
  operator: { login: 'wangmin', password: 'wangmin-right-1', role: 'operator', name: '王敏' },
  liaison: { login: 'liyun', password: 'liyun-right-1', role: 'unit', unit: LEAD, name: '李芸' },
  foreign: { login: 'zhoujie', password: 'zhoujie-right-1', role: 'unit', unit: FOREIGN, name: '周杰' },
  supervisor: { login: 'zhaolei', password: 'zhaolei-right-1', role: 'supervisor', name: '赵磊' },
  admin: { login: 'sunli', password: 'sunli-right-1', role: 'admin', name: '孙丽' },
};

const suite = useSuite(people);

async function signIn(person, { keyboard = false } = {}) {
  const page = await newPage(suite.browser);
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss(); });
  await openLogin(page, suite.hotline);
  if (keyboard) {
    // The keyboard alone: the login name has the focus, Tab to the password, Enter submits.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'login-name');
    await page.keyboard.type(person.login);
    await page.keyboard.press('Tab');
    await page.keyboard.type(person.password);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#who:not([hidden])');
  } else {
    assert.equal((await login(page, person.login, person.password)).status(), 200);
  }
  page.problems = problems;
  return page;
}

const stateIs = (page, text) =>
  page.waitForFunction((t) => document.getElementById('ticket-state')?.textContent === t, text);

async function submitAction(page, action, label) {
  const form = page.locator(`form[data-action=${action}]`)
    .filter({ has: page.locator('h4', { hasText: new RegExp(`^${label}$`) }) });
  await form.locator('button[type=submit]').click();
}

test('an operator and a unit carry a ticket from intake to closed, live in both windows', async () => {
  const op = await signIn(people.operator, { keyboard: true });
  const unit = await signIn(people.liaison);
  const foreign = await signIn(people.foreign);
  await unit.waitForSelector('#dashboard');
  await foreign.waitForSelector('#dashboard');
  // A marker that a reload would wipe: the unit's window must show the ticket without one.
  await unit.evaluate(() => { window.notReloaded = true; });

  // The menu answers to its access keys: Alt+2 is the review queues, Alt+1 intake again.
  await op.keyboard.press('Alt+2');
  await op.waitForSelector('.view-review');
  await op.keyboard.press('Alt+1');

  // The suggestion follows the text: no place named → the dispatch desk; the district named → its government.
  await op.waitForSelector('#intake-content');
  await op.fill('#intake-name', '张三');
  await op.fill('#intake-phone', '13800138000');
  await op.locator('#intake-content').pressSequentially('胜利西路烧烤店油烟很大，晚上十点后还在营业', { delay: 10 });
  await op.waitForFunction(() => document.querySelector('#suggestion-facts [data-key="主办单位"]')?.textContent.includes('派单中心'));
  await op.locator('#intake-address').pressSequentially('芗城区胜利西路12号', { delay: 10 });
  await op.waitForFunction(() => document.querySelector('#suggestion-facts [data-key="主办单位"]')?.textContent.includes('芗城区人民政府'));
  assert.match(await op.textContent('#suggestion-facts [data-key="事项"]'), /餐饮油烟/);
  await shot(op, 'workflow-1-operator-intake');
  await op.click('#intake-submit');
  await op.waitForSelector('#new-ticket');
  const id = (await op.textContent('#new-ticket')).trim();
  assert.match(id, /^ZZ\d{14}$/);

  // Live: the row arrives on the unit's screen by its feed.
  const shown = Date.now();
  await unit.waitForSelector(`#queue-rows tr[data-id="${id}"]`);
  console.log(`# live: ticket on the unit's screen ${Date.now() - shown} ms after the operator saw its number`);
  assert.equal(await unit.evaluate(() => window.notReloaded), true, 'no reload');
  await shot(unit, 'workflow-2-unit-queue-live');

  await unit.click(`a[href="#/ticket/${id}"]`);
  await unit.waitForSelector('#ticket-content');
  assert.equal(await unit.textContent('#ticket-content'), (await unit.textContent('#ticket-content')).trim());
  assert.match(await unit.textContent('.facts'), /138\*\*\*\*8000/, 'the liaison officer sees the phone masked');
  await submitAction(unit, 'sign_for', '签收');
  await stateIs(unit, '办理中');
  await unit.fill('form[data-action=request_extension] textarea', '需协调市场监管部门联合执法');
  await submitAction(unit, 'request_extension', '申请延期');
  await stateIs(unit, '延期审核中');
  await shot(unit, 'workflow-3-unit-ticket');

  // The operator finds it in the extension review queue and grants it; the unit's page follows.
  await op.click('nav a[href="#/review"]');
  await op.click('button[data-state=extension_requested]');
  await op.click(`a[href="#/ticket/${id}"]`);
  await submitAction(op, 'review_extension', '同意延期');
  await stateIs(op, '办理中');
  await stateIs(unit, '办理中');
  await unit.fill('form[data-action=reply] textarea', '已责令该烧烤店安装油烟净化设备，并于22时前停止露天经营。');
  await submitAction(unit, 'reply', '回复');
  await stateIs(unit, '回复审核中');

  await op.click('nav a[href="#/review"]');
  await op.click('button[data-state=reply_review]');
  await op.click(`a[href="#/ticket/${id}"]`);
  await shot(op, 'workflow-4-operator-review');
  await submitAction(op, 'review_reply', '回复审核通过');
  await stateIs(op, '待回访');
  await submitAction(op, 'follow_up', '记录回访');
  await stateIs(op, '已办结');
  await stateIs(unit, '已办结');
  assert.match(await unit.textContent('#timeline'), /办结/);
  await shot(op, 'workflow-5-operator-closed');
  await shot(unit, 'workflow-5-unit-closed');

  // The other county's unit never saw it, and its page refuses the ticket's address.
  assert.equal(await foreign.locator(`#queue-rows tr[data-id="${id}"]`).count(), 0);
  const [refused] = await Promise.all([
    foreign.waitForResponse((r) => new URL(r.url()).pathname === `/v1/tickets/${id}`),
    foreign.goto(suite.hotline.url + `/#/ticket/${id}`),
  ]);
  assert.equal(refused.status(), 404, 'another unit gets no ticket (nor learns that it exists)');
  await foreign.waitForSelector('.view-ticket .error');
  assert.match(await foreign.textContent('.view-ticket .error'), /不存在或无权查看/);
  assert.equal(await foreign.locator('#ticket-content').count(), 0);
  await shot(foreign, 'workflow-6-foreign-unit-refused');

  for (const page of [op, unit, foreign]) assert.deepEqual(page.problems, []);
  for (const page of [op, unit, foreign]) await page.context().close();
});

test('the supervisor sees the board and the latest nightly report inline, its long tables folded', async () => {
  const sup = await signIn(people.supervisor);
  await sup.waitForSelector('#stage-totals');
  await shot(sup, 'workflow-7-supervisor-board');
  // No report yet: the page says how one is made and makes yesterday's at a click (POST /v1/admin/report, no body).
  await sup.click('nav a[href="#/reports"]');
  await sup.waitForSelector('#report-empty');
  assert.match(await sup.textContent('#report-empty'), /每晚自动生成/);
  await shot(sup, 'workflow-8-supervisor-no-report', { fullPage: false });
  const [made] = await Promise.all([
    sup.waitForResponse((r) => new URL(r.url()).pathname === '/v1/admin/report'),
    sup.click('#report-make'),
  ]);
  assert.equal(made.status(), 200, await made.text());
  assert.equal(made.request().postData(), null, 'no body: yesterday');
  assert.ok(made.request().headers()['x-csrf-token'], 'sent with the CSRF token');
  await sup.waitForSelector('#report-inline h1');
  assert.match(await sup.textContent('#report-inline'), /核心指标/);
  assert.equal(await sup.locator('#report-inline script, #report-inline style').count(), 0);
  assert.ok(await sup.locator('#report-list a', { hasText: 'Excel' }).count() >= 1);
  // Every unit is a row of 单位考核 (over a thousand): folded, so the page stays short; a short table is not.
  const folds = sup.locator('#report-inline details.fold');
  assert.ok(await folds.count() >= 1, 'a long table is folded');
  const rows = Number(await folds.first().getAttribute('data-rows'));
  assert.ok(rows > 30, `${rows} rows folded`);
  assert.equal(await folds.first().locator('summary').textContent(), `共 ${rows} 行，展开`);
  assert.equal(await sup.locator('#report-inline details.fold[open]').count(), 0);
  const unitsTable = sup.locator('#report-inline #units table');
  if (await unitsTable.count()) assert.equal(await unitsTable.first().isVisible(), false, 'the unit table is folded');
  const height = await sup.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height < 10000, `the page is ${height} px tall`);
  await folds.first().locator('summary').click();
  assert.equal(await folds.first().locator('summary').textContent(), `共 ${rows} 行，收起`);
  await folds.first().locator('summary').click();
  await sup.locator('#report-inline').scrollIntoViewIfNeeded();
  await shot(sup, 'workflow-8-supervisor-report', { fullPage: false });
  assert.deepEqual(sup.problems, []);
  await sup.context().close();
});

// ---- the intake form between two calls, and what the pages show around it ----------------------------------------

const INTAKE_FIELDS = ['intake-name', 'intake-phone', 'intake-when', 'intake-address', 'intake-content', 'intake-ask',
                       'intake-matter', 'intake-area'];
const intakeValues = (page) => page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.getElementById(id).value])),
                                             INTAKE_FIELDS);
const suggested = (page, key, text) => page.waitForFunction(([k, t]) =>
  document.querySelector(`#suggestion-facts [data-key="${k}"]`)?.textContent.includes(t), [key, text]);
// Submits the intake form; resolves with the POST /v1/tickets request's body and the response.
async function submitIntake(page) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/tickets' && r.request().method() === 'POST'),
    page.click('#intake-submit'),
  ]);
  return { sent: response.request().postDataJSON(), response };
}
// The controls (buttons, links, fields) a box on the screen lies over.
const controlsUnder = (page, selector) => page.evaluate((sel) => {
  const n = document.querySelector(sel).getBoundingClientRect();
  return [...document.querySelectorAll('button, a, input, select, textarea, summary')].filter((c) => {
    const r = c.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left < n.right && r.right > n.left && r.top < n.bottom && r.bottom > n.top;
  }).map((c) => c.outerHTML.slice(0, 80));
}, selector);

test('after a submit the intake form is clean: a hand-picked area does not follow the next caller', async () => {
  const op = await signIn(people.operator);
  await op.waitForSelector('#intake-content');
  await op.fill('#intake-name', '林阿姨');
  await op.fill('#intake-phone', '13606961111');
  await op.fill('#intake-address', '新华南路');
  await op.locator('#intake-content').pressSequentially('新华南路路灯坏了一个多星期，晚上很黑', { delay: 5 });
  // The area by hand, from the division tree: 漳州市 › 龙文区.
  await op.click('#intake-area ~ button:text-is("选择")');
  await op.click('.tree button[aria-label="展开 漳州市"]');
  await op.click('.tree button.link:text-is("龙文区（350603）")');
  assert.equal(await op.inputValue('#intake-area'), '龙文区（350603）');
  await suggested(op, '主办单位', '龙文区城市管理局');
  await op.waitForSelector('#caller-history h4');
  const first = await submitIntake(op);
  assert.equal(first.response.status(), 201);
  assert.equal(first.sent.area, '350603');
  await op.waitForSelector('#new-ticket');
  const firstId = (await op.textContent('#new-ticket')).trim();

  // Nothing of the call just taken is left in the form.
  assert.deepEqual(await intakeValues(op), Object.fromEntries(INTAKE_FIELDS.map((id) => [id, ''])));
  assert.equal(await op.isChecked('#intake-confidential'), false);
  assert.equal(await op.locator('#suggestion-facts').count(), 0, 'no routing suggestion left');
  assert.equal(await op.locator('#caller-history .tickets, #caller-history h4').count(), 0, 'no caller history left');

  // The outcome is on the screen without scrolling (1366×768), and has the focus for a screen reader.
  const shown = await op.locator('#intake-result').boundingBox();
  assert.ok(shown && shown.y >= 0 && shown.y + shown.height <= 768, `the result is on the screen: ${JSON.stringify(shown)}`);
  assert.equal(await op.evaluate(() => document.activeElement.id), 'intake-result');
  assert.match(await op.textContent('#intake-result'), /查询码 \d+/);
  await shot(op, 'workflow-9-intake-after-submit', { fullPage: false });

  // The next call's suggestion follows its own text (芗城区), not the area picked for the last one (龙文区).
  await op.locator('#intake-content').pressSequentially('芗城区胜利西路路灯不亮', { delay: 5 });
  await suggested(op, '主办单位', '芗城区城市管理局');
  assert.match(await op.textContent('#suggestion-facts [data-key="区域"]'), /芗城区/);
  // A caller who gives a name only: no empty phone is sent, and the server takes it.
  await op.fill('#intake-name', '陈先生');
  const second = await submitIntake(op);
  assert.equal(second.response.status(), 201, await second.response.text());
  assert.deepEqual(second.sent.caller, { name: '陈先生' });
  assert.equal(second.sent.area, undefined);
  assert.equal(second.sent.address, undefined);
  await op.waitForFunction((prev) => { const a = document.getElementById('new-ticket'); return a && a.textContent !== prev; }, firstId);
  const stored = await (await op.request.get(suite.hotline.url + '/v1/tickets/' + (await op.textContent('#new-ticket')).trim())).json();
  assert.equal(stored.unit.id, '350602.cgj');
  assert.equal(stored.decision.area.code, '350602');
  assert.equal(stored.caller.name, '陈先生');

  // A number the server refuses: the field is marked and has the focus; what was typed stays.
  await op.fill('#intake-phone', '12');
  await op.fill('#intake-content', '胜利西路路灯不亮');
  const refused = await submitIntake(op);
  assert.equal(refused.response.status(), 400);
  assert.equal((await refused.response.json()).field, 'caller.phone');
  await op.waitForSelector('#intake-phone[aria-invalid="true"]');
  assert.equal(await op.evaluate(() => document.activeElement.id), 'intake-phone');
  assert.match(await op.textContent('#intake-field-error'), /电话/);
  assert.equal(await op.inputValue('#intake-content'), '胜利西路路灯不亮');
  await shot(op, 'workflow-10-intake-bad-phone', { fullPage: false });
  await op.fill('#intake-phone', '');
  assert.equal(await op.locator('#intake-phone[aria-invalid]').count(), 0, 'editing the field clears the mark');

  assert.deepEqual(op.problems, []);
  await op.context().close();
});

test('what is typed in the intake form survives a session that ended elsewhere, not an explicit logout', async () => {
  const op = await signIn(people.operator);
  await op.waitForSelector('#intake-content');
  await op.fill('#intake-name', '黄女士');
  await op.fill('#intake-phone', '13912345678');
  await op.fill('#intake-content', '芗城区胜利西路烧烤店油烟很大');
  await suggested(op, '主办单位', '芗城区人民政府');
  // The caller's history has come (its look-up waits for a pause in typing): no request of this tab is on its way
  // when the session ends in the other one.
  await op.waitForSelector('#caller-history h4');
  const typed = await intakeValues(op);

  // Logged out in another tab of the same browser: the next call of this tab finds the session ended.
  const other = await op.context().newPage();
  await other.goto(suite.hotline.url + '/');
  await other.waitForSelector('#who:not([hidden])');
  await other.click('#logout');
  await other.waitForSelector('#login:not([hidden])');
  await other.close();
  await op.fill('#intake-address', '胜利西路12号');
  await op.waitForSelector('#login:not([hidden])');
  assert.match(await op.textContent('#login-error'), /登录已失效/);

  assert.equal((await login(op, people.operator.login, people.operator.password)).status(), 200);
  await op.waitForSelector('#intake-content');
  assert.deepEqual(await intakeValues(op), { ...typed, 'intake-address': '胜利西路12号' });
  await suggested(op, '主办单位', '芗城区人民政府');
  await shot(op, 'workflow-11-intake-after-login-again', { fullPage: false });

  // An explicit logout in this tab keeps nothing.
  await op.click('#logout');
  await op.waitForSelector('#login:not([hidden])');
  assert.equal((await login(op, people.operator.login, people.operator.password)).status(), 200);
  await op.waitForSelector('#intake-content');
  assert.deepEqual(await intakeValues(op), Object.fromEntries(INTAKE_FIELDS.map((id) => [id, ''])));

  assert.deepEqual(op.problems, []);
  await op.context().close();
});

test('after an approved return the ticket page names the new lead unit; notices cover no control', async () => {
  const op = await signIn(people.operator);
  const unit = await signIn(people.liaison);
  const opHeaders = { 'X-CSRF-Token': await csrfToken(op) };
  const created = await op.request.post(suite.hotline.url + '/v1/tickets', { headers: opHeaders,
    data: { content: '胜利西路烧烤店油烟很大，晚上十点后还在营业', address: '芗城区胜利西路12号' } });
  assert.equal(created.status(), 201, await created.text());
  const { id, unit: first } = await created.json();
  assert.equal(first.id, LEAD);
  const asked = await unit.request.post(suite.hotline.url + `/v1/tickets/${id}/request_return`, {
    headers: { 'X-CSRF-Token': await csrfToken(unit) }, data: { reason_code: 'not_our_duty', reason: '油烟污染由城管局查处' } });
  assert.equal(asked.status(), 200, await asked.text());
  const approved = await op.request.post(suite.hotline.url + `/v1/tickets/${id}/review_return`, {
    headers: opHeaders, data: { decision: 'approve', unit: '350602.cgj' } });
  assert.equal(approved.status(), 200, await approved.text());

  await op.goto(suite.hotline.url + `/#/ticket/${id}`);
  await op.waitForSelector('#ticket-content');
  const lead = () => op.evaluate(() => [...document.querySelectorAll('.facts dt')]
    .find((dt) => dt.textContent === '主办单位')?.nextElementSibling.textContent);
  await op.waitForFunction(() => [...document.querySelectorAll('.facts dt')]
    .find((dt) => dt.textContent === '主办单位')?.nextElementSibling.textContent === '芗城区城市管理局', null, { timeout: TIMEOUT_MS });
  assert.equal(await lead(), '芗城区城市管理局', 'the current lead, not the unit chosen at intake');

  // An action's notice: shown, and over no button, link or field wherever the page is scrolled (the old place,
  // bottom right, sat over the action forms' buttons).
  await op.locator('form[data-action=urge]').scrollIntoViewIfNeeded();
  await submitAction(op, 'urge', '催办');
  await op.waitForSelector('#notice:not([hidden])');
  await op.waitForSelector('#timeline .event-urged');
  const height = await op.evaluate(() => document.documentElement.scrollHeight - innerHeight);
  for (let y = 0; y <= height + 40; y += 40) {
    await op.evaluate((top) => window.scrollTo(0, top), y);
    assert.deepEqual(await controlsUnder(op, '#notice'), [], `scrolled to ${y} px`);
  }
  assert.equal(await op.isVisible('#notice'), true, 'the notice was there all along');
  await op.evaluate(() => window.scrollTo(0, 0));
  await shot(op, 'workflow-12-ticket-new-lead', { fullPage: false });
  for (const page of [op, unit]) assert.deepEqual(page.problems, []);
  for (const page of [op, unit]) await page.context().close();
});

test('an event that comes while the ticket page reloads is not lost: it is shown once the page is', async () => {
  const op = await signIn(people.operator);
  const boss = await signIn(people.supervisor);
  const created = await op.request.post(suite.hotline.url + '/v1/tickets', {
    headers: { 'X-CSRF-Token': await csrfToken(op) },
    data: { content: '胜利西路烧烤店油烟很大，晚上十点后还在营业', address: '芗城区胜利西路12号' } });
  assert.equal(created.status(), 201, await created.text());
  const { id } = await created.json();
  // Signed in after the intake, so that nothing but the events below makes the unit's page reload.
  const unit = await signIn(people.liaison);
  await unit.goto(suite.hotline.url + `/#/ticket/${id}`);
  await unit.waitForSelector('#ticket-content');
  await unit.waitForFunction(() => document.getElementById('live')?.textContent === '● 实时');

  // The page's fetches of the ticket are answered only after a later event reached the page, with the ticket as it
  // was when fetched: only that later event can show the page is behind. Fetches after the release go through.
  let fetched, release, holding = true;
  const wasFetched = new Promise((resolve) => { fetched = resolve; });
  const released = new Promise((resolve) => { release = resolve; });
  await unit.route(`**/v1/tickets/${id}`, async (route) => {
    if (!holding) return route.continue();
    const response = await route.fetch();
    fetched();
    await released;
    await route.fulfill({ response });
  });
  const urged = await op.request.post(suite.hotline.url + `/v1/tickets/${id}/urge`, {
    headers: { 'X-CSRF-Token': await csrfToken(op) }, data: { note: '请尽快处理' } });
  assert.equal(urged.status(), 200, await urged.text());
  await wasFetched;  // the urge made the page reload; its answer is held
  const supervised = await boss.request.post(suite.hotline.url + `/v1/tickets/${id}/supervise`, {
    headers: { 'X-CSRF-Token': await csrfToken(boss) }, data: { note: '督办：三日内办结' } });
  assert.equal(supervised.status(), 200, await supervised.text());
  await unit.waitForFunction((t) => document.getElementById('notice')?.textContent.includes('督办：' + t), id);
  holding = false;
  release();
  await unit.waitForSelector('#timeline .event-urged');
  await unit.waitForSelector('#timeline .event-supervised', { timeout: TIMEOUT_MS });
  for (const page of [op, unit, boss]) assert.deepEqual(page.problems, []);
  for (const page of [op, unit, boss]) await page.context().close();
});

test('the admin sees the rule set with Chinese labels', async () => {
  const admin = await signIn(people.admin);
  await admin.click('nav a[href="#/rules"]');
  await admin.waitForSelector('#rules-facts');
  const labels = await admin.locator('#rules-facts dt').allTextContents();
  for (const label of ['单位', '行政区划', '事项', '规则', '关键词']) assert.ok(labels.includes(label), `${label} in ${labels}`);
  for (const label of labels) assert.doesNotMatch(label, /^[a-z_]+$/, 'no English key shown');
  assert.deepEqual(admin.problems, []);
  await admin.context().close();
});

// ---- decisions beside what they decide, the unit picker, the lead unit in lists, refusals in Chinese --------------

// A box on the first screen (1366×768) without scrolling.
async function onFirstScreen(page, selector) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 768, `${selector} on the first screen: ${JSON.stringify(box)}`);
  return box;
}
// Posts an action as the page's person (the API, for setting a ticket up); resolves with the answer's JSON.
async function act(page, id, action, data) {
  const res = await page.request.post(suite.hotline.url + `/v1/tickets/${id}/${action}`,
                                      { headers: { 'X-CSRF-Token': await csrfToken(page) }, data });
  assert.equal(res.status(), 200, `${action}: ${await res.text()}`);
  return res.json();
}
async function intake(page, data) {
  const res = await page.request.post(suite.hotline.url + '/v1/tickets', { headers: { 'X-CSRF-Token': await csrfToken(page) }, data });
  assert.equal(res.status(), 201, await res.text());
  return res.json();
}
async function openTicket(page, id) {
  const url = suite.hotline.url + `/#/ticket/${id}`;
  if (page.url() === url) await page.reload(); else await page.goto(url);  // the same address: shown again
  await page.waitForFunction((t) => document.getElementById('ticket-id')?.textContent === t, id);
}
const leadShown = (page) => page.evaluate(() => [...document.querySelectorAll('.facts dt')]
  .find((dt) => dt.textContent === '主办单位')?.nextElementSibling.textContent);

test('a return, an extension and a reply are shown beside their decision; the unit picker finds 芗城区公安', async () => {
  const op = await signIn(people.operator);
  const unit = await signIn(people.liaison);

  // A return asked: its reason and type sit beside the decision, on the first screen.
  const { id } = await intake(op, { content: '胜利西路烧烤店油烟很大，楼上住户反映多次', address: '芗城区胜利西路20号' });
  await act(unit, id, 'request_return', { reason_code: 'not_our_duty', reason: '经营场所噪声和治安问题应由公安部门处理' });
  await openTicket(op, id);
  await op.waitForSelector('#pending');
  assert.match(await op.textContent('#pending'), /经营场所噪声和治安问题应由公安部门处理/);
  assert.match(await op.textContent('#pending'), /非本单位职责/);
  assert.match(await op.textContent('#pending'), /芗城区人民政府/);
  await onFirstScreen(op, '#pending .pending-text');
  const approve = 'form[data-action=review_return]:has(h4:text-is("同意退单并改派"))';
  await onFirstScreen(op, `${approve} button[type=submit]`);
  await onFirstScreen(op, 'form[data-action=review_return]:has(h4:text-is("不同意退单")) button[type=submit]');

  // The unit picker: what people type finds the unit; better matches first; nothing matching is said.
  const picker = op.locator(`${approve} input[role=combobox]`);
  const firstOption = (text) => op.waitForFunction((t) => {
    const li = document.querySelector('.unit-options:not([hidden]) li');
    return li && li.dataset.id === t ? li.textContent : null;
  }, text);
  await picker.pressSequentially('芗城区公安', { delay: 10 });
  await firstOption('350602.gaj');
  assert.match(await op.textContent('.unit-options li'), /漳州市公安局芗城分局/);
  await shot(op, 'workflow-13-unit-picker', { fullPage: false });
  await picker.fill('');
  await picker.pressSequentially('芗城 公安', { delay: 10 });
  await firstOption('350602.gaj');
  await picker.fill('');
  await picker.pressSequentially('没有这个单位', { delay: 10 });
  await op.waitForFunction(() => document.querySelector('.unit-hint')?.textContent === '无匹配的单位');
  assert.equal(await op.isVisible('.unit-options'), false);
  // Submitted without a unit chosen: said in Chinese beside the field, nothing sent.
  let sent = 0;
  const count = (r) => { if (r.url().endsWith('/review_return')) sent += 1; };
  op.on('request', count);
  await op.click(`${approve} button[type=submit]`);
  await op.waitForSelector(`${approve} .field-error`);
  assert.match(await op.textContent(`${approve} .field-error`), /无匹配的单位/);
  assert.equal(await picker.getAttribute('aria-invalid'), 'true');
  assert.equal(sent, 0, 'nothing is sent before the unit is chosen');
  op.off('request', count);
  // Typed again and chosen with Enter: the field shows 名称（id）, the request carries the id.
  await picker.fill('');
  await picker.pressSequentially('芗城区公安', { delay: 10 });
  await firstOption('350602.gaj');
  await picker.press('Enter');
  assert.equal(await picker.inputValue(), '漳州市公安局芗城分局（350602.gaj）');
  assert.equal(await picker.getAttribute('aria-invalid'), null, 'choosing clears the mark');
  const [approved] = await Promise.all([
    op.waitForResponse((r) => r.url().endsWith(`/v1/tickets/${id}/review_return`)),
    op.click(`${approve} button[type=submit]`),
  ]);
  assert.equal(approved.status(), 200, await approved.text());
  assert.deepEqual(approved.request().postDataJSON(), { decision: 'approve', unit: '350602.gaj' });
  await stateIs(op, '待签收');
  await op.waitForFunction(() => [...document.querySelectorAll('.facts dt')]
    .find((dt) => dt.textContent === '主办单位')?.nextElementSibling.textContent === '漳州市公安局芗城分局');

  // An extension asked: the days and the reason beside the decision.
  const second = await intake(op, { content: '胜利西路另一家烧烤店油烟很大，晚上十点后还在营业', address: '芗城区胜利西路36号' });
  await act(unit, second.id, 'sign_for', {});
  await act(unit, second.id, 'request_extension', { working_days: 3, reason: '需会同市场监管部门联合执法' });
  await openTicket(op, second.id);
  await op.waitForSelector('#pending');
  assert.match(await op.textContent('#pending'), /申请延期：3 个工作日/);
  assert.match(await op.textContent('#pending'), /需会同市场监管部门联合执法/);
  await onFirstScreen(op, '#pending .pending-text');
  await onFirstScreen(op, 'form[data-action=review_extension] button[type=submit]');
  await shot(op, 'workflow-14-extension-review', { fullPage: false });
  await submitAction(op, 'review_extension', '同意延期');
  await stateIs(op, '办理中');

  // The unit's reply: its text, basis, who and when, beside 回复审核通过 — not only at the foot of the timeline.
  await act(unit, second.id, 'reply', { text: '已约谈店主并责令安装油烟净化器，三日内整改完毕。', basis: '《大气污染防治法》第八十一条' });
  await openTicket(op, second.id);
  await op.waitForSelector('#pending');
  const pending = await op.textContent('#pending');
  for (const part of ['已约谈店主并责令安装油烟净化器，三日内整改完毕。', '《大气污染防治法》第八十一条', '芗城区人民政府',
                      '联络员 liyun', '回复时间']) assert.ok(pending.includes(part), `${part} in ${pending}`);
  const text = await onFirstScreen(op, '#pending .pending-text');
  const button = await onFirstScreen(op, 'form[data-action=review_reply] button[type=submit]');
  assert.ok(text.y < button.y + button.height, 'the reply is beside or above the decision');
  await shot(op, 'workflow-15-reply-review', { fullPage: false });

  for (const page of [op, unit]) assert.deepEqual(page.problems, []);
  for (const page of [op, unit]) await page.context().close();
});

test('search results and the review queues name each ticket\'s lead unit', async () => {
  const op = await signIn(people.operator);
  const unit = await signIn(people.liaison);
  const words = '路灯坏了晚上很黑，编号甲乙丙的那根';
  const here = await intake(op, { content: words, address: '芗城区新华南路' });
  const there = await intake(op, { content: words, address: '龙文区建元东路' });
  assert.notEqual(here.unit.id, there.unit.id, 'two alike tickets sent to different units');

  await op.click('nav a[href="#/search"]');
  await op.fill('#search-q', '编号甲乙丙');
  await op.click('form[role=search] button[type=submit]');
  await op.waitForSelector(`#search-results tr[data-id="${there.id}"]`);
  const headers = await op.locator('#search-results th').allTextContents();
  assert.ok(headers.includes('主办单位'), headers.join(' '));
  const unitIn = (page, list, id) => page.textContent(`${list} tr[data-id="${id}"] td.unit-cell`);
  assert.equal(await unitIn(op, '#search-results', here.id), here.unit.name);
  assert.equal(await unitIn(op, '#search-results', there.id), there.unit.name);
  await shot(op, 'workflow-16-search-units', { fullPage: false });

  // The review queue (退单审核): the unit that asked is in the row.
  const returned = await intake(op, { content: '胜利西路烧烤店油烟很大，编号丁戊己', address: '芗城区胜利西路60号' });
  await act(unit, returned.id, 'request_return', { reason_code: 'not_our_duty', reason: '油烟由城管局查处' });
  await op.click('nav a[href="#/review"]');
  await op.click('button[data-state=return_requested]');
  await op.waitForSelector(`#review-list tr[data-id="${returned.id}"]`);
  assert.ok((await op.locator('#review-list th').allTextContents()).includes('主办单位'));
  assert.equal(await unitIn(op, '#review-list', returned.id), '芗城区人民政府');

  for (const page of [op, unit]) assert.deepEqual(page.problems, []);
  for (const page of [op, unit]) await page.context().close();
});

test('a refusal is explained in Chinese beside its form, the field marked, the server\'s words as 详情', async () => {
  const op = await signIn(people.operator);
  const unit = await signIn(people.liaison);
  const { id } = await intake(op, { content: '胜利西路烧烤店油烟很大，编号庚辛壬', address: '芗城区胜利西路70号' });

  // The words of a problem that names a field.
  assert.equal(await op.evaluate(() => window.Hotline.refusal(400, {
    type: 'urn:hotline:problem:invalid-field', detail: 'must be a string', field: 'text' })),
  '填写有误：「回复内容」应为文字（详情：must be a string）');
  assert.equal(await op.evaluate(() => window.Hotline.refusal(409, {
    type: 'urn:hotline:problem:wrong-state', detail: 'Cannot follow_up a case that is reply_review.' })),
  '当前状态不能办理（详情：Cannot follow_up a case that is reply_review.）');

  // Merged into a ticket that does not exist: refused by the server, explained in the form, the field marked.
  await openTicket(op, id);
  const merge = 'form[data-action=merge]';
  await op.fill(`${merge} input >> nth=0`, 'ZZ123');
  await op.click(`${merge} button[type=submit]`);
  await op.waitForSelector(`${merge} .refusal`);
  const refusal = await op.textContent(`${merge} .refusal`);
  assert.match(refusal, /^不符合办理规则：「并入工单」/);
  assert.match(await op.textContent(`${merge} .refusal-detail`), /^详情：.*ZZ123/);
  assert.equal(await op.getAttribute(`${merge} input >> nth=0`, 'aria-invalid'), 'true');
  // Not only a passing notice: the refusal is in the form that was refused.
  assert.equal(await op.isVisible(`${merge} .refusal`), true);
  assert.doesNotMatch((await op.textContent('#notice')) || '', /ZZ123/);
  await shot(op, 'workflow-17-refusal', { fullPage: false });
  await op.fill(`${merge} input >> nth=0`, 'ZZ1234');
  assert.equal(await op.getAttribute(`${merge} input >> nth=0`, 'aria-invalid'), null, 'editing the field clears the mark');

  // What the page knows by itself is said before anything is sent: a reply of white space alone.
  await act(unit, id, 'sign_for', {});
  await openTicket(unit, id);
  await unit.fill('form[data-action=reply] textarea', '   ');
  await submitAction(unit, 'reply', '回复');
  await unit.waitForSelector('form[data-action=reply] .field-error');
  assert.match(await unit.textContent('form[data-action=reply] .field-error'), /请填写「回复内容」/);
  assert.equal(await unit.evaluate(() => document.activeElement.tagName), 'TEXTAREA');
  await stateIs(unit, '办理中');

  for (const page of [op, unit]) assert.deepEqual(page.problems, []);
  for (const page of [op, unit]) await page.context().close();
});
