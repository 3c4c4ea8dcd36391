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

test('the supervisor sees the board and the latest nightly report inline', async () => {
  const sup = await signIn(people.supervisor);
  await sup.waitForSelector('#stage-totals');
  await shot(sup, 'workflow-7-supervisor-board');
  const token = await csrfToken(sup);
  const ran = await sup.evaluate(async (csrf) => (await fetch('/v1/admin/report', {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: '{}' })).status, token);
  assert.equal(ran, 200);
  await sup.click('nav a[href="#/reports"]');
  await sup.waitForSelector('#report-inline h1');
  assert.match(await sup.textContent('#report-inline'), /核心指标/);
  assert.equal(await sup.locator('#report-inline script, #report-inline style').count(), 0);
  assert.ok(await sup.locator('#report-list a', { hasText: 'Excel' }).count() >= 1);
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
