// The checks every screen must pass (issue 22), in one helper a browser test calls per screen:
// it fits at 1366×768, 1920×1080 and 390×844 (no horizontal overflow of the page or of a card, no
// text clipped by a container that hides its overflow, every open modal inside the viewport), it
// has a level-one heading, and axe-core finds no serious or critical violation. The viewports are
// taken on the page as it is, by resizing (no reload), so a screen costs one page load.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';

export const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
  { width: 390, height: 844 },
] as const;

export interface ScreenCheckOptions {
  /** viewports to take (all three by default); the first is the one axe runs at */
  viewports?: readonly { width: number; height: number }[];
  /** skip the level-one heading check (a modal's screen, the widget) */
  noHeading?: boolean;
  /** save a screenshot of these viewports' widths (only what someone looks at) */
  screenshotAt?: number[];
  /** CSS selectors of elements whose clipping is intended (a name cut with an ellipsis and a tooltip) */
  allowClipped?: string[];
  /** the viewport to leave the page at (the first one by default) */
  restore?: { width: number; height: number };
}

export interface Problem {
  viewport: string;
  kind: 'page-overflow' | 'card-overflow' | 'clipped-text' | 'modal-outside' | 'no-h1' | 'axe';
  detail: string;
}

// what counts as a card: Mantine's cards and papers, modals' content and drawers, and anything
// that says so (data-check-overflow)
const CARD_SELECTOR = '.mantine-Card-root, .mantine-Paper-root, .mantine-Modal-content, .mantine-Drawer-content, [data-check-overflow]';

