// The widget's DOM inside its shadow root: the launcher, and the panel (a dialog) with the header, the
// queue/agent strip, notices, the message log (role=log, announced politely) and the composer. Built
// once; render() updates what changed, and the log grows bubble by bubble so a screen reader announces
// only the new ones.

import { bubble } from './bubble';
import { h, fill, icon } from './dom';
import { buildForm } from './forms';
import type { Translate } from './i18n';
import type { Actions, Entry, FormKind, Model } from './model';
import { CSS } from './styles';

const LIVE = ['bot', 'queued', 'in_service'];

export class View {
  private readonly launcher: HTMLButtonElement;
  private readonly badge: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly title: HTMLElement;
  private readonly sub: HTMLElement;
  private readonly endBtn: HTMLButtonElement;
  private readonly strip: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly formBox: HTMLElement;
  private readonly log: HTMLElement;
  private readonly typingEl: HTMLElement;
  private readonly closedCard: HTMLElement;
  private readonly confirmBox: HTMLElement;
  private readonly confirmNo: HTMLButtonElement;
  private readonly chips: HTMLElement;
  private readonly composer: HTMLElement;
  private readonly textarea: HTMLTextAreaElement;
  private readonly fileInput: HTMLInputElement;
  private readonly clipBtn: HTMLButtonElement;
  private readonly sendBtn: HTMLButtonElement;
  private readonly nodes = new Map<string, HTMLElement>();
  private formKind: FormKind = null;
  private closedKey = '';
  private chipsKey = '';
  private wasOpen = false;

  constructor(
    root: ShadowRoot,
    private readonly host: HTMLElement,
    /** the Mirante server's origin: attachment URLs are relative to it */
    private readonly origin: string,
    private readonly t: Translate,
    private readonly m: Model,
    private readonly a: Actions,
    draft: string,
    /** the call's box (call.ts), under the queue/agent strip */
    callBox: HTMLElement,
  ) {
    // a constructed sheet is not an inline <style>: host pages need no style-src 'unsafe-inline' for it
    let style: HTMLStyleElement | null = null;
    if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      style = h('style');
      style.textContent = CSS;
    }
    this.badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
    this.launcher = h('button', { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'mw-panel', onclick: () => a.toggle(!m.open) }, icon('chat', 30), this.badge);

    this.title = h('h2', { id: 'mw-title' });
    this.sub = h('p', { class: 'sub', id: 'mw-sub' });
    this.endBtn = h('button', { class: 'hb', type: 'button', 'aria-label': t('endLabel'), title: t('endLabel'), onclick: () => a.askEnd() }, t('end'));
    const minimize = h('button', { class: 'x', type: 'button', 'aria-label': t('minimize'), title: t('minimize'), onclick: () => a.toggle(false) }, icon('minimize', 22));
    const header = h('header', null, h('div', { class: 'hd' }, this.title, this.sub), this.endBtn, minimize);

