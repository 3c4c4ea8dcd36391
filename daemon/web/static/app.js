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

// What the server said when it refused, in words a person reads: a Chinese explanation of the problem first (by its
// type, else by the status), the field it names by its Chinese name, then the server's own words as 详情.
Hotline.fieldNames = {
  text: '回复内容', basis: '办理依据', reason: '理由', reason_code: '退回原因', working_days: '延期工作日', unit: '单位',
  co: '协办单位', note: '备注', decision: '决定', satisfaction: '满意度', resolution: '解决情况', redo: '重办',
  child: '下级单位', into: '并入工单', content: '诉求内容', address: '地址', caller: '来电人', 'caller.name': '来电人姓名',
  'caller.phone': '来电电话', type: '类型', urgency: '紧急程度', channel: '渠道', category: '事项分类', area: '区域',
  confidential: '保密件', disposition: '处理方式', answer: '答复内容', kb: '知识库条目', merged_into: '并入工单',
  as_of: '通报日期', q: '关键词', phone: '来电号码', state: '状态', from: '起始日期', to: '截止日期', limit: '条数',
  cursor: '翻页位置', parent: '上级单位', login: '登录名', password: '密码',
};
Hotline.problemNames = {
  'invalid-field': '填写有误', 'invalid-action': '不符合办理规则', 'wrong-state': '当前状态不能办理', forbidden: '无权办理',
  'not-found': '未找到（不存在或无权查看）', 'csrf-token': '页面已过期，请刷新页面后重试', 'malformed-json': '请求格式有误',
  'bad-request': '请求格式有误', 'unsupported-media-type': '请求格式有误', 'payload-too-large': '内容过长',
  unauthenticated: '登录已失效，请重新登录', conflict: '与已保存的数据冲突，请刷新后重试',
  'storage-unavailable': '数据库暂时繁忙，请稍后重试', 'storage-full': '存储空间已满，请联系管理员',
  'storage-failure': '数据库出错，请联系管理员', 'search-too-long': '查询范围太大，请输入更多文字或加上状态条件',
  'query-too-long': '查询超时，请缩小范围', 'report-running': '通报正在生成，请稍后刷新',
  'report-failed': '通报生成失败，请联系管理员查看日志', 'report-unavailable': '通报暂时不可用，请稍后重试',
  'too-many-requests': '操作过于频繁，请稍后再试', 'method-not-allowed': '不支持此操作',
};
const statusNames = { 0: '无法连接到服务器', 400: '请求有误', 401: '登录已失效', 403: '无权办理', 404: '未找到（不存在或无权查看）',
                      409: '当前状态不能办理', 413: '内容过长', 422: '不符合办理规则', 429: '操作过于频繁，请稍后再试',
                      503: '服务器繁忙，请稍后重试' };
// The server's words for a bad field, the common ones in Chinese (the words themselves stay as 详情).
const fieldProblems = [
  [/^must be a string/, '应为文字'], [/^must be a whole number/, '应为整数'], [/^must be true or false/, '应为是或否'],
  [/^must not be empty|^is required|^required/, '不能为空'], [/^must be at most/, '过长'],
  [/^must not contain control characters/, '含有不可见的控制字符'], [/^unknown (argument|field|query parameter)/, '不是此处可填写的项目'],
  [/^no unit|^no such unit/, '没有这个单位'], [/^must be a date|^must be RFC 3339/, '日期格式有误'],
];
Hotline.problemType = (data) =>
  (data && typeof data.type === 'string' ? data.type.replace(/^urn:hotline:problem:/, '') : '');
