// The supervisor's board (督查): escalations by stage and unit, with urge and supervise; the nightly reports,
// the latest one shown inline (its HTML, cleaned of anything active) and its files to download. Admins see the
// reports and the live rule set.
'use strict';
(() => {
  const H = window.Hotline;
  const el = H.el;
  const stages = ['yellow', 'red', 'urge', 'supervise'];
  const board = { stage: '', unit: '', cursor: '', pages: [] };

  // Urge or supervise from the board; a refusal stays in the ticket's row, beside its buttons.
  async function act(id, action, out) {
    out.replaceChildren();
    const { status, data } = await H.api('POST', '/v1/tickets/' + encodeURIComponent(id) + '/' + action,
                                         { note: action === 'urge' ? '督查催办' : '督查督办' });
    if (status === 200) { H.notice((action === 'urge' ? '已催办 ' : '已督办 ') + id); H.refresh(); return; }
    out.append(...H.refusalNodes(status, data));
  }

  async function renderBoard(box) {
    const [counts, list] = await Promise.all([
      H.api('GET', '/v1/escalations/counts'),
      H.api('GET', '/v1/escalations?limit=50' + (board.stage ? '&stage=' + board.stage : '') +
                   (board.unit ? '&unit=' + encodeURIComponent(board.unit) : '') +
                   (board.cursor ? '&cursor=' + encodeURIComponent(board.cursor) : '')),
    ]);
    box.append(el('h2', {}, '督查看板'));
    if (counts.status !== 200) { box.append(H.refusalView(counts.status, counts.data)); return; }
    const totals = counts.data.totals || {};
    const pick = (stage, unit) => { Object.assign(board, { stage, unit, cursor: '', pages: [] }); H.refresh(); };
    box.append(el('div', { class: 'cards', id: 'stage-totals' }, stages.map((s) => {
      const b = el('button', { type: 'button', class: 'card' + (board.stage === s ? ' chosen' : ''), 'data-stage': s },
                   el('span', { class: 'n' }, String(totals[s] || 0)), el('span', { class: 'label' }, H.stageNames[s]));
      b.addEventListener('click', () => pick(board.stage === s ? '' : s, board.unit));
      return b;
    })));
    const units = Object.entries(counts.data.units || {})
      .map(([id, c]) => [id, c, stages.reduce((n, s) => n + (c[s] || 0), 0)])
      .sort((a, b) => b[1].red - a[1].red || b[2] - a[2]);
    box.append(el('h3', {}, '各单位预警'), el('table', { class: 'board', id: 'board-units' },
      el('thead', {}, el('tr', {}, ['单位', ...stages.map((s) => H.stageNames[s]), '合计'].map((h) => el('th', {}, h)))),
      el('tbody', {}, units.map(([id, c, n]) => {
        const name = el('button', { type: 'button', class: 'link' }, H.unitLabel(id));
        name.addEventListener('click', () => pick(board.stage, board.unit === id ? '' : id));
        return el('tr', { class: board.unit === id ? 'chosen' : '' }, el('td', {}, name),
                  stages.map((s) => el('td', { class: 'num' }, String(c[s] || 0))), el('td', { class: 'num' }, String(n)));
      }))));

    const items = (list.data && list.data.items) || [];
    box.append(el('h3', {}, '预警工单', board.stage ? ' · ' + H.stageNames[board.stage] : '',
                  board.unit ? ' · ' : '', board.unit ? H.unitLabel(board.unit) : ''),
               el('table', { class: 'queue', id: 'board-list' },
                  el('thead', {}, el('tr', {}, ['工单号', '单位', '时限', '当前阶段', '到期', '下一阶段', '操作'].map((h) => el('th', {}, h)))),
                  el('tbody', {}, items.map((e) => {
                    const out = el('div', { class: 'error', role: 'alert' });
                    const urge = el('button', { type: 'button' }, '催办');
                    urge.addEventListener('click', () => act(e.ticket_id, 'urge', out));
                    const sup = el('button', { type: 'button' }, '督办');
                    sup.addEventListener('click', () => act(e.ticket_id, 'supervise', out));
                    return el('tr', { class: 'clock-' + (e.stage === 'yellow' ? 'yellow' : 'red') },
                              el('td', {}, el('a', { href: '#/ticket/' + encodeURIComponent(e.ticket_id) }, e.ticket_id)),
                              el('td', {}, H.unitLabel(e.unit)), el('td', {}, { sign_for: '签收', reply: '办结', follow_up: '回访', dispatch: '派单' }[e.clock] || e.clock),
                              el('td', {}, H.stageNames[e.stage] || e.stage), el('td', {}, H.when(e.due_at)),
                              el('td', {}, e.next_stage ? H.stageNames[e.next_stage] + ' ' + H.when(e.next_stage_at) : '—'),
                              el('td', {}, urge, ' ', sup, out));
                  }))), items.length ? '' : el('p', { class: 'muted' }, '没有到达预警阶段的工单。'));
    const prev = el('button', { type: 'button', disabled: !board.pages.length }, '上一页');
    prev.addEventListener('click', () => { board.cursor = board.pages.pop() || ''; H.refresh(); });
    const next = el('button', { type: 'button', disabled: !(list.data && list.data.next_cursor) }, '下一页');
    next.addEventListener('click', () => { board.pages.push(board.cursor); board.cursor = list.data.next_cursor; H.refresh(); });
    box.append(el('div', { class: 'toolbar' }, prev, ' ', next));
  }

  // The report's HTML is the daemon's own output, but it is still cleaned before it joins the page: no script,
  // style, frame or form, no event attribute, no script address. Its look comes from style.css (.report). A long
  // table (the unit table lists every unit: over a thousand rows) is folded behind 「共 N 行，展开」 so the page stays
  // short; the downloaded files are as written.
  const FOLD_ROWS = 30;
  function cleanReport(html) {
    // The style block goes before parsing: even an inert document reports it against the page's CSP.
    const doc = new DOMParser().parseFromString(html.replace(/<style[\s\S]*?<\/style>/gi, ''), 'text/html');
    for (const bad of doc.querySelectorAll('script, style, link, meta, base, iframe, frame, object, embed, form')) bad.remove();
    for (const node of doc.body.querySelectorAll('*')) {
      for (const attr of [...node.attributes]) {
        const value = attr.value.trim().toLowerCase();
        if (attr.name.startsWith('on') || attr.name === 'style' || value.startsWith('javascript:')) node.removeAttribute(attr.name);
      }
    }
    const box = el('div', { class: 'report', id: 'report-inline' });
    box.append(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
    foldLongTables(box);
    return box;
  }

  function foldLongTables(box) {
    for (const table of [...box.querySelectorAll('table')]) {
      if (table.closest('details')) continue;  // folded already (the report's lists per unit)
      const rows = table.tBodies.length ? [...table.tBodies].reduce((n, b) => n + b.rows.length, 0) : table.rows.length;
      if (rows <= FOLD_ROWS) continue;
      const summary = el('summary', {}, '共 ' + rows + ' 行，展开');
      const fold = el('details', { class: 'fold', 'data-rows': rows }, summary);
      fold.addEventListener('toggle', () => { summary.textContent = '共 ' + rows + ' 行，' + (fold.open ? '收起' : '展开'); });
      table.replaceWith(fold);
      fold.append(table);
    }
  }

  // POST /v1/admin/report without a body: yesterday's report, made now and announced like the nightly one.
  async function makeReport(button, out) {
    button.disabled = true;
    out.replaceChildren(el('p', { class: 'muted' }, '正在生成昨日通报，请稍候…'));
    const { status, data } = await H.api('POST', '/v1/admin/report');
    button.disabled = false;
    if (status === 200) {
      H.notice('已生成 ' + data.as_of + ' 通报');
      H.refresh();
      return;
    }
    if (status === 401) return;
    out.replaceChildren(H.refusalView(status, data));
  }

  async function renderReports(box) {
    box.append(el('h2', {}, '夜间通报'));
    const { status, data } = await H.api('GET', '/v1/reports');
    if (status !== 200) { box.append(H.refusalView(status, data)); return; }
    const days = data.items || [];
    if (!days.length) {
      const out = el('div', { id: 'report-make-result', role: 'alert' });
      const make = el('button', { type: 'button', id: 'report-make' }, '生成昨日通报');
      make.addEventListener('click', () => makeReport(make, out));
      box.append(el('div', { class: 'empty-report', id: 'report-empty' },
                    el('p', {}, '还没有已发布的通报。'),
                    el('p', { class: 'muted' }, '通报每晚自动生成（统计到前一天结束）；督查人员也可在此立即生成昨日通报。'),
                    ['supervisor', 'admin'].includes(H.session.role) ? [make, out] : ''));
      return;
    }
    const formatNames = { xlsx: 'Excel', html: '网页', csv: 'CSV', json: 'JSON' };
    box.append(el('table', { class: 'queue', id: 'report-list' },
      el('thead', {}, el('tr', {}, el('th', {}, '日期'), el('th', {}, '文件'))),
      el('tbody', {}, days.slice(0, 14).map((d) => el('tr', {}, el('td', {}, d.as_of),
        el('td', {}, d.files.filter((f) => f.format !== 'csv').map((f) => [el('a', { href: f.path, download: f.name }, formatNames[f.format] || f.format), ' '])))))));
    const html = days[0].files.find((f) => f.format === 'html');
    if (!html) return;
    const res = await fetch(html.path, { credentials: 'same-origin' });
    if (!res.ok) { box.append(H.refusalView(res.status, null)); return; }
    box.append(el('h3', {}, days[0].as_of + ' 通报'), cleanReport(await res.text()));
  }

  // The rule set's counts (GET /v1/rules `counts`) by their Chinese names; a count this page does not know yet is
  // shown under its key.
  const countNames = { units: '单位', divisions: '行政区划', matters: '事项', rules: '规则', keywords: '关键词' };

  async function renderRules(box) {
    const { status, data } = await H.api('GET', '/v1/rules');
    box.append(el('h2', {}, '规则集'));
    if (status !== 200) { box.append(H.refusalView(status, data)); return; }
    const facts = [['版本', data.version], ['加载时间', H.when(data.loaded_at)], ['目录', data.dir || '—']];
    if (typeof data.load_ms === 'number') facts.push(['加载耗时', Math.round(data.load_ms) + ' 毫秒']);
    if (typeof data.memory_bytes === 'number') facts.push(['内存占用', (data.memory_bytes / 1048576).toFixed(1) + ' MB']);
    for (const [k, v] of Object.entries(data.counts || {})) facts.push([countNames[k] || k, String(v)]);
    box.append(el('dl', { class: 'facts', id: 'rules-facts' },
                  facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
  }

  H.views.board = { title: '督查看板', roles: ['supervisor'], nav: true, order: 2, render: renderBoard };
  H.views.reports = { title: '夜间通报', roles: ['supervisor', 'admin'], nav: true, order: 6, render: renderReports };
  H.views.rules = { title: '规则集', roles: ['admin'], nav: true, order: 7, render: renderRules };
})();
