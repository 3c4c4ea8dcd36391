// The liaison officer's terminal (联络员): the unit's dashboard and its queue in due order, live from the unit's
// feed, with filters, paging and signing for several tickets at once.
'use strict';
(() => {
  const H = window.Hotline;
  const el = H.el;

  // The queue's filters and page, kept while the officer moves between the queue and a ticket.
  const filters = { state: '', overdue: false, cursor: '', pages: [] };

  function colourOf(t) {
    if (t.overdue || ['red', 'urge', 'supervise'].includes(t.stage)) return 'red';
    if (t.stage === 'yellow') return 'yellow';
    return 'green';
  }

  // The dashboard's cards; counting a large unit takes longer than its first page, so the queue does not wait
  // for it: the cards fill in when the counts arrive.
  function dashboard(unit) {
    const box = el('div', { class: 'cards', id: 'dashboard' }, el('span', { class: 'muted' }, '正在统计…'));
    fillDashboard(box, unit);
    return box;
  }

  async function fillDashboard(box, unit) {
    const [counts, stages] = await Promise.all([
      H.api('GET', '/v1/units/' + encodeURIComponent(unit) + '/counts'),
      H.api('GET', '/v1/escalations/counts?unit=' + encodeURIComponent(unit)),
    ]);
    const s = (counts.data && counts.data.states) || {};
    const totals = (stages.data && stages.data.totals) || {};
    const cards = [
      ['待签收', s.awaiting_sign_for || 0, 'awaiting_sign_for'],
      ['办理中', s.in_progress || 0, 'in_progress'],
      ['已超期', (counts.data && counts.data.overdue) || 0, 'overdue'],
      ['黄牌', totals.yellow || 0, ''],
      ['红牌', totals.red || 0, ''],
      ['催办', totals.urge || 0, ''],
      ['督办', totals.supervise || 0, ''],
      ['退单/延期审核中', (s.return_requested || 0) + (s.extension_requested || 0), ''],
      ['回复审核中', s.reply_review || 0, 'reply_review'],
    ];
    box.dataset.ready = 'true';
    box.replaceChildren(...cards.map(([label, n, filter]) => {
      const card = el(filter ? 'button' : 'div', { class: 'card' + (n && label.includes('牌') ? ' alert' : ''), type: filter ? 'button' : null,
                                                   'data-count': label },
                      el('span', { class: 'n' }, String(n)), el('span', { class: 'label' }, label));
      if (filter) {
        card.addEventListener('click', () => {
          filters.state = filter === 'overdue' ? '' : filter;
          filters.overdue = filter === 'overdue';
          filters.cursor = ''; filters.pages = [];
          H.refresh();
        });
      }
      return card;
    }));
  }

  async function signSeveral(ids, out) {
    let done = 0;
    const failed = [];
    for (const id of ids) {
      const { status, data } = await H.api('POST', '/v1/tickets/' + encodeURIComponent(id) + '/sign_for', {});
      if (status === 200) done += 1; else failed.push(id + '：' + H.refusal(status, data));
    }
    H.notice('已签收 ' + done + ' 件' + (failed.length ? '，' + failed.length + ' 件未签收' : ''), failed.length ? 'error' : 'info');
    out.textContent = failed.join('；');
    if (!failed.length) H.refresh();
  }

  async function render(box) {
    const unit = H.session.unit;
    box.append(el('h2', {}, '本单位工单'), dashboard(unit));

    const state = el('select', { id: 'queue-state' }, el('option', { value: '' }, '全部未办结'),
                     ['awaiting_sign_for', 'in_progress', 'return_requested', 'extension_requested', 'reply_review',
                      'awaiting_follow_up', 'closed'].map((v) => el('option', { value: v, selected: v === filters.state }, H.stateNames[v])));
    const overdue = el('input', { type: 'checkbox', id: 'queue-overdue', checked: filters.overdue });
    const apply = () => { filters.state = state.value; filters.overdue = overdue.checked; filters.cursor = ''; filters.pages = []; H.refresh(); };
    state.addEventListener('change', apply);
    overdue.addEventListener('change', apply);
    box.append(el('div', { class: 'toolbar' }, el('label', { for: 'queue-state' }, '状态 '), state, ' ',
                  el('label', {}, overdue, ' 只看已超期')));

    let q = '/v1/units/' + encodeURIComponent(unit) + '/queue?limit=50';
    if (filters.state) q += '&state=' + filters.state;
    if (filters.overdue) q += '&overdue=true';
    if (filters.cursor) q += '&cursor=' + encodeURIComponent(filters.cursor);
    const { status, data } = await H.api('GET', q);
    if (status !== 200) { box.append(H.refusalView(status, data)); return; }
    const items = data.items || [];
    const rows = items.map((t) => el('tr', { class: 'clock-' + colourOf(t), 'data-id': t.id },
      el('td', {}, el('input', { type: 'checkbox', class: 'pick', value: t.id, 'aria-label': '选择 ' + t.id,
                                 disabled: t.assignment_state !== 'awaiting_sign_for' })),
      el('td', {}, el('a', { href: '#/ticket/' + encodeURIComponent(t.id) }, t.id)),
      el('td', { class: 'content' }, t.content),
      el('td', {}, H.typeNames[t.type] || t.type),
      el('td', {}, H.stateNames[t.state] || t.state, t.lead ? '' : '（协办）'),
      el('td', {}, el('span', { class: 'dot ' + colourOf(t), title: H.stageNames[t.stage] || '' }), ' ', H.when(t.reply_due_at)),
      el('td', { class: 'num' }, t.overdue ? '超期' : String(t.working_days_left)),
      el('td', {}, t.stage && t.stage !== 'pending' ? H.stageNames[t.stage] : '')));
    const out = el('p', { class: 'error', role: 'alert' });
    const signButton = el('button', { type: 'button', id: 'sign-selected' }, '批量签收所选');
    signButton.addEventListener('click', () => {
      const ids = [...box.querySelectorAll('input.pick:checked')].map((i) => i.value);
      if (ids.length) signSeveral(ids, out); else out.textContent = '请先勾选待签收的工单。';
    });
    box.append(el('table', { class: 'queue' },
                  el('thead', {}, el('tr', {}, ['', '工单号', '诉求内容', '类型', '状态', '办结时限', '剩余工作日', '预警']
                                                 .map((h) => el('th', {}, h)))),
                  el('tbody', { id: 'queue-rows' }, rows)));
    if (!items.length) box.append(el('p', { id: 'queue-empty' }, '暂无工单。'));
    const prev = el('button', { type: 'button', disabled: !filters.pages.length }, '上一页');
    prev.addEventListener('click', () => { filters.cursor = filters.pages.pop() || ''; H.refresh(); });
    const next = el('button', { type: 'button', disabled: !data.next_cursor }, '下一页');
    next.addEventListener('click', () => { filters.pages.push(filters.cursor); filters.cursor = data.next_cursor; H.refresh(); });
    box.append(el('div', { class: 'toolbar' }, signButton, ' ', prev, ' ', next), out);

    // New dispatches, urges and cards appear without a reload (unless tickets are ticked for signing: the
    // selection is kept, and a notice says what came).
    H.onFeed(H.debounce(() => {
      if (box.querySelector('input.pick:checked')) H.notice('有新动态，签收所选工单后刷新查看。'); else H.refresh();
    }, 300));
  }

  H.views.queue = { title: '本单位工单', roles: ['unit'], nav: true, order: 1, render };
})();
