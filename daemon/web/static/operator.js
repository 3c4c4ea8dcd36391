// The operator's console (话务员): intake with a live routing suggestion, the matter and division pickers, the
// caller's earlier tickets; the review queues; the dispatch desk; search (also for units and supervisors).
'use strict';
(() => {
  const H = window.Hotline;
  const el = H.el;

  // ---- pickers: the matter catalogue and the divisions, as trees opened level by level ----------------------

  let matters = null;  // the flat catalogue, loaded once
  async function matterCatalogue() {
    if (!matters) matters = H.api('GET', '/v1/matters').then(({ data }) => (data && data.items) || []);
    return matters;
  }

  function treeNode(item, childrenOf, choose) {
    const li = el('li', {});
    const pick = el('button', { type: 'button', class: 'link' }, item.name + '（' + item.code + '）');
    pick.addEventListener('click', () => choose(item));
    const open = el('button', { type: 'button', class: 'twisty', 'aria-expanded': 'false', 'aria-label': '展开 ' + item.name }, '+');
    open.addEventListener('click', async () => {
      if (open.getAttribute('aria-expanded') === 'true') {
        open.setAttribute('aria-expanded', 'false'); open.textContent = '+';
        li.querySelector('ul') && li.querySelector('ul').remove();
        return;
      }
      const kids = await childrenOf(item.code);
      open.setAttribute('aria-expanded', 'true'); open.textContent = '−';
      li.append(el('ul', {}, kids.map((k) => treeNode(k, childrenOf, choose))));
    });
    li.append(open, ' ', pick);
    return li;
  }

  // A picker: a field showing the choice, a button opening the tree, a clear button. set() puts a choice back (a
  // draft), reset() empties it without telling onChange (a form being cleared).
  function picker(label, id, rootsOf, childrenOf, onChange) {
    const shown = el('input', { id, readonly: true, placeholder: '自动识别' });
    const panel = el('div', { class: 'tree', hidden: true });
    let value = '';
    const show = (code, text) => {
      value = code || '';
      shown.value = value ? text || value : '';
      panel.hidden = true;
    };
    const choose = (item) => {
      show(item ? item.code : '', item ? item.name + '（' + item.code + '）' : '');
      onChange();
    };
    const openButton = el('button', { type: 'button' }, '选择');
    openButton.addEventListener('click', async () => {
      if (!panel.hidden) { panel.hidden = true; return; }
      panel.replaceChildren(el('ul', {}, (await rootsOf()).map((r) => treeNode(r, childrenOf, choose))));
      panel.hidden = false;
    });
    const clear = el('button', { type: 'button' }, '清除');
    clear.addEventListener('click', () => choose(null));
    return { node: el('div', { class: 'field' }, el('label', { for: id }, label), el('div', { class: 'row' }, shown, openButton, clear), panel),
             input: shown, value: () => value, text: () => shown.value,
             set: (code, text) => show(code, text), reset: () => { show('', ''); panel.replaceChildren(); } };
  }

  function matterPicker(onChange) {
    return picker('事项分类', 'intake-matter',
                  async () => (await matterCatalogue()).filter((m) => !m.parent),
                  async (code) => (await matterCatalogue()).filter((m) => m.parent === code), onChange);
  }
  function divisionPicker(onChange) {
    const level = async (parent) => {
      const { data } = await H.api('GET', '/v1/divisions' + (parent ? '?parent=' + encodeURIComponent(parent) : ''));
      return (data && data.items) || [];
    };
    return picker('区域', 'intake-area', () => level(''), level, onChange);
  }

  // ---- intake --------------------------------------------------------------------------------------------

  function field(label, input) {
    return el('label', { class: 'field', for: input.id }, el('span', {}, label), input);
  }
  function options(names, first) {
    return Object.entries(names).map(([v, t]) => el('option', { value: v, selected: v === first }, t));
  }

  // A search item's lead unit (主办单位): `unit` {id, name} as the search gives it (an id alone: its name is looked up).
  function unitOf(t) {
    if (!t.unit) return '—';
    if (typeof t.unit === 'string') return H.unitLabel(t.unit);
    return t.unit.name || H.unitLabel(t.unit.id);
  }

  // A short list (the caller's earlier tickets beside the intake form).
  function ticketList(items, empty) {
    if (!items.length) return el('p', { class: 'muted' }, empty);
    return el('ul', { class: 'tickets' }, items.map((t) => el('li', {},
      el('a', { href: '#/ticket/' + encodeURIComponent(t.id) }, t.id), ' ',
      el('span', { class: 'badge state-' + t.state }, H.stateNames[t.state] || t.state), ' ',
      el('span', { class: 'muted' }, H.when(t.received_at)), t.unit ? el('span', { class: 'muted' }, ' · ', unitOf(t)) : '',
      el('div', { class: 'content' }, t.content))));
  }

  // Search results and review queues: one row a ticket, with its current lead unit, so two alike tickets sent to
  // different units are told apart.
  function ticketTable(items, empty, id) {
    if (!items.length) return el('p', { class: 'muted', id: id ? id + '-empty' : null }, empty);
    return el('table', { class: 'queue tickets-table', id },
      el('thead', {}, el('tr', {}, ['工单号', '状态', '受理时间', '主办单位', '诉求内容'].map((h) => el('th', {}, h)))),
      el('tbody', {}, items.map((t) => el('tr', { 'data-id': t.id },
        el('td', { class: 'nowrap' }, el('a', { href: '#/ticket/' + encodeURIComponent(t.id) }, t.id)),
        el('td', { class: 'nowrap' }, el('span', { class: 'badge state-' + t.state }, H.stateNames[t.state] || t.state)),
        el('td', { class: 'nowrap' }, H.when(t.received_at)),
        el('td', { class: 'unit-cell', 'data-unit': t.unit && (t.unit.id || t.unit) }, unitOf(t)),
        el('td', { class: 'content' }, t.content)))));
  }

  function suggestionView(d) {
    const rows = [
      ['主办单位', d.unit ? d.unit.name + '（' + d.unit.id + '）' : '—'],
      ['协办单位', (d.co_units || []).map((u) => u.name).join('、') || '—'],
      ['事项', d.category ? d.category.name + '（' + d.category.code + '）' +
               (d.category.inferred ? ' · 自动识别，置信度 ' + d.category.confidence + '%' : '') : '未识别'],
      ['区域', d.area ? d.area.name + (d.area.inferred ? '（自动识别）' : '') : '未识别'],
      ['规则', d.rule === 'fallback' ? '无匹配规则，转派单中心' : d.rule],
    ];
    return [el('dl', { class: 'facts', id: 'suggestion-facts' }, rows.map(([k, v]) => [el('dt', {}, k), el('dd', { 'data-key': k }, v)])),
            el('details', {}, el('summary', {}, '路由依据'), el('ol', { class: 'explain' }, (d.explain || []).map((l) => el('li', {}, l))))];
  }

  // The request's field a refusal names (`field` of the problem) → the input to mark, and its name in Chinese.
  const fieldInputs = {
    content: ['what', '何事（诉求内容）'], address: ['address', '何地'], 'caller.name': ['name', '姓名'],
    'caller.phone': ['phone', '电话'], caller: ['name', '来电人'], type: ['type', '类型'], urgency: ['urgency', '紧急程度'],
    channel: ['channel', '渠道'], confidential: ['confidential', '保密件'], category: ['matter', '事项分类'],
    area: ['area', '区域'],
  };
  const fieldHints = { 'caller.phone': '电话应为 3 到 20 位数字（可含 + - 和空格），不知道号码时请留空。' };

  async function renderIntake(box) {
    const f = {
      name: el('input', { id: 'intake-name', autocomplete: 'off' }),
      phone: el('input', { id: 'intake-phone', inputmode: 'tel', autocomplete: 'off' }),
      channel: el('select', { id: 'intake-channel' }, options(H.channelNames, 'phone')),
      type: el('select', { id: 'intake-type' }, options(H.typeNames, 'complaint')),
      urgency: el('select', { id: 'intake-urgency' }, options(H.urgencyNames, 'normal')),
      when: el('input', { id: 'intake-when', placeholder: '如：今天凌晨、12月1日起' }),
      address: el('input', { id: 'intake-address', placeholder: '区县、街道、路名门牌' }),
      what: el('textarea', { id: 'intake-content', rows: 6, required: true, placeholder: '群众反映的问题' }),
      ask: el('textarea', { id: 'intake-ask', rows: 2, placeholder: '群众的诉求' }),
      confidential: el('input', { id: 'intake-confidential', type: 'checkbox' }),
    };
    const texts = ['name', 'phone', 'when', 'address', 'what', 'ask'];
    const selects = { channel: 'phone', type: 'complaint', urgency: 'normal' };
    const suggestionHint = () => el('p', { class: 'muted' }, '输入诉求内容后显示派单建议。');
    const historyHint = () => el('p', { class: 'muted' }, '输入来电号码后显示该号码的历史工单。');
    const suggestion = el('div', { id: 'suggestion', 'aria-live': 'polite' }, suggestionHint());
    const history = el('div', { id: 'caller-history' }, historyHint());
    // The outcome of the last submit, at the top of the form (seen without scrolling, focused after a submit so a
    // screen reader reads it): the new ticket's number, its lookup code and its likely duplicates. A refusal goes
    // beside the field it names, or above the form (#intake-error).
    const result = el('div', { id: 'intake-result', role: 'status', tabindex: '-1', hidden: true });
    const problem = el('div', { id: 'intake-error', role: 'alert' });

    // The request: only what was filled in (an empty optional field is left out, never sent as "").
    const body = () => {
      let content = f.what.value.trim();
      if (f.when.value.trim()) content += '\n事发时间：' + f.when.value.trim();
      if (f.ask.value.trim()) content += '\n诉求：' + f.ask.value.trim();
      const b = { content, type: f.type.value, urgency: f.urgency.value, channel: f.channel.value };
      if (f.address.value.trim()) b.address = f.address.value.trim();
      if (matter.value()) b.category = matter.value();
      if (area.value()) b.area = area.value();
      const caller = {};
      if (f.name.value.trim()) caller.name = f.name.value.trim();
      if (f.phone.value.trim()) caller.phone = f.phone.value.trim();
      if (Object.keys(caller).length) b.caller = caller;
      if (f.confidential.checked) b.confidential = true;
      return b;
    };

    // The draft: what is typed, kept in this tab until the ticket is submitted (see Hotline.drafts).
    const saveDraft = () => {
      const values = { matter: [matter.value(), matter.text()], area: [area.value(), area.text()],
                       confidential: f.confidential.checked };
      for (const k of texts) values[k] = f[k].value;
      for (const k of Object.keys(selects)) values[k] = f[k].value;
      const typed = texts.some((k) => values[k].trim() !== '') || values.matter[0] || values.area[0] || values.confidential ||
                    Object.entries(selects).some(([k, v]) => values[k] !== v);
      if (typed) H.drafts.save('intake', values); else H.drafts.clear('intake');
    };

    let asked = 0;
    const suggest = H.debounce(async () => {
      const b = body();
      if (!f.what.value.trim()) {
        asked += 1;  // an answer still on its way is for text no longer there
        suggestion.replaceChildren(suggestionHint());
        delete suggestion.dataset.seq;
        return;
      }
      delete b.caller;
      const seq = ++asked;
      const { status, data } = await H.api('POST', '/v1/route/explain', b);
      if (seq !== asked) return;  // an answer to older text
      suggestion.replaceChildren(...(status === 200 ? suggestionView(data) : [H.refusalView(status, data)]));
      suggestion.dataset.seq = String(seq);
    }, 60);  // a pause in typing: the suggestion is to show within 100 ms of it (tests/bench/web_bench.mjs)
    const picked = (which) => () => {
      if (marked && marked.input === which().input) unmark();
      suggest();
      saveDraft();
    };
    const matter = matterPicker(picked(() => matter));
    const area = divisionPicker(picked(() => area));
    f.matter = matter.input;
    f.area = area.input;
    for (const input of [f.what, f.ask, f.address, f.when]) input.addEventListener('input', suggest);
    for (const input of [f.type, f.urgency]) input.addEventListener('change', suggest);

    let phoneAsked = 0;
    const lookUpCaller = H.debounce(async () => {
      const phone = f.phone.value.trim();
      if (phone.replace(/\D/g, '').length < 5) {
        phoneAsked += 1;  // the history shown (or on its way) is another number's
        history.replaceChildren(historyHint());
        return;
      }
      const seq = ++phoneAsked;
      const { status, data } = await H.api('GET', '/v1/tickets?limit=20&phone=' + encodeURIComponent(phone));
      if (seq !== phoneAsked) return;
      history.replaceChildren(el('h4', {}, '该号码的历史工单'),
                              status === 200 ? ticketList(data.items || [], '无历史工单。') : H.refusalView(status, data));
    }, 400);
    f.phone.addEventListener('input', lookUpCaller);

    // A field the server refused: marked, described by the reason, focused; unmarked once it is edited.
    let marked = null;
    const unmark = () => {
      if (!marked) return;
      marked.input.removeAttribute('aria-invalid');
      marked.input.removeAttribute('aria-describedby');
      marked.input.classList.remove('invalid');
      marked.note.remove();
      marked = null;
    };
    const mark = (field, text) => {
      unmark();
      const known = fieldInputs[field];
      const input = known && f[known[0]];
      if (!input) return false;
      const note = el('p', { class: 'error field-error', id: 'intake-field-error' }, text);
      const holder = input.closest('.field') || input.closest('.check') || input.parentNode;
      holder.after(note);
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', note.id);
      input.classList.add('invalid');
      marked = { input, note };
      input.focus();
      return true;
    };

    // After a ticket is taken: the form as for a new call. Only the outcome (ticket number, lookup code) stays.
    const resetForm = () => {
      unmark();
      for (const k of texts) f[k].value = '';
      for (const [k, v] of Object.entries(selects)) f[k].value = v;
      f.confidential.checked = false;
      matter.reset();
      area.reset();
      asked += 1;       // an explain or a caller look-up still on its way belongs to the call just taken
      phoneAsked += 1;
      suggestion.replaceChildren(suggestionHint());
      delete suggestion.dataset.seq;
      history.replaceChildren(historyHint());
      H.drafts.clear('intake');
    };

    // A draft left by a session that ended (or by another screen of this session): the form as it was.
    const draft = H.drafts.load('intake');
    if (draft) {
      for (const k of texts) if (typeof draft[k] === 'string') f[k].value = draft[k];
      for (const k of Object.keys(selects)) {
        if (typeof draft[k] === 'string' && [...f[k].options].some((o) => o.value === draft[k])) f[k].value = draft[k];
      }
      f.confidential.checked = draft.confidential === true;
      if (Array.isArray(draft.matter) && draft.matter[0]) matter.set(String(draft.matter[0]), String(draft.matter[1] || ''));
      if (Array.isArray(draft.area) && draft.area[0]) area.set(String(draft.area[0]), String(draft.area[1] || ''));
      if (f.what.value.trim()) suggest();
      if (f.phone.value.trim()) lookUpCaller();
    }

    const submit = el('button', { type: 'submit', id: 'intake-submit' }, '提交工单');
    const form = el('form', { id: 'intake', class: 'intake' }, result, problem,
      el('fieldset', {}, el('legend', {}, '来电人（谁）'), field('姓名', f.name), field('电话', f.phone),
         el('label', { class: 'check' }, f.confidential, ' 保密件（承办单位看不到来电人信息）')),
      el('fieldset', {}, el('legend', {}, '工单'), field('渠道', f.channel), field('类型', f.type), field('紧急程度', f.urgency)),
      el('fieldset', {}, el('legend', {}, '五要素'), field('何时', f.when), field('何地', f.address),
         field('何事（诉求内容）', f.what), field('诉求（希望如何处理）', f.ask), matter.node, area.node),
      submit);
    form.addEventListener('input', (event) => {
      if (marked && event.target === marked.input) unmark();
      saveDraft();
    });
    form.addEventListener('change', saveDraft);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      unmark();
      problem.replaceChildren();
      saveDraft();
      submit.disabled = true;
      const { status, data } = await H.api('POST', '/v1/tickets', body());
      submit.disabled = false;
      if (!box.isConnected && status === 401) return;  // the session ended: the login form is shown, the draft kept
      if (status !== 201) {
        // A field named by the server: the reason beside it and the focus on it; anything else above the form.
        const field = status === 400 && data && data.field;
        const label = field && fieldInputs[field] ? fieldInputs[field][1] : '';
        const detail = data && (data.detail || data.title);
        const lead = fieldHints[field] ? '「' + label + '」填写有误：' + fieldHints[field] : H.refusalParts(status, data).lead;
        if (label && mark(field, [el('span', { class: 'refusal-lead' }, lead),
                                  detail ? el('span', { class: 'refusal-detail' }, '详情：', detail) : ''])) return;
        problem.replaceChildren(H.refusalView(status, data));
        problem.scrollIntoView({ block: 'nearest' });
        return;
      }
      const dupes = data.likely_duplicates || [];
      resetForm();
      result.replaceChildren(
        el('p', { class: 'ok' }, '已受理，工单号 ', el('a', { id: 'new-ticket', href: '#/ticket/' + encodeURIComponent(data.id) }, data.id),
           '，派至 ', data.unit ? data.unit.name : '—',
           data.lookup_code ? ['，查询码 ', el('strong', { id: 'new-lookup-code' }, data.lookup_code)] : '', '。'),
        dupes.length ? el('p', { class: 'warn' }, '工单 ' + data.id + ' 疑似重复件：',
                          dupes.map((d) => [el('a', { href: '#/ticket/' + encodeURIComponent(d.id) }, d.id), ' ']), '（可在工单页并案）') : '');
      result.hidden = false;
      // Seen at once without scrolling, and read out: the page goes to the top of the form, the outcome has the focus
      // (Tab then reaches the ticket's link and the next caller's name).
      window.scrollTo(0, 0);
      result.focus({ preventScroll: true });
    });
    box.append(el('h2', {}, '受理登记'), el('div', { class: 'split' }, form,
                                           el('aside', {}, el('h3', {}, '派单建议'), suggestion, el('h3', {}, '来电历史'), history)));
  }

  // ---- review queues, the desk, search ------------------------------------------------------------------

  const reviews = [
    ['return_requested', '退单审核'], ['extension_requested', '延期审核'], ['reply_review', '回复审核'],
    ['awaiting_follow_up', '待回访'], ['arbitration_requested', '待仲裁'],
  ];
  let reviewTab = 'return_requested';

  async function renderReview(box) {
    const tabs = el('div', { class: 'tabs', role: 'tablist' }, reviews.map(([state, label]) => {
      const b = el('button', { type: 'button', role: 'tab', 'aria-selected': String(state === reviewTab), 'data-state': state }, label);
      b.addEventListener('click', () => { reviewTab = state; H.refresh(); });
      return b;
    }));
    const { status, data } = await H.api('GET', '/v1/tickets?limit=100&state=' + reviewTab);
    box.append(el('h2', {}, '审核与回访'), tabs,
               status === 200 ? ticketTable(data.items || [], '没有待处理的工单。', 'review-list') : H.refusalView(status, data));
  }

  async function renderDesk(box) {
    const { status, data } = await H.api('GET', '/v1/desk/queue?limit=100');
    box.append(el('h2', {}, '派单中心待派工单'));
    if (status !== 200) { box.append(H.refusalView(status, data)); return; }
    box.append(el('table', { class: 'queue' },
      el('thead', {}, el('tr', {}, ['工单号', '诉求内容', '等待自', '派单时限'].map((h) => el('th', {}, h)))),
      el('tbody', {}, (data.items || []).map((t) => el('tr', { class: t.overdue ? 'clock-red' : '' },
        el('td', {}, el('a', { href: '#/ticket/' + encodeURIComponent(t.id) }, t.id)), el('td', { class: 'content' }, t.content),
        el('td', {}, H.when(t.waiting_since)), el('td', {}, H.when(t.dispatch_due_at)))))));
  }

  const searchState = { q: '', phone: '', state: '' };
  async function renderSearch(box) {
    const q = el('input', { id: 'search-q', type: 'search', value: searchState.q, placeholder: '诉求内容或地址中的文字' });
    const phone = el('input', { id: 'search-phone', value: searchState.phone, placeholder: '来电号码' });
    const state = el('select', { id: 'search-state' }, el('option', { value: '' }, '全部状态'),
                     Object.entries(H.stateNames).map(([v, t]) => el('option', { value: v, selected: v === searchState.state }, t)));
    const form = el('form', { class: 'toolbar', role: 'search' }, field('关键词', q),
                    H.session.role === 'unit' ? '' : field('来电号码', phone), field('状态', state),
                    el('button', { type: 'submit' }, '查询'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      Object.assign(searchState, { q: q.value.trim(), phone: phone.value.trim(), state: state.value });
      H.refresh();
    });
    box.append(el('h2', {}, H.session.role === 'unit' ? '查询本单位工单' : '工单查询'), form);
    if (!searchState.q && !searchState.phone && !searchState.state) return;
    const params = new URLSearchParams({ limit: '100' });
    if (searchState.q) params.set('q', searchState.q);
    if (searchState.phone && H.session.role !== 'unit') params.set('phone', searchState.phone);
    if (searchState.state) params.set('state', searchState.state);
    const { status, data } = await H.api('GET', '/v1/tickets?' + params);
    box.append(status === 200 ? el('div', { id: 'search-results' }, ticketTable(data.items || [], '没有找到工单。'))
                              : H.refusalView(status, data));
  }

  H.views.intake = { title: '受理登记', roles: ['operator'], nav: true, order: 1, render: renderIntake };
  H.views.review = { title: '审核与回访', roles: ['operator', 'supervisor'], nav: true, order: 3, render: renderReview };
  H.views.desk = { title: '派单中心', roles: ['operator', 'supervisor'], nav: true, order: 4, render: renderDesk };
  H.views.search = { title: '工单查询', roles: ['operator', 'unit', 'supervisor'], nav: true, order: 5, render: renderSearch };
  H.ticketList = ticketList;
  H.ticketTable = ticketTable;
})();