// {lead, field, detail}: the Chinese explanation, the field's Chinese name ('' when none) and the server's detail.
Hotline.refusalParts = function refusalParts(status, data) {
  const type = Hotline.problemType(data);
  let lead = Hotline.problemNames[type] || statusNames[status] || '操作失败（' + status + '）';
  const field = data && typeof data.field === 'string' ? data.field : '';
  const fieldName = field ? Hotline.fieldNames[field] || field : '';
  const detail = String((data && (data.detail || data.title)) || '');
  if (fieldName) {
    const known = fieldProblems.find(([re]) => re.test(detail));
    lead += '：「' + fieldName + '」' + (known ? known[1] : '');
  }
  return { lead, field, fieldName, detail };
};
// The refusal as one line of text (where only text fits: a list of refusals, a notice).
Hotline.refusal = function refusal(status, data) {
  const { lead, detail } = Hotline.refusalParts(status, data);
  return detail ? lead + '（详情：' + detail + '）' : lead;
};
// The refusal's parts as nodes: the explanation, then the server's words smaller and muted.
Hotline.refusalNodes = function refusalNodes(status, data) {
  const { lead, detail } = Hotline.refusalParts(status, data);
  return [el('span', { class: 'refusal-lead' }, lead),
          detail ? el('span', { class: 'refusal-detail' }, '详情：', detail) : ''];
};
// A paragraph with the refusal, for a page or a form.
Hotline.refusalView = function refusalView(status, data, props) {
  return el('p', Object.assign({ class: 'error refusal' }, props || {}), Hotline.refusalNodes(status, data));
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

// ---- the unit directory, searched the way people type a unit's name --------------------------------------------
// The whole directory (GET /v1/units, a few pages) with the names of the areas each unit serves, loaded once when a
// unit is first looked for. Unit names are long and formal (漳州市公安局芗城分局); people type what they say
// (芗城区公安, 芗城 公安), so a unit matches when what is typed is found in its name or id in one piece, piece by piece,
// or as its characters in order, or — the loosest — when every typed character is in its name, its kind or the
// names of its areas. Better matches first.
let directory = null;
async function allPages(path) {
  const items = [];
  let cursor = '';
  for (let page = 0; page < 20; ++page) {  // bounded: 20 pages of 500 is far more than any rule set has
    const { status, data } = await Hotline.api('GET', path + (path.includes('?') ? '&' : '?') + 'limit=500' +
                                               (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    if (status !== 200) throw Object.assign(new Error('directory'), { status, data });
    items.push(...((data && data.items) || []));
    cursor = data && data.next_cursor;
    if (!cursor) break;
  }
  return items;
}
async function divisionNames() {
  const names = new Map();
  const { data } = await Hotline.api('GET', '/v1/divisions');
  const top = (data && data.items) || [];
  for (const d of top) names.set(d.code, d.name);
  const below = await Promise.all(top.map((d) => Hotline.api('GET', '/v1/divisions?parent=' + encodeURIComponent(d.code))));
  for (const { data: more } of below) for (const d of (more && more.items) || []) names.set(d.code, d.name);
  return names;
}
// A unit as the search needs it: its area names (a township's area by its county) and its text in lower case.
Hotline.searchableUnit = function searchableUnit(u, areaNames) {
  const areas = [];
  for (const code of u.areas || []) {
    for (let n = code.length; n >= 2; --n) {
      const name = areaNames && areaNames.get(code.slice(0, n));
      if (name) { if (!areas.includes(name)) areas.push(name); break; }
    }
  }
  return Object.assign({}, u, { areaNames: areas, lname: String(u.name || '').toLowerCase(),
                                lid: String(u.id || '').toLowerCase(),
                                lextra: (areas.join(' ') + ' ' + (u.kind || '')).toLowerCase() });
};
Hotline.unitDirectory = function unitDirectory() {
  if (!directory) {
    directory = Promise.all([allPages('/v1/units'), divisionNames().catch(() => new Map())])
      .then(([units, areas]) => units.map((u) => Hotline.searchableUnit(u, areas)))
      .catch((e) => { directory = null; throw e; });
  }
  return directory;
};

// Where `needle`'s characters occur in `hay` in order (each as early as it can): {start, span}, or null.
function inOrder(needle, hay) {
  let at = -1;
  let start = -1;
  for (const ch of needle) {
    at = hay.indexOf(ch, at + 1);
    if (at < 0) return null;
    if (start < 0) start = at;
  }
  return { start, span: at - start + 1 };
}
// How well a unit (from searchableUnit) matches what was typed: 0 not at all, more is better.
Hotline.unitScore = function unitScore(u, query) {
  const tokens = String(query || '').toLowerCase().split(/\s+/).filter(Boolean);
  if (!tokens.length) return 0;
  const q = tokens.join('');
  const name = u.lname;
  const id = u.lid;
  if (id === q || name === q) return 1000;
  if (id.startsWith(q)) return 900;
  if (name.startsWith(q)) return 850;
  if (name.includes(q)) return 800 - name.indexOf(q);
  if (id.includes(q)) return 700;
  if (tokens.length > 1 && tokens.every((t) => name.includes(t) || id.includes(t))) return 650;
  const ordered = inOrder(q, name);
  if (ordered) return 600 - Math.min(200, (ordered.span - q.length) * 10 + ordered.start);
  if (tokens.length > 1 && tokens.every((t) => inOrder(t, name) || id.includes(t))) return 350;
  const chars = [...q];
  if (chars.every((ch) => name.includes(ch) || u.lextra.includes(ch))) {
    return 100 + Math.round(100 * chars.filter((ch) => name.includes(ch)).length / chars.length);
  }
  return 0;
};
// The units matching `query`, best first (then the shorter name, then the id).
Hotline.matchUnits = function matchUnits(units, query) {
  return units.map((u) => [u, Hotline.unitScore(u, query)]).filter(([, s]) => s > 0)
    .sort((a, b) => b[1] - a[1] || a[0].name.length - b[0].name.length || (a[0].id < b[0].id ? -1 : 1))
    .map(([u]) => u);
};
// A unit as a person reads it after choosing it: 名称（id）.
Hotline.unitText = (u) => (u ? u.name + '（' + u.id + '）' : '');

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
// Live events that arrive while a view is being rendered (its data in flight, its listeners not yet in place) are
// held and handed to the new view once it is shown: dropped, they would leave it showing what the fetch saw (a
// ticket closed meanwhile still shown as awaiting follow-up) until the next event.
let rendering = 0;
let heldEvents = [];
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
  rendering += 1;
  try {
    await view.render(box, arg);
  } finally {
    rendering -= 1;
  }
  if (!Hotline.session) return;
  if (seq === renderSeq) {  // else another view was asked for meanwhile, and is shown or on its way
    Hotline.$('view').replaceChildren(box);
    Hotline.$('view').hidden = false;
    interactive();
  }
  if (seq === renderSeq || rendering === 0) {
    const held = heldEvents;
    heldEvents = [];
    for (const event of held) for (const fn of Hotline.feedListeners) fn(event);
  }
};

function deliver(event) {
  if (rendering > 0) heldEvents.push(event);
  else for (const fn of Hotline.feedListeners) fn(event);
}

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
    deliver(event);
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
