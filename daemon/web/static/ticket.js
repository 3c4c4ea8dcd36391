// The ticket page (#/ticket/ID) for every role: the citizen's words, the clocks, the timeline in plain Chinese,
// and the actions the signed-in person may take now. The server enforces every rule; a refusal is shown as it
// explains it.
'use strict';
(() => {
  const H = window.Hotline;
  const el = H.el;

  const eventNames = {
    received: '受理登记', dispatched: '派发', signed_for: '签收', passed_down: '转派下级', return_requested: '申请退单',
    return_approved: '同意退单', return_declined: '不同意退单', extension_requested: '申请延期',
    extension_approved: '同意延期', extension_declined: '不同意延期', replied: '回复办理结果',
    reply_approved: '回复审核通过', reply_rejected: '回复被退回', followed_up: '回访', redo: '重办', closed: '办结',
    urged: '催办', supervised: '督办', stage_yellow: '黄牌预警', stage_red: '红牌', stage_urge: '超期催办',
    stage_supervise: '超期督办', redispatched: '改派', arbitration_requested: '申请仲裁', arbitrated: '仲裁',
    disputed: '提出异议', merged: '并案', unmerged: '取消并案', not_accepted: '不予受理', master_replied: '主件回复',
  };
  // The parts of an event's data a person reads, with their labels.
  const payloadLabels = [
    ['reason', '理由'], ['reason_code', '退单类型'], ['text', '回复内容'], ['basis', '办理依据'], ['note', '意见'],
    ['working_days', '工作日'], ['decision', '决定'], ['satisfaction', '满意度'], ['resolution', '解决情况'],
    ['child', '转派至'], ['into', '并入'], ['reply_due', '办结时限'],
  ];
  const valueNames = {
    not_our_duty: '非本单位职责', not_our_territory: '非本辖区', approve: '同意', decline: '不同意', reject: '退回',
    satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意', unrated: '未评价', resolved: '已解决',
    partially_resolved: '部分解决', unresolved: '未解决',
  };

  function payloadText(key, value) {
    if (key === 'reply_due' && /^\d+$/.test(value)) {
      const d = new Date(Number(value) + 8 * 3600 * 1000);  // the deployment's time, as the stamps show it
      return d.toISOString().slice(0, 16).replace('T', ' ');
    }
    return valueNames[value] || value;
  }

  function timelineItem(e) {
    const lead = e.payload && e.payload.lead === 'false' ? '（协办）' : e.payload && e.payload.lead === 'true' ? '（主办）' : '';
    const details = [];
    for (const [key, label] of payloadLabels) {
      const v = e.payload && e.payload[key];
      if (v !== undefined && v !== null && v !== '') details.push(el('div', { class: 'detail' }, label + '：', payloadText(key, v)));
    }
    const who = e.role === 'system' ? '系统' : H.roleNames[e.role] || e.role || '';
    return el('li', { class: 'event event-' + e.kind },
              el('time', {}, H.when(e.at)), ' ',
              el('strong', {}, eventNames[e.kind] || e.kind), lead, ' ',
              e.unit ? H.unitLabel(e.unit) : '', e.unit ? ' ' : '', el('span', { class: 'muted' }, who),
              details);
  }

  // A clock with its due time and working days left; a clock that has stopped (done) shows only its due time.
  function clockCell(clock, done) {
    if (!clock) return el('td', {}, '—');
    if (done) return el('td', { class: 'clock done' }, H.when(clock.due_at), el('br'), done);
    const cls = clock.overdue ? 'clock red' : clock.working_days_left <= 1 ? 'clock yellow' : 'clock green';
    return el('td', { class: cls }, H.when(clock.due_at), el('br'),
              clock.overdue ? '已超期' : '剩余 ' + clock.working_days_left + ' 个工作日',
              clock.provisional ? '（暂定）' : '');
  }

  // The argument a refusal's words point at when the problem names no field (`invalid-action` says it in prose:
  // "A reply needs its text.", "Declining a return needs a note …"): the first of these the form has.
  const detailFields = [
    ['working_days', /working_days|working days/i], ['co', /co-handling|\bco\b/i], ['reason_code', /reason_code/i],
    ['into', /\binto\b/i], ['child', /\bchild\b/i], ['reason', /\breason\b/i], ['note', /\bnote\b/i],
    ['text', /\btext\b/i], ['basis', /\bbasis\b/i], ['satisfaction', /satisfaction/i], ['resolution', /resolution/i],
    ['redo', /\bredo\b/i], ['unit', /\bunit\b|\blead\b/i],
  ];
  function refusedField(fields, data, body) {
    const byName = (name) => fields.find((f) => f.name === name && f.input);
    if (data && data.field) return byName(data.field) || null;
    const detail = String((data && data.detail) || '');
    // A value the detail quotes ('350602.xyz') is in the field that holds it.
    for (const [, quoted] of detail.matchAll(/'([^']+)'/g)) {
      const holder = fields.find((f) => f.input && typeof body[f.name] === 'string' && body[f.name].split(',').includes(quoted));
      if (holder) return holder;
    }
    for (const [name, re] of detailFields) if (re.test(detail) && byName(name)) return byName(name);
    return null;
  }

  // An action form: fields, a button, and the server's answer. What is missing or out of range is said (in Chinese)
  // before anything is sent; a refusal stays in the form, under its button, with the field it is about marked.
  function actionForm(title, action, id, fields, note) {
    const form = el('form', { class: 'action', 'data-action': action, novalidate: true });
    const out = el('div', { class: 'form-error', role: 'alert' });
    form.append(el('h4', {}, title));
    if (note) form.append(el('p', { class: 'muted' }, note));
    for (const f of fields) form.append(f.node);
    const button = el('button', { type: 'submit' }, title);
    form.append(button, out);

    const marks = [];
    const unmark = (f) => {
      for (const m of marks.filter((x) => !f || x.f === f)) {
        m.f.input.classList.remove('invalid');
        m.f.input.removeAttribute('aria-invalid');
        m.f.input.removeAttribute('aria-describedby');
        m.note.remove();
        marks.splice(marks.indexOf(m), 1);
      }
    };
    const mark = (f, text) => {
      unmark(f);
      const note = el('p', { class: 'error field-error', id: f.input.id + '-error' }, text);
      f.node.after(note);
      f.input.classList.add('invalid');
      f.input.setAttribute('aria-invalid', 'true');
      f.input.setAttribute('aria-describedby', note.id);
      marks.push({ f, note });
    };
    const edited = (event) => {
      const f = fields.find((x) => x.input && x.input === event.target);
      if (f) unmark(f);
    };
    form.addEventListener('input', edited);
    form.addEventListener('change', edited);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (button.disabled) return;
      unmark();
      out.replaceChildren();
      button.disabled = true;
      // First what the page can tell by itself: a required text left empty, a number out of range, a unit not
      // chosen from the list.
      const problems = [];
      for (const f of fields) {
        const problem = f.prepare ? await f.prepare() : '';
        if (problem) problems.push([f, problem]);
      }
      if (problems.length) {
        button.disabled = false;
        for (const [f, problem] of problems) mark(f, problem);
        out.append(el('p', { class: 'error' }, '请先改正标出的项目。'));
        problems[0][0].input.focus();
        return;
      }
      const body = {};
      for (const f of fields) {
        const v = f.value();
        if (v !== undefined && v !== '') body[f.name] = v;
      }
      const { status, data } = await H.api('POST', '/v1/tickets/' + encodeURIComponent(id) + '/' + action, body);
      button.disabled = false;
      if (status === 200) {
        H.notice(title + '成功：' + id + ' 现为「' + (H.stateNames[data.state] || data.state) + '」');
        H.refresh();
        return;
      }
      if (status === 401) return;  // the session ended: the login form is shown
      const f = status === 400 || status === 422 ? refusedField(fields, data, body) : null;
      // The field the refusal is about, named in Chinese even when only the server's words point at it.
      out.append(H.refusalView(status, f && data && !data.field ? Object.assign({}, data, { field: f.name }) : data));
      if (f) {
        mark(f, '请检查「' + f.short + '」');
        f.input.focus({ preventScroll: true });
      }
      out.scrollIntoView({ block: 'nearest' });
    });
    return form;
  }

  // Fields of an action form: {name, node, input, short (its name in messages), prepare() → a problem or '', value()}.
  let fieldSeq = 0;
  const shortLabel = (label) => label.replace(/（.*?）/g, '');
  function labelled(label, input) {
    const fid = 'f' + ++fieldSeq;
    input.id = fid;
    return el('label', { for: fid, class: 'field' }, el('span', {}, label), input);
  }
  function hiddenField(name, value) {
    return { name, node: document.createTextNode(''), value: () => value };
  }
  function textField(name, label, multiline, required) {
    const input = multiline ? el('textarea', { rows: 3, 'aria-required': required ? 'true' : null })
                            : el('input', { 'aria-required': required ? 'true' : null });
    const short = shortLabel(label);
    return { name, input, short, node: labelled(label, input), value: () => input.value.trim(),
             prepare: async () => (required && !input.value.trim() ? '请填写「' + short + '」' : '') };
  }
  function selectField(name, label, options) {
    const input = el('select', {}, options.map(([v, t]) => el('option', { value: v }, t)));
    return { name, input, short: shortLabel(label), node: labelled(label, input), value: () => input.value };
  }
  function numberField(name, label, min, max, value, required) {
    const input = el('input', { type: 'number', min, max, step: 1, value, placeholder: value === '' ? min + '–' + max : null });
    const short = shortLabel(label);
    const number = () => (input.value.trim() === '' ? undefined : Number(input.value));
    return { name, input, short, node: labelled(label, input), value: number,
             prepare: async () => {
               const n = number();
               if (n === undefined) return required ? '请填写「' + short + '」' : '';
               return Number.isInteger(n) && n >= min && n <= max ? '' : '「' + short + '」应为 ' + min + ' 到 ' + max + ' 之间的整数';
             } };
  }
  function checkField(name, label) {
    const input = el('input', { type: 'checkbox' });
    return { name, input, short: shortLabel(label), node: labelled(label, input), value: () => (input.checked ? true : undefined) };
  }

  // The units a unit may pass a case down to (GET /v1/units?parent=…), asked once per page.
  const children = new Map();
  function childUnits(parent) {
    if (!children.has(parent)) {
      children.set(parent, H.api('GET', '/v1/units?limit=500&parent=' + encodeURIComponent(parent)).then(({ status, data }) => {
        if (status !== 200) { children.delete(parent); throw Object.assign(new Error('units'), { status, data }); }
        return ((data && data.items) || []).map((u) => H.searchableUnit(u, null));
      }));
    }
    return children.get(parent);
  }
  // What a person may have typed for a unit without picking it from the list: its id, its exact name, or the
  // 名称（id） the list puts in the field.
  function unitFromText(units, text) {
    const t = text.trim().toLowerCase();
    if (!t) return null;
    const id = (/[（(]\s*([^（）()\s]+)\s*[)）]\s*$/.exec(t) || [])[1];
    return units.find((u) => u.lid === t || u.lname === t || (id && u.lid === id)) || null;
  }

  // A unit chosen from the directory (or, with `parent`, from the units below it): type any part of its name —
  // 芗城区公安, 芗城 公安, its id — and pick from the list (arrows and Enter, or a click); the field then shows
  // 名称（id）. Nothing matching is said at once.
  function unitField(name, label, { parent = '', required = false } = {}) {
    const fid = 'f' + ++fieldSeq;
    const input = el('input', { id: fid, role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
                                'aria-controls': fid + '-list', placeholder: '输入单位名称、简称或编码', autocomplete: 'off',
                                spellcheck: 'false', 'aria-required': required ? 'true' : null });
    const list = el('ul', { class: 'unit-options', id: fid + '-list', role: 'listbox', 'aria-label': shortLabel(label), hidden: true });
    const hint = el('p', { class: 'unit-hint muted', id: fid + '-hint', 'aria-live': 'polite' });
    const short = shortLabel(label);
    const units = () => (parent ? childUnits(parent) : H.unitDirectory());
    let chosen = null;
    let shown = [];
    let active = -1;
    let asked = 0;

    const close = () => {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    };
    const setActive = (i) => {
      const options = list.children;
      if (active >= 0 && options[active]) options[active].setAttribute('aria-selected', 'false');
      active = i;
      if (i < 0 || !options[i]) { input.removeAttribute('aria-activedescendant'); return; }
      options[i].setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', options[i].id);
      options[i].scrollIntoView({ block: 'nearest' });
    };
    const say = (text, isError) => { hint.textContent = text; hint.className = 'unit-hint ' + (isError ? 'error' : 'muted'); };
    const choose = (u) => {
      asked += 1;
      chosen = u;
      input.value = H.unitText(u);
      say('');
      close();
      input.dispatchEvent(new Event('change', { bubbles: true }));
    };
    const search = async () => {
      const text = input.value.trim();
      if (chosen && input.value === H.unitText(chosen)) return;
      chosen = null;
      const seq = ++asked;
      if (!text && !parent) { list.replaceChildren(); close(); say(''); return; }
      let all;
      try { all = await units(); } catch (e) {
        if (seq === asked) say('单位目录加载失败：' + H.refusal(e.status || 0, e.data), true);
        return;
      }
      if (seq !== asked) return;  // typed on meanwhile
      const found = text ? H.matchUnits(all, text) : all;
      shown = found.slice(0, 30);
      list.replaceChildren(...shown.map((u, i) => {
        const option = el('li', { role: 'option', id: fid + '-o' + i, 'data-id': u.id, 'aria-selected': 'false' },
                          el('span', { class: 'unit-name' }, u.name), ' ', el('span', { class: 'muted' }, u.id));
        option.addEventListener('mousedown', (event) => { event.preventDefault(); choose(u); });
        return option;
      }));
      if (!found.length) {
        close();
        say('无匹配的单位', true);
        return;
      }
      list.hidden = false;
      list.classList.remove('align-right');  // wider than the field when the names are long, never off the screen
      if (list.getBoundingClientRect().right > document.documentElement.clientWidth) list.classList.add('align-right');
      input.setAttribute('aria-expanded', 'true');
      setActive(text ? 0 : -1);
      say(found.length > shown.length ? '共 ' + found.length + ' 个匹配，显示前 ' + shown.length + ' 个，可再输入几个字缩小范围' : '');
    };
    input.addEventListener('input', H.debounce(search, 120));
    input.addEventListener('focus', () => { if (parent && !chosen && !input.value.trim()) search(); });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        if (list.hidden) { search(); return; }
        const n = shown.length;
        setActive(event.key === 'ArrowDown' ? Math.min(n - 1, active + 1) : Math.max(0, active - 1));
      } else if (event.key === 'Enter' && !list.hidden && active >= 0 && shown[active]) {
        event.preventDefault();  // picks the unit; the next Enter submits the form
        choose(shown[active]);
      } else if (event.key === 'Escape' && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener('blur', () => close());
    // The list is placed right under the field, over what follows (style.css: .unit-options).
    const node = el('div', { class: 'unit-picker' }, el('label', { for: fid, class: 'field' }, el('span', {}, label), input),
                    list, hint);
    return {
      name, input, short, node, value: () => (chosen ? chosen.id : ''),
      prepare: async () => {
        const text = input.value.trim();
        if (chosen && input.value === H.unitText(chosen)) return '';
        chosen = null;
        if (!text) return required ? '请选择「' + short + '」' : '';
        let all = [];
        try { all = await units(); } catch (e) { return '单位目录加载失败，请稍后再试'; }
        const u = unitFromText(all, text);
        if (u) { choose(u); return ''; }
        asked += 1;  // a search still on its way says nothing now: the field's mark says it
        say('');
        close();
        return H.matchUnits(all, text).length ? '请从列表中选定「' + short + '」（方向键和回车，或用鼠标点选）'
                                              : '无匹配的单位：请换个说法，如“芗城 公安”';
      },
    };
  }
  // Co-handling units, comma-separated: ids, or names as the directory has them (turned into ids when sent).
  function coField(name, label) {
    const f = textField(name, label, false, false);
    let ids = '';
    f.input.placeholder = '单位名称或编码，多个用逗号分隔';
    f.prepare = async () => {
      const parts = f.input.value.split(/[,，、;；\s]+/).map((p) => p.trim()).filter(Boolean);
      let all = [];
      try { if (parts.length) all = await H.unitDirectory(); } catch (e) { all = []; }
      ids = parts.map((p) => { const u = unitFromText(all, p); return u ? u.id : p; }).join(',');
      return '';
    };
    f.value = () => ids;
    return f;
  }

  function actionsFor(t, c) {
    const role = H.session.role;
    const me = H.session.unit;
    const id = t.id;
    const forms = [];
    const mine = (c.assignments || []).filter((a) => a.unit === me && a.state !== 'withdrawn');
    const handled = (c.assignments || []).filter((a) => a.handler === me && a.state !== 'withdrawn');
    const leadMine = mine.find((a) => a.lead);
    if (role === 'unit') {
      if (mine.some((a) => a.state === 'awaiting_sign_for')) forms.push(actionForm('签收', 'sign_for', id, []));
      const signed = mine.concat(handled).some((a) => a.state !== 'awaiting_sign_for');
      if (c.state === 'in_progress' && signed) {
        forms.push(actionForm('回复', 'reply', id, [textField('text', '回复内容（办理结果）', true, true),
                                                    textField('basis', '办理依据（可选）', false)]));
      }
      if (c.state === 'in_progress' && mine.length) {
        forms.push(actionForm('转派下级', 'pass_down', id, [unitField('child', '下级单位', { parent: me, required: true })],
                              '本单位仍对办理结果负责。'));
      }
      if (leadMine && (c.state === 'awaiting_sign_for' || c.state === 'in_progress')) {
        forms.push(actionForm('申请退单', 'request_return', id, [
          selectField('reason_code', '退单类型', [['not_our_duty', '非本单位职责'], ['not_our_territory', '非本辖区']]),
          textField('reason', '退单理由', true, true)]));
      }
      if (leadMine && c.state === 'in_progress') {
        forms.push(actionForm('申请延期', 'request_extension', id, [numberField('working_days', '延期工作日', 1, 30, 5, true),
                                                                   textField('reason', '延期理由', true, true)]));
      }
      if (leadMine && c.pending_return === undefined && (c.state === 'awaiting_sign_for' || c.state === 'in_progress') &&
          (t.events || []).some((e) => e.kind === 'return_declined')) {
        forms.push(actionForm('提出异议', 'dispute', id, [textField('reason', '异议理由', true, true)],
                              '退单被驳回后一个工作日内可提出异议，由督查仲裁。'));
      }
    }
    if (role === 'operator') {
      if (c.state === 'return_requested') {
        forms.push(actionForm('同意退单并改派', 'review_return', id,
                              [hiddenField('decision', 'approve'), unitField('unit', '新的主办单位', { required: true }),
                               coField('co', '协办单位（可选）')]));
        forms.push(actionForm('不同意退单', 'review_return', id,
                              [hiddenField('decision', 'decline'), textField('note', '不同意的理由', true, true)]));
      }
      if (c.state === 'extension_requested') {
        const asked = (c.pending_extension && c.pending_extension.working_days) || 30;
        forms.push(actionForm('同意延期', 'review_extension', id,
                              [hiddenField('decision', 'approve'),
                               numberField('working_days', '批准工作日（留空即按申请，可少于申请）', 1, asked, '')]));
        forms.push(actionForm('不同意延期', 'review_extension', id,
                              [hiddenField('decision', 'decline'), textField('note', '不同意的理由', true, true)]));
      }
      if (c.state === 'reply_review') {
        forms.push(actionForm('回复审核通过', 'review_reply', id,
                              [hiddenField('decision', 'approve')]));
        forms.push(actionForm('退回回复', 'review_reply', id,
                              [hiddenField('decision', 'reject'), textField('note', '退回理由', true, true)]));
      }
      if (c.state === 'awaiting_follow_up') {
        forms.push(actionForm('记录回访', 'follow_up', id, [
          selectField('satisfaction', '满意度', [['satisfied', '满意'], ['basically_satisfied', '基本满意'],
                                                ['unsatisfied', '不满意'], ['unrated', '未评价']]),
          selectField('resolution', '解决情况', [['resolved', '已解决'], ['partially_resolved', '部分解决'],
                                               ['unresolved', '未解决']]),
          checkField('redo', '重办（仅在不满意时）')]));
      }
      if (c.state === 'awaiting_sign_for' || c.state === 'in_progress') {
        forms.push(actionForm('派单 / 改派', c.assignments.some((a) => a.desk) ? 'dispatch' : 'redispatch', id,
                              [unitField('unit', '主办单位', { required: true }), coField('co', '协办单位（可选）'),
                               textField('note', '说明（可选）')]));
      }
      if (c.state !== 'closed') {
        forms.push(actionForm('并案', 'merge', id, [textField('into', '并入工单号', false, true), textField('note', '说明（可选）')],
                              '把本件作为重复件并入另一张未办结的工单。'));
      }
      if (c.merged_into) forms.push(actionForm('取消并案', 'unmerge', id, [textField('note', '说明（可选）')]));
    }
    if ((role === 'operator' || role === 'supervisor') && c.state !== 'closed') {
      forms.push(actionForm('催办', 'urge', id, [textField('note', '催办意见（可选）')]));
    }
    if (role === 'supervisor' && c.state !== 'closed') {
      forms.push(actionForm('督办', 'supervise', id, [textField('note', '督办意见（可选）')]));
      if (c.state === 'arbitration_requested') {
        forms.push(actionForm('仲裁', 'arbitrate', id, [unitField('unit', '裁定的主办单位', { required: true }),
                                                       textField('note', '仲裁依据', true, true)]));
      }
    }
    return forms;
  }

  // ---- what waits for a decision ----------------------------------------------------------------------------
  const decisionActions = ['review_return', 'review_extension', 'review_reply', 'follow_up', 'arbitrate'];
  const arbitrationCauses = { return_cap: '退单次数已达上限，转督查仲裁', declined_return: '单位对“不同意退单”提出异议' };

  // Who did it: the role and, for a person, the login (user:liyun → 联络员 liyun).
  function actorText(e) {
    const role = e.role === 'system' ? '系统' : H.roleNames[e.role] || e.role || '';
    const actor = String(e.actor || '');
    return actor.startsWith('user:') ? role + ' ' + actor.slice(5) : role;
  }
  function lastEvent(t, kind) { return (t.events || []).filter((e) => e.kind === kind).pop(); }
  // The unit's replies of the current round: those after the last rejection, redo or change of lead.
  function currentReplies(t) {
    const events = t.events || [];
    let from = 0;
    events.forEach((e, i) => {
      if (['reply_rejected', 'redo', 'return_approved', 'redispatched', 'arbitrated', 'desk_dispatched'].includes(e.kind)) from = i + 1;
    });
    return events.slice(from).filter((e) => e.kind === 'replied');
  }
  // One request or reply: who, when and the facts in a line, its words below as they were written.
  function pendingItem(facts, label, text, more) {
    return el('div', { class: 'pending-item' },
              el('div', { class: 'pending-facts' }, facts.filter(([, v]) => v).map(([k, v]) =>
                el('span', { class: 'pending-fact', 'data-key': k }, el('span', { class: 'muted' }, k + '：'), v))),
              text ? [el('div', { class: 'pending-label' }, label), el('p', { class: 'citizen-text pending-text' }, text)] : '',
              more || '');
  }

  function pendingView(t, c) {
    const lead = (c.assignments || []).find((a) => a.lead && a.state !== 'withdrawn');
    if (c.state === 'reply_review' || c.state === 'awaiting_follow_up') {
      const replies = currentReplies(t);
      if (!replies.length) return null;
      return { title: c.state === 'reply_review' ? '待审核的回复' : '已审核通过的回复（回访时可告知来电人）',
               items: replies.map((e) => pendingItem(
                 [['回复单位', H.unitLabel(e.unit)], ['回复人', actorText(e)], ['回复时间', H.when(e.at)],
                  ['承办单位', e.payload && e.payload.handler ? H.unitLabel(e.payload.handler) : '']],
                 '回复内容', (e.payload && e.payload.text) || '（无）',
                 el('div', { class: 'pending-basis' }, '办理依据：', (e.payload && e.payload.basis) || '未填写'))) };
    }
    if (c.state === 'return_requested' && c.pending_return) {
      const p = c.pending_return;
      const e = lastEvent(t, 'return_requested') || {};
      return { title: '待审核的退单申请', items: [pendingItem(
        [['申请单位', H.unitLabel(p.unit)], ['退单类型', valueNames[p.reason_code] || p.reason_code], ['申请人', actorText(e)],
         ['申请时间', H.when(e.at)]], '退单理由', p.reason || '（无）')] };
    }
    if (c.state === 'extension_requested' && c.pending_extension) {
      const p = c.pending_extension;
      const e = lastEvent(t, 'extension_requested') || {};
      return { title: '待审核的延期申请', items: [pendingItem(
        [['申请单位', H.unitLabel(p.unit)], ['申请延期', p.working_days + ' 个工作日'],
         ['当前办结时限', lead && lead.reply ? H.when(lead.reply.due_at) : ''],
         ['已延期', lead && lead.extension_days ? lead.extension_days + ' 个工作日' : ''],
         ['申请人', actorText(e)], ['申请时间', H.when(e.at)]], '延期理由', p.reason || '（无）')] };
    }
    if (c.state === 'arbitration_requested' && c.pending_arbitration) {
      const p = c.pending_arbitration;
      const e = lastEvent(t, 'arbitration_requested') || {};
      const declined = p.cause === 'declined_return' ? lastEvent(t, 'return_declined') : null;
      return { title: '待仲裁', items: [pendingItem(
        [['申请单位', H.unitLabel(p.unit)], ['原因', arbitrationCauses[p.cause] || p.cause],
         ['退单类型', valueNames[p.reason_code] || p.reason_code], ['申请人', actorText(e)], ['申请时间', H.when(e.at)]],
        '理由', p.reason || '（无）',
        declined && declined.payload && declined.payload.note ? el('div', { class: 'pending-basis' }, '话务员不同意退单的理由：', declined.payload.note) : '')] };
    }
    return null;
  }

  // The section: what waits (left) and the decision forms (right); the forms alone when nothing is pending.
  function reviewSection(t, c, decisions) {
    const pending = pendingView(t, c);
    if (!pending && !decisions.length) return null;
    const parts = [];
    if (pending) parts.push(el('div', { class: 'pending', id: 'pending' }, pending.items));
    if (decisions.length) parts.push(el('div', { class: 'actions decisions' }, decisions));
    return el('section', { class: 'review', 'aria-label': pending ? pending.title : '审核' },
              el('h3', {}, pending ? pending.title : '审核'),
              el('div', { class: parts.length > 1 ? 'review-grid' : '' }, parts));
  }

  // The current lead unit (主办单位): the case's lead assignment still standing (after a return, a re-dispatch or
  // an arbitration, the new one; the desk while it holds the ticket), else the last lead of the case (a closed or
  // merged ticket), else the unit chosen at intake. Its name is looked up (the case lists ids only).
  function leadUnit(t, c) {
    const leads = (c.assignments || []).filter((a) => a.lead);
    const current = leads.filter((a) => a.state !== 'withdrawn').pop() || leads.pop();
    if (current && current.unit) {
      if (t.unit && t.unit.id === current.unit) return t.unit.name || current.unit;
      return H.unitLabel(current.unit);
    }
    return t.unit ? t.unit.name : '—';
  }

  async function render(box, id) {
    const { status, data } = await H.api('GET', '/v1/tickets/' + encodeURIComponent(id));
    if (status !== 200) {
      box.append(el('h2', {}, '工单 ' + id), H.refusalView(status, data, { role: 'alert' }));
      return;
    }
    const t = data;
    const c = t.case || {};
    const decision = t.decision || {};
    const caller = t.caller || {};
    const phone = caller.phone ? (H.session.role === 'unit' ? H.maskPhone(caller.phone) : caller.phone) : '';
    box.append(el('h2', {}, '工单 ', el('span', { id: 'ticket-id' }, t.id), ' ',
                  el('span', { class: 'badge state-' + c.state, id: 'ticket-state' }, H.stateNames[c.state] || c.state)));
    const facts = [
      ['受理时间', H.when(t.received_at)], ['类型', H.typeNames[t.type] || t.type],
      ['紧急程度', H.urgencyNames[t.urgency] || t.urgency], ['渠道', H.channelNames[t.channel] || t.channel || '—'],
      ['事项', decision.category ? decision.category.name + '（' + decision.category.code + '）' : '—'],
      ['区域', decision.area ? decision.area.name : '—'], ['地址', t.address || '—'],
      ['来电人', caller.confidential ? '保密件，来电人信息不予显示' : [caller.name, phone].filter(Boolean).join(' ') || '—'],
      ['主办单位', leadUnit(t, c)],
    ];
    box.append(el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
    box.append(el('h3', {}, '诉求内容'), el('p', { class: 'citizen-text', id: 'ticket-content' }, t.content));
    if (c.master_reply) box.append(el('h3', {}, '主件回复'), el('p', { class: 'citizen-text' }, c.master_reply));
    // What waits for a decision (a reply, a return or an extension asked, an arbitration) with the decision's forms
    // beside it, right under the citizen's words: read, compare, decide, without scrolling.
    const forms = actionsFor(t, c);
    const decisions = forms.filter((f) => decisionActions.includes(f.dataset.action));
    const others = forms.filter((f) => !decisionActions.includes(f.dataset.action));
    const review = reviewSection(t, c, decisions);
    if (review) box.append(review);

    const rows = (c.assignments || []).map((a) => el('tr', { class: a.state === 'withdrawn' ? 'withdrawn' : '' },
      el('td', {}, H.unitLabel(a.unit), a.handler ? el('div', { class: 'muted' }, '承办：', H.unitLabel(a.handler)) : ''),
      el('td', {}, a.desk ? '派单中心' : a.lead ? '主办' : '协办'),
      el('td', {}, H.stateNames[a.state] || { withdrawn: '已撤回', replied: '已回复' }[a.state] || a.state),
      clockCell(a.desk ? a.dispatch : a.sign_for,
                c.state === 'closed' || a.state === 'withdrawn' ? '已停止' : a.state !== 'awaiting_sign_for' ? '已签收' : ''),
      clockCell(a.reply, c.state === 'closed' || a.state === 'withdrawn' ? '已停止' : a.state === 'replied' ? '已回复' : '')));
    box.append(el('h3', {}, '办理单位与时限'),
               el('table', { class: 'clocks' }, el('thead', {}, el('tr', {}, ['单位', '角色', '状态', '签收时限', '办结时限']
                                                                    .map((h) => el('th', {}, h)))),
                  el('tbody', {}, rows)));

    if (others.length) box.append(el('h3', {}, '办理'), el('div', { class: 'actions' }, others));

    box.append(el('h3', {}, '办理过程'), el('ol', { class: 'timeline', id: 'timeline' }, (t.events || []).map(timelineItem)));

    // A live event about this ticket shows it again, unless the person is typing in one of its forms, has written
    // something there or has a refusal to read in one: what they wrote, and why it was refused, are never thrown
    // away by a refresh.
    H.onFeed((event) => {
      if (event.ticket !== t.id) return;
      const typing = box.contains(document.activeElement) && document.activeElement.matches('input, textarea, select');
      const written = [...box.querySelectorAll('form.action textarea, form.action input:not([type=checkbox]):not([type=number])')]
        .some((input) => input.value.trim() !== '');
      const refused = [...box.querySelectorAll('form.action .form-error')].some((out) => out.childNodes.length > 0);
      if (typing || written || refused) H.notice('本工单有新动态（' + (eventNames[event.kind] || event.kind) + '），提交后刷新查看。');
      else H.refresh();
    });
  }

  H.views.ticket = { title: '工单详情', roles: ['operator', 'unit', 'supervisor'], nav: false, render };
})();
