// The web terminal: login, who is signed in, and a unit's queue. Citizen text is only ever set with textContent.
'use strict';

const roleNames = { operator: '话务员', unit: '联络员', supervisor: '督查', admin: '管理员' };
const stateNames = {
  awaiting_sign_for: '待签收', in_progress: '办理中', return_requested: '退单审核中', extension_requested: '延期审核中',
  reply_review: '回复审核中', awaiting_follow_up: '待回访', arbitration_requested: '待仲裁', closed: '已办结',
};
let csrf = '';

function $(id) { return document.getElementById(id); }
function show(id, on) { $(id).hidden = !on; }

async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
                                  credentials: 'same-origin' });
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  return { status: res.status, data };
}

function signedOut(message) {
  csrf = '';
  show('who', false); show('queue', false); show('welcome', false); show('login', true);
  $('login-error').textContent = message || '';
  $('login-name').focus();
}

async function signedIn(session) {
  csrf = session.csrf_token || '';
  $('who-name').textContent = (session.name || session.login) + '（' + (roleNames[session.role] || session.role) +
                              (session.unit ? ' · ' + session.unit : '') + '）';
  show('login', false); show('who', true);
  if (session.role === 'unit' && session.unit) {
    await loadQueue(session.unit);
  } else {
    $('welcome-text').textContent = '已登录。';
    show('welcome', true);
  }
}

async function loadQueue(unit) {
  const { status, data } = await api('GET', '/v1/units/' + encodeURIComponent(unit) + '/queue?limit=100');
  if (status === 401) return signedOut('登录已失效，请重新登录。');
  const rows = $('queue-rows');
  rows.replaceChildren();
  const items = (data && data.items) || [];
  for (const t of items) {
    const tr = document.createElement('tr');
    if (t.overdue) tr.className = 'overdue';
    for (const [text, cls] of [[t.id, ''], [t.content, 'content'], [stateNames[t.state] || t.state, ''],
                               [(t.reply_due_at || '').slice(0, 16).replace('T', ' '), '']]) {
      const td = document.createElement('td');
      td.textContent = text === undefined || text === null ? '' : String(text);
      if (cls) td.className = cls;
      tr.appendChild(td);
    }
    rows.appendChild(tr);
  }
  show('queue-empty', items.length === 0);
  show('queue', true);
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { status, data } = await api('POST', '/login',
                                     { login: $('login-name').value, password: $('login-password').value });
  $('login-password').value = '';
  if (status === 200) return signedIn(data);
  if (status === 429) return signedOut('连续多次登录失败，该账号已暂时锁定，请稍后再试。');
  signedOut('登录名或密码错误。');
});

$('logout').addEventListener('click', async () => {
  await api('POST', '/logout', {});
  signedOut('已退出登录。');
});

(async () => {
  const { status, data } = await api('GET', '/v1/session');
  if (status === 200 && data && data.login) return signedIn(data);
  signedOut('');
})();
