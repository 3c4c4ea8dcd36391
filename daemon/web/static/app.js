// The web terminal's core: the API call, the session, the views by role, the live feed and the shared helpers.
// Every view (ticket.js, unit.js, operator.js, supervisor.js) registers itself in Hotline.views. Citizen text is
// only ever set as text (textContent or a text node), never parsed as HTML.
'use strict';

const Hotline = (window.Hotline = { views: {}, session: null, csrf: '', feedListeners: [] });

Hotline.roleNames = { operator: '话务员', unit: '联络员', supervisor: '督查', admin: '管理员' };
Hotline.stateNames = {
  awaiting_sign_for: '待签收', in_progress: '办理中', return_requested: '退单审核中', extension_requested: '延期审核中',
  reply_review: '回复审核中', awaiting_follow_up: '待回访', arbitration_requested: '待仲裁', closed: '已办结',
  not_accepted: '不予受理',
};
Hotline.typeNames = { complaint: '投诉', report: '举报', help: '求助', consultation: '咨询', suggestion: '建议',
                      praise: '表扬' };
Hotline.urgencyNames = { normal: '一般', urgent: '紧急', very_urgent: '特急' };
Hotline.channelNames = { phone: '电话', web: '网站', app: 'App', wechat: '微信', weibo: '微博', email: '邮件', sms: '短信',
                         transfer: '转办', other: '其他' };
Hotline.stageNames = { pending: '正常', yellow: '黄牌', red: '红牌', urge: '催办', supervise: '督办' };

// el('td', {class: 'x'}, 'text', child): an element; strings become text nodes, never markup.
Hotline.el = function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = String(v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k in e && typeof e[k] === 'boolean') e[k] = Boolean(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
};
const el = Hotline.el;

Hotline.$ = (id) => document.getElementById(id);

// A time stamp as the terminal shows it: 2026-12-08 00:00.
Hotline.when = (stamp) => (stamp ? String(stamp).slice(0, 16).replace('T', ' ') : '');

// 13800138000 → 138****8000: a liaison officer sees the caller's number masked.
Hotline.maskPhone = (phone) => {
  const digits = String(phone || '');
  return digits.length >= 7 ? digits.slice(0, 3) + '****' + digits.slice(-4) : digits ? '****' : '';
};

// One call to the daemon: {status, data}. A 401 ends the session on this page.
Hotline.api = async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = Hotline.csrf;
  let res;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin',
                              body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    return { status: 0, data: { title: '无法连接到服务器', detail: String(e) } };
  }
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (res.status === 401 && Hotline.session && path !== '/login') {
    Hotline.signedOut('登录已失效，请重新登录。');
  }
  return { status: res.status, data };
};

// What the server said when it refused, in words a person reads.
Hotline.refusal = function refusal(status, data) {
  const lead = { 0: '无法连接到服务器', 400: '请求有误', 403: '无权执行此操作', 404: '工单不存在或无权查看',
                 409: '当前状态不允许此操作', 422: '不符合办理规则', 429: '操作过于频繁', 503: '服务器繁忙' }[status] ||
               '操作失败（' + status + '）';
  const detail = data && (data.detail || data.title);
  return detail ? lead + '：' + detail : lead;
};

// ---- drafts ---------------------------------------------------------------------------------------------------
// What a person typed into a form, kept in this tab (sessionStorage) so that a session that ends while they type
// (idle, logged out in another tab, daemon restarted) does not lose it: after logging in again the form is as it
// was. A draft belongs to the login that typed it (another person logging in on this tab does not get it) and is
// dropped by its form once submitted, and all at once by an explicit logout in this tab.
const draftMemory = new Map();  // when the browser refuses sessionStorage
const draftPrefix = 'hotline-draft:';
Hotline.drafts = {
  save(name, values) {
    if (!Hotline.session) return;
    const text = JSON.stringify({ login: Hotline.session.login || '', values });
    try { sessionStorage.setItem(draftPrefix + name, text); } catch (e) { draftMemory.set(draftPrefix + name, text); }
  },
  load(name) {
    let text = null;
    try { text = sessionStorage.getItem(draftPrefix + name); } catch (e) { text = null; }
    if (text === null) text = draftMemory.get(draftPrefix + name) || null;
    if (!text || !Hotline.session) return null;
    try {
      const draft = JSON.parse(text);
      if (draft && draft.login === (Hotline.session.login || '') && draft.values) return draft.values;
    } catch (e) { /* a damaged draft is dropped below */ }
    Hotline.drafts.clear(name);  // another person's (or damaged): not shown, not kept
    return null;
  },
  clear(name) {
    try { sessionStorage.removeItem(draftPrefix + name); } catch (e) { /* nothing kept there */ }
    draftMemory.delete(draftPrefix + name);
  },
  clearAll() {
    try {
      for (const key of Object.keys(sessionStorage)) if (key.startsWith(draftPrefix)) sessionStorage.removeItem(key);
    } catch (e) { /* nothing kept there */ }
    draftMemory.clear();
  },
};

