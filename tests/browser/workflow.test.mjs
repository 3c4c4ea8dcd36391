// A ticket carried from intake to closed by two people in two browsers, as the hotline works: the operator types
// the complaint and watches the routing suggestion follow the text, submits; the chosen unit's terminal, open all
// along, shows the ticket without a reload, signs for it and asks for more time; the operator grants it; the unit
// replies; the operator approves the reply and records the follow-up; both windows show it closed. A unit of
// another county never sees it. Then the supervisor's board and the nightly report. Each screen is saved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSuite, newPage, openLogin, login, csrfToken, shot } from './harness.mjs';

const LEAD = '350602.gov';      // 芗城区人民政府: cooking fumes in 芗城区 go to the district government
const FOREIGN = '350623.cgj';   // 漳浦县城市管理局: another county
const people = {
  operator: { login: 'wangmin', password: 'wangmin-right-1', role: 'operator', name: '王敏' },
  liaison: { login: 'liyun', password: 'liyun-right-1', role: 'unit', unit: LEAD, name: '李芸' },
  foreign: { login: 'zhoujie', password: 'zhoujie-right-1', role: 'unit', unit: FOREIGN, name: '周杰' },
  supervisor: { login: 'zhaolei', password: 'zhaolei-right-1', role: 'supervisor', name: '赵磊' },
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
