// One bubble of the log. Text is always a text node: HTML in a message is shown, never parsed.

import { h, icon } from './dom';
import type { Translate } from './i18n';
import type { Actions, Entry, Model } from './model';
import { callLine } from '../shared/calls';

export function bubble(e: Entry, m: Model, t: Translate, a: Actions, origin: string): HTMLElement {
  const x = e.msg;
  const from = x ? x.from : 'customer';
  const me = from === 'customer';
  // a call's line in the widget's language ("Chamada de vídeo, 4:12"); the stored text otherwise
  const text = x ? (x.call ? callLine(x.call, m.lang) : x.text) : e.pending!.text;
  const el = h('div', { class: `msg${me ? ' me' : ''}${from === 'system' ? ' sys' : ''}${x ? '' : ' pend'}`, 'data-from': from });
  el.dataset.text = text;
  if (me) el.appendChild(h('span', { class: 'sr' }, `${t('you')}: `));
  else if (from !== 'system') el.appendChild(h('div', { class: 'who' }, x?.authorName || (from === 'bot' ? t('bot') : t('agent'))));
  const body = h('div', { class: 'bub' });
  if (x?.replyTo) body.appendChild(h('div', { class: 'quote' }, h('span', { class: 'sr' }, `${t('inReplyTo')}: `), x.replyTo.text || t('earlierMessage')));
  if (text) body.appendChild(document.createTextNode(text));
  for (const file of x?.attachments ?? e.pending?.attachments ?? []) {
    const href = new URL(file.url, `${origin}/`).toString();
    const link = h('a', { class: 'att', href, target: '_blank', rel: 'noopener noreferrer' });
    if (file.type.startsWith('image/')) link.appendChild(h('img', { src: href, alt: t('attachmentLink', { name: file.name }) }));
    else link.append(icon('file', 16), file.name);
    body.appendChild(link);
  }
  el.appendChild(body);
  if (x?.options?.length) {
    el.appendChild(h('div', { class: 'opts', role: 'group', 'aria-label': t('options'), 'data-key': e.key },
      ...x.options.map((o) => h('button', { class: 'opt', type: 'button', onclick: () => a.pick(o.id, o.label) }, o.label))));
  }
  const meta = h('div', { class: 'meta' });
  if (x) meta.textContent = time(x.createdAt, m.lang);
  else meta.append(icon('clock', 12), h('span', null, m.link === 'online' ? t('pending') : t('pendingOffline')));
  el.appendChild(meta);
  return el;
}

function time(iso: string, lang: string): string {
  const d = new Date(iso);
  return isNaN(d.getTime()) ? '' : d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}