let noticeTimer = 0;
Hotline.notice = function notice(text, kind) {
  const box = Hotline.$('notice');
  box.textContent = text;
  box.className = 'notice ' + (kind || 'info');
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { box.hidden = true; }, kind === 'error' ? 15000 : 6000);
};

// Unit names by id, asked once each.
const unitNames = new Map();
Hotline.unitName = async function unitName(id) {
  if (!id) return '';
  if (!unitNames.has(id)) {
    unitNames.set(id, Hotline.api('GET', '/v1/units?q=' + encodeURIComponent(id) + '&limit=20').then(({ data }) => {
      const found = ((data && data.items) || []).find((u) => u.id === id);
      return found ? found.name : id;
    }));
  }
  return unitNames.get(id);
};
// A span that shows a unit's name once it is known (its id until then).
Hotline.unitLabel = function unitLabel(id) {
  const span = el('span', { class: 'unit', title: id }, id || '');
  if (id) Hotline.unitName(id).then((name) => { span.textContent = name; });
  return span;
};

Hotline.debounce = function debounce(fn, ms) {
  let timer = 0;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
};

// ---- views and navigation ------------------------------------------------------------------------------------
// A view: {title, roles, nav (shown in the menu), render(container, arg)}. The address is #/name/arg.

function currentRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  return { name: decodeURIComponent(parts[0] || ''), arg: decodeURIComponent(parts.slice(1).join('/')) };
}

function allowed(view) { return Hotline.session && view.roles.includes(Hotline.session.role); }

function defaultView() {
  return { unit: 'queue', operator: 'intake', supervisor: 'board', admin: 'reports' }[Hotline.session.role];
}

let renderSeq = 0;
Hotline.render = async function render() {
  if (!Hotline.session) return;
  const { name, arg } = currentRoute();
  const view = Hotline.views[name];
  if (!view || !allowed(view)) {
    location.replace('#/' + defaultView());
    return;
  }
  for (const a of Hotline.$('nav').querySelectorAll('a')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const seq = ++renderSeq;
  const box = el('div', { class: 'view view-' + name });
  document.title = view.title + ' · 12345 热线工单系统';
  Hotline.feedListeners = [];
  await view.render(box, arg);
  if (seq !== renderSeq || !Hotline.session) return;  // another view was asked for meanwhile
  Hotline.$('view').replaceChildren(box);
  Hotline.$('view').hidden = false;
  interactive();
};

// The User Timing mark of the moment the page first answers the person (the login form or the first screen):
// what tests/bench/web_bench.mjs reads.
function interactive() {
  if (performance.getEntriesByName('hotline:interactive').length === 0) performance.mark('hotline:interactive');
}

// Re-render the current view in place (after an action or a live event).
Hotline.refresh = () => Hotline.render();
Hotline.go = (name, arg) => { location.hash = '#/' + name + (arg ? '/' + encodeURIComponent(arg) : ''); };

window.addEventListener('hashchange', () => { Hotline.render(); });

// Alt+1, Alt+2, …: the menu's screens, in order, from anywhere on the page.
document.addEventListener('keydown', (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey || !/^Digit[1-9]$/.test(event.code)) return;
  const link = Hotline.$('nav').querySelectorAll('a')[Number(event.code.slice(5)) - 1];
  if (!link || !Hotline.session) return;
  event.preventDefault();
  location.hash = link.getAttribute('href');
  link.focus();
});

function buildNav() {
  const nav = Hotline.$('nav');
  nav.replaceChildren();
  let key = 1;
  const shown = Object.entries(Hotline.views).filter(([, view]) => view.nav && allowed(view));
  shown.sort((a, b) => (a[1].order || 0) - (b[1].order || 0));
  for (const [name, view] of shown) {
    nav.append(el('a', { href: '#/' + name, 'data-view': name, 'aria-keyshortcuts': 'Alt+' + key, title: 'Alt+' + key },
                  view.title));
    key += 1;
  }
  nav.hidden = false;
}

// ---- the live feed --------------------------------------------------------------------------------------------
// A liaison terminal watches its unit's feed (Server-Sent Events with the session cookie); the browser resumes it
// after a network drop with Last-Event-ID. Views subscribe with Hotline.onFeed while they are shown.