/** Runs in the page: the layout problems at the current viewport. */
function measure({ cardSelector, allowClipped }: { cardSelector: string; allowClipped: string[] }) {
  const out: { kind: string; detail: string }[] = [];
  const describe = (el: Element) => {
    const id = el.getAttribute('data-testid');
    const cls = [...el.classList].filter((c) => c.startsWith('mantine-') || c.length < 24).slice(0, 2).join('.');
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 50);
    return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''}${cls ? `.${cls}` : ''} "${text}"`;
  };
  const visible = (el: Element) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none';
  };
  const scrolls = (s: CSSStyleDeclaration) => s.overflowX === 'auto' || s.overflowX === 'scroll';
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    // name the widest offender, so the failure says where to look
    let widest: Element | null = null;
    let right = doc.clientWidth;
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > right + 1 && visible(el)) {
        right = r.right;
        widest = el;
      }
    }
    out.push({ kind: 'page-overflow', detail: `page ${doc.scrollWidth} > ${doc.clientWidth}${widest ? `; widest: ${describe(widest)} ends at ${Math.round(right)}` : ''}` });
  }
  for (const card of document.querySelectorAll(cardSelector)) {
    if (!visible(card)) continue;
    const s = getComputedStyle(card);
    if (scrolls(s)) continue; // a card that scrolls sideways on purpose
    if (card.scrollWidth > card.clientWidth + 1) out.push({ kind: 'card-overflow', detail: `${describe(card)}: ${card.scrollWidth} > ${card.clientWidth}` });
  }
  // text clipped: an element holding text, in a box that hides its overflow, with more than it shows
  const allowed = (el: Element) => allowClipped.some((sel) => el.closest(sel));
  for (const el of document.body.querySelectorAll('*')) {
    const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim());
    if (!hasText || !visible(el)) continue;
    const s = getComputedStyle(el);
    const hides = (o: string) => o === 'hidden' || o === 'clip';
    const ellipsis = s.textOverflow === 'ellipsis';
    // an ellipsis with the full text in a title or tooltip is a choice; a line clamp shows "…" too
    if (ellipsis && (el.closest('[title]') || el.closest('[data-full-text]'))) continue;
    if (s.webkitLineClamp && s.webkitLineClamp !== 'none') continue;
    if (allowed(el)) continue;
    if (el.clientWidth <= 1 && el.clientHeight <= 1) continue; // visually hidden on purpose (for screen readers)
    if (hides(s.overflowX) && el.scrollWidth > el.clientWidth + 1) out.push({ kind: 'clipped-text', detail: `${describe(el)}: ${el.scrollWidth} > ${el.clientWidth} wide` });
    else if (hides(s.overflowY) && el.scrollHeight > el.clientHeight + 2 && s.whiteSpace !== 'nowrap') out.push({ kind: 'clipped-text', detail: `${describe(el)}: ${el.scrollHeight} > ${el.clientHeight} high` });
  }
  // an open modal fits the viewport (it scrolls inside), and its controls are not cut by a box
  // that hides its overflow (they can be scrolled to)
  for (const modal of document.querySelectorAll('.mantine-Modal-content, .mantine-Drawer-content')) {
    if (!visible(modal)) continue;
    const r = modal.getBoundingClientRect();
    if (r.bottom > window.innerHeight + 1 || r.top < -1 || r.right > window.innerWidth + 1 || r.left < -1) {
      out.push({ kind: 'modal-outside', detail: `${describe(modal)} at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} in ${window.innerWidth}×${window.innerHeight}` });
    }
    for (const c of modal.querySelectorAll('button, textarea, input:not([type=hidden]), select, a[href]')) {
      if (!visible(c)) continue;
      const cr = c.getBoundingClientRect();
      for (let p = c.parentElement; p && p !== modal.parentElement; p = p.parentElement) {
        const ps = getComputedStyle(p);
        if (!(ps.overflowY === 'hidden' || ps.overflowY === 'clip' || ps.overflowX === 'hidden' || ps.overflowX === 'clip')) continue;
        const pr = p.getBoundingClientRect();
        if (cr.bottom > pr.bottom + 1 || cr.right > pr.right + 1) {
          out.push({ kind: 'modal-outside', detail: `${describe(c)} cut by ${describe(p)} (${Math.round(cr.bottom)} > ${Math.round(pr.bottom)})` });
          break;
        }
      }
    }
  }
  return out;
}

/** Waits two frames (a resize has been laid out and painted) and for ECharts-style debounced resizes. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
  await page.waitForTimeout(150);
  // a drawer sliding in or a modal fading is measured where it ends (endless animations never end)
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), undefined, { timeout: 2000 })
    .catch(() => undefined);
}

/** The layout problems of the screen on `page` at one viewport. */
export async function layoutProblems(page: Page, allowClipped: string[] = []): Promise<Omit<Problem, 'viewport'>[]> {
  const found = await page.evaluate(measure, { cardSelector: CARD_SELECTOR, allowClipped });
  return found as Omit<Problem, 'viewport'>[];
}

/** axe-core's serious and critical violations on the page as it is. */
export async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n').slice(1, 2).join('').trim()})` : ''}`).join('; ')}${v.nodes.length > 4 ? ` … ${v.nodes.length} in all` : ''}`);
}

/**
 * Checks the screen on `page` (in whatever language it shows) at each viewport and runs axe at the
 * first; returns every problem found, named by screen and viewport, so a test asserts `toEqual([])`
 * and reads the whole list when it fails.
 */
export async function checkScreen(page: Page, name: string, opts: ScreenCheckOptions = {}): Promise<string[]> {
  const viewports = opts.viewports ?? VIEWPORTS;
  const lang = await page.evaluate(() => document.documentElement.lang || navigator.language);
  const problems: string[] = [];
  for (const [i, vp] of viewports.entries()) {
    await page.setViewportSize(vp);
    await settle(page);
    const at = `${name} [${lang}] ${vp.width}×${vp.height}`;
    for (const p of await layoutProblems(page, opts.allowClipped)) problems.push(`${at} ${p.kind}: ${p.detail}`);
    if (i === 0) {
      if (!opts.noHeading && (await page.locator('h1').count()) === 0) problems.push(`${at} no-h1: the screen has no level-one heading`);
      for (const v of await axeProblems(page)) problems.push(`${at} axe ${v}`);
    }
    if (opts.screenshotAt?.includes(vp.width)) await screenshot(page, `${name}-${lang}-${vp.width}`, { fullPage: false });
  }
  await page.setViewportSize(opts.restore ?? viewports[0]);
  await settle(page);
  return problems;
}
