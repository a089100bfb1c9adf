// The forms that come before a conversation: the pre-chat form (no field blocks unless the service
// requires it; CPF, e-mail and phone checked here and again by the server) and "deixe sua mensagem"
// outside business hours.

import type { PrechatField } from '../contracts/webchat';
import { h } from './dom';
import { checkField, type PrechatKind } from './fields';
import type { Translate } from './i18n';
import type { Actions, Model } from './model';

export function buildForm(kind: 'prechat' | 'leave', m: Model, t: Translate, a: Actions): HTMLElement {
  const fields = m.prechatFields;
  const inputs: { f: PrechatField; input: HTMLInputElement; err: HTMLElement }[] = [];
  const rows = fields.map((f) => {
    const id = `mw-f-${f.field}`;
    const err = h('span', { class: 'er', id: `${id}-e` });
    const input = h('input', {
      id,
      name: f.field,
      type: f.field === 'email' ? 'email' : f.field === 'phone' ? 'tel' : 'text',
      inputmode: f.field === 'cpf' ? 'numeric' : null,
      autocomplete: f.field === 'name' ? 'name' : f.field === 'email' ? 'email' : f.field === 'phone' ? 'tel' : 'off',
      maxlength: 200,
      'aria-required': String(f.required),
      'aria-describedby': `${id}-e`,
    });
    input.value = m.prechatValues[f.field] ?? '';
    const serverSaid = m.prechatErrors[f.field];
    if (serverSaid) {
      input.setAttribute('aria-invalid', 'true');
      err.textContent = t(serverSaid);
    }
    inputs.push({ f, input, err });
    input.addEventListener('input', () => clear(input, err));
    return h('div', { class: 'f' }, h('label', { for: id }, t(f.field as PrechatKind), f.required ? null : h('small', null, ` ${t('optional')}`)), input, err);
  });
  let message: HTMLTextAreaElement | null = null;
  let messageErr: HTMLElement | null = null;
  if (kind === 'leave') {
    messageErr = h('span', { class: 'er', id: 'mw-f-msg-e' });
    message = h('textarea', { id: 'mw-f-msg', rows: 4, maxlength: 4096, 'aria-required': 'true', 'aria-describedby': 'mw-f-msg-e' });
    const [box, boxErr] = [message, messageErr];
    message.addEventListener('input', () => clear(box, boxErr));
    rows.push(h('div', { class: 'f' }, h('label', { for: 'mw-f-msg' }, t('message')), message, messageErr));
  }
  const submit = (e: Event) => {
    e.preventDefault();
    const values: Record<string, string> = {};
    let firstBad: HTMLElement | null = null;
    for (const { f, input, err } of inputs) {
      const problem = checkField(f.field, input.value, f.required);
      input.setAttribute('aria-invalid', String(!!problem));
      err.textContent = problem ? t(problem) : '';
      if (problem) firstBad ??= input;
      else if (input.value.trim()) values[f.field] = input.value.trim();
    }
    if (message && messageErr) {
      const empty = !message.value.trim();
      message.setAttribute('aria-invalid', String(empty));
      messageErr.textContent = empty ? t('leaveRequired') : '';
      if (empty) firstBad ??= message;
    }
    if (firstBad) {
      firstBad.focus();
      return;
    }
    if (kind === 'leave') a.leaveMessage(values, message!.value.trim());
    else a.submitPrechat(values);
  };
  const intro = kind === 'leave'
    ? m.config?.closedMessage || t('outside')
    : fields.some((f) => f.required) ? t('prechatIntroRequired') : t('prechatIntro');
  return h('form', { class: 'card', novalidate: true, onsubmit: submit, 'aria-labelledby': 'mw-form-title' },
    h('h3', { id: 'mw-form-title' }, kind === 'leave' ? t('leaveTitle') : t('prechatTitle')),
    h('p', null, intro),
    ...rows,
    h('button', { class: 'btn', type: 'submit' }, kind === 'leave' ? t('leaveSend') : t('start')));
}

/** A field being corrected is no longer marked wrong. */
function clear(input: HTMLElement, err: HTMLElement): void {
  input.removeAttribute('aria-invalid');
  err.textContent = '';
}