const feedKinds = ['dispatched', 'passed_down', 'return_approved', 'return_declined', 'extension_approved',
  'extension_declined', 'reply_approved', 'reply_rejected', 'followed_up', 'redo', 'closed', 'urged', 'supervised',
  'stage_yellow', 'stage_red', 'stage_urge', 'stage_supervise', 'redispatched', 'arbitrated', 'merged', 'unmerged',
  'signed_for', 'replied', 'return_requested', 'extension_requested', 'arbitration_requested', 'disputed',
  'master_replied'];
const feedNews = { dispatched: '新派工单', urged: '催办', supervised: '督办', stage_yellow: '黄牌预警',
                   stage_red: '红牌', stage_urge: '催办', stage_supervise: '督办', redo: '重办',
                   closed: '已办结', passed_down: '下级转派' };
let feed = null;

Hotline.onFeed = (fn) => { Hotline.feedListeners.push(fn); };

function openFeed(unit) {
  closeFeed();
  const live = Hotline.$('live');
  feed = new EventSource('/v1/units/' + encodeURIComponent(unit) + '/feed');
  feed.onopen = () => { live.textContent = '● 实时'; live.className = 'live on'; live.hidden = false; };
  feed.onerror = async () => {
    live.textContent = '○ 重新连接中…'; live.className = 'live off'; live.hidden = false;
    if (feed && feed.readyState === EventSource.CLOSED) {
      // The browser gave up (an answer other than the stream: the session ended, or too many feeds).
      const { status } = await Hotline.api('GET', '/v1/session');
      if (status === 200 && Hotline.session) setTimeout(() => Hotline.session && openFeed(unit), 5000);
    }
  };
  const handle = (message) => {
    let event = null;
    try { event = JSON.parse(message.data); } catch (e) { return; }
    const news = feedNews[event.kind];
    if (news) Hotline.notice(news + '：' + event.ticket, event.kind.startsWith('stage_red') ? 'error' : 'info');
    for (const fn of Hotline.feedListeners) fn(event);
  };
  for (const kind of feedKinds) feed.addEventListener(kind, handle);
}

function closeFeed() {
  if (feed) feed.close();
  feed = null;
  Hotline.$('live').hidden = true;
}

// ---- signing in and out ---------------------------------------------------------------------------------------

Hotline.signedOut = function signedOut(message) {
  sessionStorage.removeItem('signed-in');
  Hotline.session = null;
  Hotline.csrf = '';
  closeFeed();
  for (const id of ['who', 'nav', 'view', 'notice']) Hotline.$(id).hidden = true;
  Hotline.$('view').replaceChildren();
  Hotline.$('login').hidden = false;
  Hotline.$('login-error').textContent = message || '';
  Hotline.$('login-name').focus();
  interactive();
};

async function signedIn(session) {
  sessionStorage.setItem('signed-in', '1');
  Hotline.session = session;
  Hotline.csrf = session.csrf_token || '';
  Hotline.$('who-name').textContent = (session.name || session.login || '') + '（' +
      (Hotline.roleNames[session.role] || session.role) + '）';
  if (session.unit) Hotline.unitName(session.unit).then((name) => {
    Hotline.$('who-name').textContent = (session.name || session.login) + '（' + name + ' · 联络员）';
  });
  Hotline.$('login').hidden = true;
  Hotline.$('who').hidden = false;
  buildNav();
  if (session.role === 'unit' && session.unit) openFeed(session.unit);
  await Hotline.render();
}

function start() {
  Hotline.$('login').addEventListener('submit', async (event) => {
    event.preventDefault();
    const { status, data } = await Hotline.api('POST', '/login',
                                               { login: Hotline.$('login-name').value,
                                                 password: Hotline.$('login-password').value });
    Hotline.$('login-password').value = '';
    if (status === 200) return signedIn(data);
    if (status === 429) return Hotline.signedOut('连续多次登录失败，该账号已暂时锁定，请稍后再试。');
    if (status === 0) return Hotline.signedOut('无法连接到服务器。');
    Hotline.signedOut('登录名或密码错误。');
  });
  Hotline.$('logout').addEventListener('click', async () => {
    Hotline.drafts.clearAll();  // an explicit logout: nothing typed in this tab is kept for the next login
    await Hotline.api('POST', '/logout', {});
    Hotline.signedOut('已退出登录。');
  });
  Hotline.api('GET', '/v1/session').then(({ status, data }) => {
    if (status === 200 && data && data.login) return signedIn(data);
    // This tab was signed in and the server no longer knows the session: it expired or the daemon restarted.
    Hotline.signedOut(sessionStorage.getItem('signed-in') ? '登录已失效，请重新登录。' : '');
  });
}

document.addEventListener('DOMContentLoaded', start);
