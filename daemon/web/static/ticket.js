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

  // An action form: fields, a button, and the server's answer.
  function actionForm(title, action, id, fields, note) {
    const form = el('form', { class: 'action', 'data-action': action });
    const out = el('p', { class: 'error', role: 'alert' });
    form.append(el('h4', {}, title));
    if (note) form.append(el('p', { class: 'muted' }, note));
    for (const f of fields) form.append(f.node);
    form.append(el('button', { type: 'submit' }, title), out);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = {};
      for (const f of fields) {
        const v = f.value();
        if (v !== undefined && v !== '') body[f.name] = v;
      }
      form.querySelector('button[type=submit]').disabled = true;
      const { status, data } = await H.api('POST', '/v1/tickets/' + encodeURIComponent(id) + '/' + action, body);
      form.querySelector('button[type=submit]').disabled = false;
      if (status === 200) {
        H.notice(title + '成功：' + id + ' 现为「' + (H.stateNames[data.state] || data.state) + '」');
        H.refresh();
      } else {
        out.textContent = H.refusal(status, data);
      }
    });
    return form;
  }

  let fieldSeq = 0;
  function labelled(label, input) {
    const fid = 'f' + ++fieldSeq;
    input.id = fid;
    return el('label', { for: fid, class: 'field' }, el('span', {}, label), input);
  }
  function textField(name, label, multiline, required) {
    const input = multiline ? el('textarea', { rows: 3, required }) : el('input', { required });
    return { name, node: labelled(label, input), value: () => input.value.trim() };
  }
  function selectField(name, label, options) {
    const input = el('select', {}, options.map(([v, t]) => el('option', { value: v }, t)));
    return { name, node: labelled(label, input), value: () => input.value };
  }
  function numberField(name, label, min, max, value) {
    const input = el('input', { type: 'number', min, max, value });
    return { name, node: labelled(label, input), value: () => (input.value === '' ? undefined : Number(input.value)) };
  }
  function checkField(name, label) {
    const input = el('input', { type: 'checkbox' });
    return { name, node: labelled(label, input), value: () => (input.checked ? true : undefined) };
  }
  // A unit chosen from the directory: type part of its name or id, pick from the list.
  function unitField(name, label, parent) {
    const input = el('input', { list: 'units-' + ++fieldSeq, placeholder: '输入单位名称或编码', autocomplete: 'off' });
    const list = el('datalist', { id: input.getAttribute('list') });
    const fill = async () => {
      const text = input.value.trim();
      const q = parent ? '?parent=' + encodeURIComponent(parent) + '&limit=500'
                       : '?limit=50' + (text ? '&q=' + encodeURIComponent(text) : '');
      const { data } = await H.api('GET', '/v1/units' + q);
      list.replaceChildren(...((data && data.items) || []).map((u) => el('option', { value: u.id }, u.name)));
    };
    input.addEventListener('input', H.debounce(fill, 200));
    fill();
    return { name, node: el('div', {}, labelled(label, input), list), value: () => input.value.trim() };
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
        forms.push(actionForm('回复', 'reply', id, [textField('text', '办理结果', true, true),
                                                    textField('basis', '办理依据（可选）', false)]));
      }
      if (c.state === 'in_progress' && mine.length) {
        forms.push(actionForm('转派下级', 'pass_down', id, [unitField('child', '下级单位', me)],
                              '本单位仍对办理结果负责。'));
      }
      if (leadMine && (c.state === 'awaiting_sign_for' || c.state === 'in_progress')) {
        forms.push(actionForm('申请退单', 'request_return', id, [
          selectField('reason_code', '退单类型', [['not_our_duty', '非本单位职责'], ['not_our_territory', '非本辖区']]),
          textField('reason', '退单理由', true, true)]));
      }
      if (leadMine && c.state === 'in_progress') {
        forms.push(actionForm('申请延期', 'request_extension', id, [numberField('working_days', '延期工作日', 1, 30, 5),
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
                              [{ name: 'decision', node: document.createTextNode(''), value: () => 'approve' },
                               unitField('unit', '新的主办单位'), textField('co', '协办单位（可选，逗号分隔）')]));
        forms.push(actionForm('不同意退单', 'review_return', id,
                              [{ name: 'decision', node: document.createTextNode(''), value: () => 'decline' },
                               textField('note', '理由', true, true)]));
      }
      if (c.state === 'extension_requested') {
        forms.push(actionForm('同意延期', 'review_extension', id,
                              [{ name: 'decision', node: document.createTextNode(''), value: () => 'approve' },
                               numberField('working_days', '批准工作日（可少于申请）', 1, 30, '')]));
        forms.push(actionForm('不同意延期', 'review_extension', id,
                              [{ name: 'decision', node: document.createTextNode(''), value: () => 'decline' },
                               textField('note', '理由', true, true)]));
      }
      if (c.state === 'reply_review') {
        forms.push(actionForm('回复审核通过', 'review_reply', id,
                              [{ name: 'decision', node: document.createTextNode(''), value: () => 'approve' }]));
        forms.push(actionForm('退回回复', 'review_reply', id,
                              [{ name: 'decision', node: document.createTextNode(''), value: () => 'reject' },
                               textField('note', '退回理由', true, true)]));
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
                              [unitField('unit', '主办单位'), textField('co', '协办单位（可选，逗号分隔）'),
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
        forms.push(actionForm('仲裁', 'arbitrate', id, [unitField('unit', '裁定的主办单位'),
                                                       textField('note', '仲裁依据', true, true)]));
      }
    }
    return forms;
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
      box.append(el('h2', {}, '工单 ' + id), el('p', { class: 'error', role: 'alert' }, H.refusal(status, data)));
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

    const forms = actionsFor(t, c);
    if (forms.length) box.append(el('h3', {}, '办理'), el('div', { class: 'actions' }, forms));

    box.append(el('h3', {}, '办理过程'), el('ol', { class: 'timeline', id: 'timeline' }, (t.events || []).map(timelineItem)));

    // A live event about this ticket shows it again.
    // A live event about this ticket shows it again, unless the person is typing in one of its forms or has
    // written something there: what they wrote is never thrown away by a refresh.
    H.onFeed((event) => {
      if (event.ticket !== t.id) return;
      const typing = box.contains(document.activeElement) && document.activeElement.matches('input, textarea, select');
      const written = [...box.querySelectorAll('form.action textarea, form.action input:not([type=checkbox]):not([type=number])')]
        .some((input) => input.value.trim() !== '');
      if (typing || written) H.notice('本工单有新动态（' + (eventNames[event.kind] || event.kind) + '），提交后刷新查看。');
      else H.refresh();
    });
  }

  H.views.ticket = { title: '工单详情', roles: ['operator', 'unit', 'supervisor'], nav: false, render };
})();
