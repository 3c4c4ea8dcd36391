// The web terminal's security behaviour in a real browser: failed and locked logins, a session the daemon no
// longer knows, CSRF, and citizen text that looks like HTML. One daemon and one browser for the whole file;
// each test has its own browser context (own cookies) and its own accounts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSuite, newPage, openLogin, login, csrfToken, shot } from './harness.mjs';

const XSS = '<img src=x onerror=alert(1)>';
const UNIT = '350602.cgj';  // 芗城区城市管理局: streetlights (010101) in 芗城区 (350602) go here

const people = {
  typo: { login: 'typo', password: 'typo-right-1', role: 'operator', name: '张晓' },
  locked: { login: 'locked', password: 'locked-right-1', role: 'operator', name: '陈静' },
  csrf: { login: 'csrf', password: 'csrf-right-1', role: 'operator', name: '林峰' },
  intake: { login: 'wangmin', password: 'wangmin-right-1', role: 'operator', name: '王敏' },
  liaison: { login: 'liyun', password: 'liyun-right-1', role: 'unit', unit: UNIT, name: '李芸' },
  expired: { login: 'huangli', password: 'huangli-right-1', role: 'unit', unit: UNIT, name: '黄丽' },
};

const suite = useSuite(people);

async function signedOutWith(page) {
  assert.equal(await page.isVisible('#login'), true, 'the login form is shown');
  assert.equal(await page.isVisible('#who'), false, 'nobody is shown as signed in');
  return (await page.textContent('#login-error')).trim();
}

test('a wrong password keeps the login form and says why', async () => {
  const page = await newPage(suite.browser);
  await openLogin(page, suite.hotline);
  const response = await login(page, people.typo.login, 'not-the-password');
  assert.equal(response.status(), 401);
  await shot(page, 'security-wrong-password');
  assert.notEqual(await signedOutWith(page), '', '#login-error says the login failed');
  await page.context().close();
});

test('five wrong passwords lock the login: the right one is then refused with the lock message', async () => {
  const page = await newPage(suite.browser);
  await openLogin(page, suite.hotline);
  for (let i = 0; i < 5; ++i) {
    assert.equal((await login(page, people.locked.login, `wrong-${i}-password`)).status(), 401, `failure ${i + 1}`);
  }
  const wrongMessage = await signedOutWith(page);
  const response = await login(page, people.locked.login, people.locked.password);
  assert.equal(response.status(), 429);
  assert.ok(response.headers()['retry-after'], '429 carries Retry-After');
  await shot(page, 'security-locked-login');
  const lockMessage = await signedOutWith(page);
  assert.notEqual(lockMessage, '', '#login-error shows the lock message');
  assert.notEqual(lockMessage, wrongMessage, 'the lock message is not the wrong-password one');
  await page.context().close();
});

test('a session the restarted daemon no longer knows returns the page to the login form', async () => {
  const page = await newPage(suite.browser);
  await openLogin(page, suite.hotline);
  assert.equal((await login(page, people.expired.login, people.expired.password)).status(), 200);
  await page.waitForSelector('#queue-rows', { state: 'attached' });
  await suite.hotline.restart();  // sessions live in the daemon's memory
  const session = await page.request.get(suite.hotline.url + '/v1/session');
  assert.equal(session.status(), 401, 'the old cookie is unknown to the restarted daemon');
  await page.reload();
  await page.waitForSelector('#login:not([hidden])');
  await shot(page, 'security-expired-session');
  const message = await signedOutWith(page);
  // The daemon answers an ended session and no session alike (401, and the cookie is HttpOnly): the page
  // remembers in the tab that someone was signed in and says the session ended.
  assert.match(message, /登录已失效/, '#login-error says the session ended');
  await page.context().close();
});

test('POSTs without the CSRF token are refused; with it logout works', async () => {
  const page = await newPage(suite.browser);
  await openLogin(page, suite.hotline);
  assert.equal((await login(page, people.csrf.login, people.csrf.password)).status(), 200);
  const refused = await page.evaluate(async () => {
    const answer = async (r) => ({ status: r.status, type: (await r.json()).type });
    return [
      await answer(await fetch('/logout', { method: 'POST' })),
      await answer(await fetch('/v1/tickets', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ content: '胜利路路灯不亮，晚上很黑', category: '010101', area: '350602' }) })),
    ];
  });
  for (const [i, r] of refused.entries()) {
    assert.equal(r.status, 403, `request ${i}: ${JSON.stringify(r)}`);
    assert.match(r.type, /csrf/, `request ${i}: problem type`);
  }
  const token = await csrfToken(page);
  assert.ok(token, 'GET /v1/session gives csrf_token');
  const status = await page.evaluate(async (csrf) =>
    (await fetch('/logout', { method: 'POST', headers: { 'X-CSRF-Token': csrf } })).status, token);
  assert.equal(status, 200, 'logout with the token');
  assert.equal((await page.request.get(suite.hotline.url + '/v1/session')).status(), 401, 'the session has ended');
  await page.reload();
  await page.waitForSelector('#login:not([hidden])');
  await shot(page, 'security-csrf');
  await page.context().close();
});

test('citizen text that looks like HTML is shown as text in the unit queue', async () => {
  // The operator takes the call through the HTTP API with its own session.
  const operator = await newPage(suite.browser);
  await openLogin(operator, suite.hotline);
  assert.equal((await login(operator, people.intake.login, people.intake.password)).status(), 200);
  const headers = { 'X-CSRF-Token': await csrfToken(operator) };
  const ticket = { content: XSS, category: '010101', area: '350602' };
  const explained = await operator.request.post(suite.hotline.url + '/v1/route/explain', { headers, data: ticket });
  assert.equal((await explained.json()).unit?.id, UNIT, 'the ticket routes to the liaison officer\'s unit');
  const created = await operator.request.post(suite.hotline.url + '/v1/tickets', { headers, data: ticket });
  assert.equal(created.status(), 201, await created.text());
  const { id } = await created.json();
  await operator.context().close();

  const page = await newPage(suite.browser);
  const dialogs = [];
  const fetchedX = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith('/x')) fetchedX.push(r.url()); });
  await openLogin(page, suite.hotline);
  assert.equal((await login(page, people.liaison.login, people.liaison.password)).status(), 200);
  await page.waitForFunction((ticketId) => [...document.querySelectorAll('#queue-rows td')]
    .some((td) => td.textContent === ticketId), id);
  await shot(page, 'security-xss-queue');
  const row = await page.evaluate(([ticketId]) => [...document.querySelectorAll('#queue-rows tr')]
    .map((tr) => [...tr.cells].map((td) => td.textContent)).find((cells) => cells.includes(ticketId)), [id]);
  assert.ok(row, `ticket ${id} is in the queue`);
  assert.ok(row.includes(XSS), `the content cell reads ${XSS} literally: ${JSON.stringify(row)}`);
  assert.equal(await page.locator('#queue-rows img').count(), 0, 'no img element in the queue');
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'no img element anywhere');
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.deepEqual(fetchedX, [], 'nothing fetched the img source');
  await page.context().close();
});