    this.strip = h('div', { class: 'strip', role: 'status', hidden: true });
    this.banner = h('div', { class: 'banner', hidden: true });
    this.formBox = h('div', { class: 'form', hidden: true });
    this.log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t('log'), tabindex: '0' });
    this.typingEl = h('div', { class: 'typing', 'aria-live': 'polite' });
    this.closedCard = h('div', { class: 'card', hidden: true });
    this.confirmNo = h('button', { class: 'btn sec', type: 'button', onclick: () => a.confirmEnd(false) }, t('endNo'));
    this.confirmBox = h('div', { class: 'card', role: 'alertdialog', 'aria-labelledby': 'mw-confirm', hidden: true },
      h('h3', { id: 'mw-confirm' }, t('endConfirm')),
      h('div', { class: 'row' }, h('button', { class: 'btn dng', type: 'button', onclick: () => a.confirmEnd(true) }, t('endYes')), this.confirmNo));

    this.chips = h('div', { class: 'chips', hidden: true });
    this.textarea = h('textarea', { rows: 1, 'aria-label': t('message'), placeholder: t('placeholder'), maxlength: 4096 });
    this.textarea.value = draft;
    this.textarea.addEventListener('input', () => {
      this.autosize();
      a.draftChanged(this.textarea.value);
      if (this.textarea.value) a.typing();
    });
    this.textarea.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.fileInput = h('input', { type: 'file', multiple: true, hidden: true, tabindex: '-1' });
    this.fileInput.addEventListener('change', () => {
      if (this.fileInput.files?.length) a.attach(this.fileInput.files);
      this.fileInput.value = '';
    });
    this.clipBtn = h('button', { class: 'ib', type: 'button', 'aria-label': t('attach'), title: t('attach'), onclick: () => this.fileInput.click() }, icon('clip'));
    this.sendBtn = h('button', { class: 'ib send', type: 'button', 'aria-label': t('send'), title: t('send'), onclick: () => this.submit() }, icon('send'));
    this.composer = h('div', { class: 'composer' }, this.clipBtn, this.textarea, this.sendBtn, this.fileInput);

    const main = h('div', { class: 'main' }, this.formBox, this.log, this.typingEl, this.closedCard, this.confirmBox, this.chips, this.composer);
    this.panel = h('section', { class: 'panel', id: 'mw-panel', role: 'dialog', 'aria-labelledby': 'mw-title', 'aria-describedby': 'mw-sub', hidden: true }, header, this.strip, callBox, this.banner, main);
    this.panel.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      if (m.confirmEnd) a.confirmEnd(false);
      else a.toggle(false);
    });
    root.append(...(style ? [style] : []), this.launcher, this.panel);
  }

  // ---- focus -------------------------------------------------------------------------------------

  focusFirst(): void {
    const input = this.formBox.hidden ? null : this.formBox.querySelector<HTMLElement>('input,textarea,button');
    if (input) input.focus();
    else if (!this.composer.hidden) this.textarea.focus();
    else if (!this.closedCard.hidden) this.closedCard.querySelector<HTMLElement>('button')?.focus();
    else this.log.focus();
  }

  focusInput(): void {
    if (!this.composer.hidden) this.textarea.focus();
  }

  focusLauncher(): void {
    this.launcher.focus();
  }

  focusConfirm(): void {
    this.confirmNo.focus();
  }

  // ---- drawing -----------------------------------------------------------------------------------

  render(): void {
    const { m, t } = this;
    const s = m.state;
    const phase = s.phase;
    // a notice, the closing card or the confirmation takes room from the log: keep its end in view
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 48;
    this.host.toggleAttribute('data-open', m.open);
    this.launcher.setAttribute('aria-expanded', String(m.open));
    this.launcher.setAttribute('aria-label', m.unread ? t('openUnread', { n: m.unread }) : t('open'));
    this.badge.hidden = m.unread === 0;
    this.badge.textContent = m.unread > 9 ? '9+' : String(m.unread);
    this.panel.hidden = !m.open;

    setText(this.title, m.config?.serviceName || t('title'));
    const protocol = 'protocol' in s && s.protocol ? t('protocol', { p: s.protocol }) : '';
    setText(this.sub, protocol || (m.link === 'connecting' && !m.unavailable ? t('connecting') : ''));
    this.endBtn.hidden = !LIVE.includes(phase) || m.confirmEnd;

    let strip = '';
    if (s.phase === 'queued') {
      const wait = s.estimatedWaitSeconds === null ? t('waitUnknown')
        : t('wait', { t: s.estimatedWaitSeconds < 60 ? t('lessThanMinute') : t('minutes', { n: Math.ceil(s.estimatedWaitSeconds / 60) }) });
      strip = `${t('queued', { n: s.position })} · ${wait}`;
    } else if (s.phase === 'in_service') {
      strip = t('inService', { name: s.agentName });
    }
    this.strip.hidden = !strip;
    setText(this.strip, strip);

    this.renderBanner();
    this.renderForm();

    const closed = phase === 'closed' || phase === 'left_message';
    this.log.hidden = m.form !== null;
    this.typingEl.hidden = m.form !== null;
    setText(this.typingEl, m.typingName && phase === 'in_service' ? t('typing', { name: m.typingName }) : '');
    this.renderClosed(closed);
    this.confirmBox.hidden = !m.confirmEnd;
    const write = m.canWrite && !m.confirmEnd;
    this.composer.hidden = !write;
    this.clipBtn.hidden = !m.config || m.config.attachmentTypes.length === 0;
    this.fileInput.accept = m.config?.attachmentTypes.join(',') ?? '';
    this.renderChips(write);
    this.sendBtn.disabled = m.drafts.some((d) => !d.attachment);

    for (const group of this.log.querySelectorAll<HTMLElement>('.opts')) {
      const active = group.dataset.key === m.activeOptionsKey;
      for (const b of group.querySelectorAll('button')) b.disabled = !active;
    }
    const waiting = m.link === 'online' ? t('pending') : t('pendingOffline');
    for (const el of this.log.querySelectorAll('.pend .meta span')) setText(el, waiting);

    if ((m.open && !this.wasOpen) || atBottom) this.scrollDown();
    this.wasOpen = m.open;
  }

  private renderBanner(): void {
    const { m, t } = this;
    const c = m.config;
    let text = '';
    let error = false;
    if (m.notice) ({ text, error } = m.notice);
    else if (m.unavailable) text = '';
    else if (m.link === 'offline') text = t('offline');
    else if (c && !c.open && m.form !== 'leave' && ['idle', 'bot', 'queued'].includes(m.state.phase)) text = c.closedMessage || t('outside');
    this.banner.hidden = !text;
    this.banner.className = error ? 'banner err' : 'banner';
    // errors interrupt; the rest is read when the reader gets there
    this.banner.setAttribute('role', error ? 'alert' : 'status');
    setText(this.banner, text);
  }

  private renderForm(): void {
    const kind = this.m.form;
    this.formBox.hidden = kind === null;
    if (kind === this.formKind) return;
    this.formKind = kind;
    if (kind === null) fill(this.formBox);
    else if (kind === 'unavailable') {
      fill(this.formBox, h('div', { class: 'card center', role: 'status' }, icon('alert', 36), h('h3', null, this.t('unavailableTitle')), h('p', null, this.t('unavailableText'))));
    } else fill(this.formBox, buildForm(kind, this.m, this.t, this.a));
  }

  private renderClosed(closed: boolean): void {
    const { m, t } = this;
    const s = m.state;
    this.closedCard.hidden = !closed;
    const key = closed ? JSON.stringify(s) : '';
    if (key === this.closedKey) return;
    this.closedKey = key;
    if (s.phase === 'closed') {
      fill(this.closedCard,
        h('h3', null, t('closedTitle')),
        h('p', { 'data-testid': 'closing-message' }, s.message || t('closedDefault')),
        s.protocol && !s.message?.includes(s.protocol) ? h('p', null, h('strong', null, t('protocol', { p: s.protocol }))) : null,
        h('button', { class: 'btn', type: 'button', onclick: () => this.a.newChat() }, t('newChat')));
    } else if (s.phase === 'left_message') {
      fill(this.closedCard, h('h3', null, t('leftTitle')), h('p', null, t('leftText')), h('p', null, h('strong', null, t('protocol', { p: s.protocol }))));
    } else fill(this.closedCard);
  }

  private renderChips(show: boolean): void {
    const drafts = this.m.drafts;
    this.chips.hidden = !show || drafts.length === 0;
    const key = drafts.map((d) => `${d.id}:${d.attachment ? 1 : 0}`).join();
    if (key === this.chipsKey) return;
    this.chipsKey = key;
    fill(this.chips, ...drafts.map((d) =>
      h('div', { class: 'chip' },
        icon('file', 14),
        h('span', null, d.attachment ? d.name : `${d.name} (${this.t('uploading')})`),
        h('button', { type: 'button', 'aria-label': this.t('removeAttachment', { name: d.name }), onclick: () => this.a.removeDraft(d.id) }, icon('x', 14)))));
  }

  // ---- the log -----------------------------------------------------------------------------------

  private submit(): void {
    if (this.a.send(this.textarea.value)) {
      this.textarea.value = '';
      this.a.draftChanged('');
      this.autosize();
    }
  }

  private autosize(): void {
    this.textarea.style.height = 'auto';
    this.textarea.style.height = `${Math.min(this.textarea.scrollHeight + 2, 120)}px`;
  }

  private scrollDown(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  clearLog(): void {
    this.nodes.clear();
    fill(this.log);
  }

  /**
   * Adds or updates a bubble. `beforeKey`: where it goes (null: at the end); undefined: it stays where
   * it is.
   */
  upsertEntry(e: Entry, beforeKey: string | null | undefined): void {
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 48;
    const node = bubble(e, this.m, this.t, this.a, this.origin);
    let el = this.nodes.get(e.key);
    if (el && el.dataset.text === node.dataset.text) {
      // the same message, now acknowledged: swap the details only, so it is not announced twice
      el.className = node.className;
      el.replaceChildren(...node.childNodes);
    } else if (el) {
      el.replaceWith(node);
      el = node;
    } else el = node;
    this.nodes.set(e.key, el);
    if (beforeKey !== undefined) {
      const before = beforeKey ? this.nodes.get(beforeKey) : undefined;
      if (before && before !== el) this.log.insertBefore(el, before);
      else if (!before) this.log.appendChild(el);
    }
    if (atBottom || e.pending) {
      this.scrollDown();
      // an image grows the bubble when it loads, after this scroll: follow it to the end then
      for (const img of el.querySelectorAll('img')) {
        if (img.complete) continue;
        img.addEventListener('load', () => {
          // unless the visitor scrolled up meanwhile (more than the image's own height from the end)
          if (this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 48 + img.offsetHeight) this.scrollDown();
        }, { once: true });
      }
    }
  }
}

function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
