// The embeddable WebChat widget. A site adds one tag:
//   <script src="https://HOST/widget.js" data-service="SERVICE_KEY" async></script>
// and the widget talks to HOST (taken from its own src), whatever site it sits on. Optional:
// data-lang="en" (otherwise the page's <html lang>), data-open="true" (opens at once).

import { pickLang } from './i18n';
import { Widget } from './widget';

const mounted = new Map<string, Widget>();

function mount(script: HTMLScriptElement): void {
  const serviceKey = script.dataset.service?.trim();
  if (!serviceKey) {
    console.warn('[Mirante WebChat] the script tag needs data-service="SERVICE_KEY"');
    return;
  }
  if (mounted.has(serviceKey)) return; // the tag pasted twice
  const hostEl = document.createElement('div');
  hostEl.id = `mirante-webchat-${serviceKey}`;
  hostEl.setAttribute('data-mirante-webchat', serviceKey);
  const root = hostEl.attachShadow({ mode: 'open' });
  const widget = new Widget({
    host: new URL(script.src, location.href).origin,
    serviceKey,
    lang: pickLang(script.dataset.lang, document.documentElement.lang),
    root,
    hostEl,
  });
  mounted.set(serviceKey, widget);
  document.body.appendChild(hostEl);
  widget.start();
  if (script.dataset.open === 'true' && !widget.m.open) widget.toggle(true, false);
}

// document.currentScript is set while a classic script (async included) first runs
const self = document.currentScript as HTMLScriptElement | null;
const scripts = self?.dataset.service ? [self] : Array.from(document.querySelectorAll<HTMLScriptElement>('script[data-service][src*="widget"]'));
const run = () => scripts.forEach(mount);
if (document.body) run();
else document.addEventListener('DOMContentLoaded', run, { once: true });

/** For the host page: `MiranteWebchat.open()` from its own "Fale conosco" button. */
export function open(serviceKey?: string): void {
  const w = serviceKey ? mounted.get(serviceKey) : mounted.values().next().value;
  w?.toggle(true);
}

export function close(serviceKey?: string): void {
  const w = serviceKey ? mounted.get(serviceKey) : mounted.values().next().value;
  w?.toggle(false);
}
