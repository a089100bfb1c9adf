import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { checkScreen } from '../support/screen-check.js';
import { Client, createService, createTeam, createUser } from '../support/test-app.js';

// Calls inside WebChat (issue 19), end to end: an agent at the desk and a customer in the widget, in
// two browser contexts, on Chromium's fake camera and microphone. The media really flows (each side's
// RTCPeerConnection.getStats() counts bytes received); every ending is told in words on both sides and
// stored on the call's record, read back through the API.

/** Chromium's fake devices, and no permission prompt (granted). */
const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

/** Every RTCPeerConnection the page makes, kept for getStats(). */
const KEEP_PEERS = () => {
  const Native = window.RTCPeerConnection;
  const kept: RTCPeerConnection[] = [];
  (window as unknown as { __peers: RTCPeerConnection[] }).__peers = kept;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      kept.push(this);
    }
  } as typeof RTCPeerConnection;
};

/** Every oscillator a page makes (the tones are oscillators), and whether it was switched off. */
const SPY_TONES = () => {
  const made: OscillatorNode[] = [];
  (window as unknown as { __oscillators: OscillatorNode[] }).__oscillators = made;
  const create = BaseAudioContext.prototype.createOscillator;
  BaseAudioContext.prototype.createOscillator = function (this: BaseAudioContext) {
    const o = create.call(this);
    made.push(o);
    return o;
  };
  const disconnect = AudioNode.prototype.disconnect as (this: AudioNode, ...a: unknown[]) => void;
  AudioNode.prototype.disconnect = function (this: AudioNode & { __off?: boolean }, ...a: unknown[]) {
    this.__off = true;
    return disconnect.apply(this, a);
  } as typeof AudioNode.prototype.disconnect;
};

/** How many 425 Hz tones (ring, ringback) the page has sounding now. */
function tones425(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __oscillators: (OscillatorNode & { __off?: boolean })[] }).__oscillators.filter((o) => o.frequency.value === 425 && !o.__off).length);
}

/**
 * A browser that holds sound back until the page is touched (its autoplay policy), made to order:
 * every AudioContext reads 'suspended' and resume() does nothing until window.__audioAllowed.
 */
const HOLD_AUDIO = () => {
  const w = window as unknown as { __audioAllowed: boolean };
  w.__audioAllowed = false;
  const Native = window.AudioContext;
  window.AudioContext = class extends Native {
    /** what this browser would do before a touch: the context made suspended */
    held = true;
    override get state(): AudioContextState {
      return this.held ? 'suspended' : super.state;
    }
    override resume(): Promise<void> {
      if (!w.__audioAllowed || !this.held) return super.resume();
      this.held = false;
      return super.resume().then(() => {
        this.dispatchEvent(new Event('statechange'));
      });
    }
  } as typeof AudioContext;
};

/** The Notifications API as a recorder: permission granted, each notification kept (title, options, closed). */
const RECORD_NOTIFICATIONS = () => {
  const shown: { title: string; body?: string; tag?: string; closed: boolean; onclick: (() => void) | null }[] = [];
  (window as unknown as { __notifications: typeof shown }).__notifications = shown;
  class Recorded {
    static permission = 'granted';
    static requestPermission = () => Promise.resolve('granted');
    readonly kept: (typeof shown)[number];
    constructor(title: string, opts: { body?: string; tag?: string } = {}) {
      this.kept = { title, body: opts.body, tag: opts.tag, closed: false, onclick: null };
      shown.push(this.kept);
    }
    get onclick() {
      return this.kept.onclick;
    }
    set onclick(f: (() => void) | null) {
      this.kept.onclick = f;
    }
    close() {
      this.kept.closed = true;
    }
  }
  (window as unknown as { Notification: unknown }).Notification = Recorded;
};

/** The page as if its tab were in the background (hidden, not focused), or back in front. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    if (h) {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(document, 'hasFocus', { configurable: true, value: () => false });
    } else {
      for (const k of ['visibilityState', 'hidden', 'hasFocus']) delete (document as unknown as Record<string, unknown>)[k];
    }
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event(h ? 'blur' : 'focus'));
  }, hidden);
}

/** Bytes received by kind over the page's last peer connection. */
async function inboundBytes(page: Page): Promise<{ audio: number; video: number }> {
  return page.evaluate(async () => {
    const peers = (window as unknown as { __peers: RTCPeerConnection[] }).__peers;
    const pc = peers[peers.length - 1];
    const out = { audio: 0, video: 0 };
    if (!pc) return out;
    (await pc.getStats()).forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
      if (r.type === 'inbound-rtp' && (r.kind === 'audio' || r.kind === 'video')) out[r.kind] += r.bytesReceived ?? 0;
    });
    return out;
  });
}

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await f();
  while (!ok(v)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
    v = await f();
  }
  return v;
}

describeBrowser('Calls in WebChat (WebRTC)', () => {
  let server: WebServer;
  let browser: Browser;
  /** no --use-fake-ui-for-media-stream and nothing granted: getUserMedia is refused */
  let refusing: Browser;
  let admin: Client;
  let agent: { email: string; password: string; name: string };
  let service: { id: string; key: string };
  let desk: { context: BrowserContext; page: Page; errors: string[] };
  /** a supervisor on Início → Agentes */
  let monitor: Page;
  const customers: BrowserContext[] = [];

  const widget = (page: Page): Locator => page.locator('[data-mirante-webchat]');
  const box = (page: Page) => widget(page).getByTestId('widget-call');
  const panel = () => desk.page.getByTestId('call-panel');
  /** the widget's call box once the call is answered and the media connected */
  const live = (page: Page) => widget(page).locator('[data-testid="widget-call"][data-state="active"][data-connected="true"]');

  /** A customer opens the widget and writes; the conversation reaches the agent, who opens it. */
  async function newConversation(b: Browser = browser, init?: () => void): Promise<{ page: Page; conversationId: string; errors: string[]; protocol: string }> {
    const c = await newPage(b);
    customers.push(c.context);
    await c.context.addInitScript(KEEP_PEERS);
    await c.context.addInitScript(SPY_TONES);
    if (init) await c.context.addInitScript(init);
    await c.page.goto(`${server.url}/webchat/demo?service=${service.key}`);
    const w = widget(c.page);
    await w.getByRole('button', { name: 'Abrir chat de atendimento' }).click();
    const input = w.getByRole('textbox', { name: 'Mensagem' });
    await input.fill('Olá, podemos falar por chamada?');
    await input.press('Enter');
    await w.getByRole('status').getByText('Em atendimento com Ana Beatriz Souza').waitFor();
    const protocol = (await w.locator('#mw-sub').textContent())!.replace('Protocolo ', '');
    const conversationId = (await admin.get(`/api/conversations?protocol=${protocol}`)).body.items[0].id as string;
    await desk.page.locator(`[data-testid="desk-conversation"][data-conversation-id="${conversationId}"]`).click();
    await expect(desk.page.getByTestId('desk-protocol').textContent()).resolves.toBe(protocol);
    return { page: c.page, conversationId, errors: c.errors, protocol };
  }

  /** The conversation's call records, from the history's call lines (GET /api/conversations/:id). */
  async function callsOf(conversationId: string): Promise<any[]> {
    const r = await admin.get(`/api/conversations/${conversationId}`);
    expect(r.status).toBe(200);
    return (r.body.messages as any[]).filter((m) => m.contentType === 'call').map((m) => m.payload.call);
  }

  async function connected(page: Page, kind: 'audio' | 'video') {
    return until(() => inboundBytes(page), (b) => b[kind] > 0, `${kind} bytes received`);
  }

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { maxChat: 10 });
    agent = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    service = await createService(admin, { name: 'Central de Atendimento', channel: 'webchat', teamIds: [team.id], customerCalls: true });

    browser = await launchBrowser({ args: FAKE_MEDIA });
    refusing = await launchBrowser({ args: ['--use-fake-device-for-media-stream'] });
    desk = await newPage(browser);
    await desk.context.addInitScript(KEEP_PEERS);
    await desk.context.addInitScript(SPY_TONES);
    await desk.context.addInitScript(RECORD_NOTIFICATIONS);
    await desk.page.goto(server.url);
    await signIn(desk.page, agent.email, agent.password);
    await desk.page.getByRole('link', { name: 'Atendimento' }).click();
    await desk.page.waitForURL(/\/desk$/);
    await desk.page.getByRole('button', { name: 'Entrar', exact: true }).click();

    ({ page: monitor } = await newPage(browser));
    await monitor.goto(server.url);
    await signIn(monitor, server.admin.email, server.admin.password);
    // signed in (the menu is there) before going to Início → Agentes
    await monitor.getByRole('link', { name: 'Início' }).waitFor();
    await monitor.goto(`${server.url}/monitor?tab=agents`);
  });
  // a test that failed mid-call leaves the desk free for the next one
  afterEach(async () => {
    const hangup = desk.page.getByTestId('call-hangup');
    if (await hangup.isVisible()) await hangup.click();
  });
  afterAll(async () => {
    for (const c of customers) await c.close().catch(() => undefined);
    await browser?.close();
    await refusing?.close();
    await server?.close();
  });

  it('the agent calls (audio), the customer answers: sound flows both ways, the customer hangs up, the seconds are stored', async () => {
    const customer = await newConversation();
    await desk.page.getByTestId('call-start-audio').click();
    await panel().getByText('Chamando').waitFor();
    // the widget rings: Atender / Recusar; the agent hears the ringback meanwhile
    await box(customer.page).getByText('O atendente está chamando: chamada de áudio').waitFor();
    await expect(panel().getAttribute('data-tone')).resolves.toBe('ringback');
    await expect(box(customer.page).getAttribute('data-tone')).resolves.toBe('ring');
    await expect(tones425(desk.page)).resolves.toBe(1);
    await expect(tones425(customer.page)).resolves.toBe(1);
    await box(customer.page).getByRole('button', { name: 'Atender' }).click();
    await desk.page.locator('[data-testid="call-panel"][data-connected="true"]').waitFor();
    // answered: both tones stop
    await expect(panel().getAttribute('data-tone')).resolves.toBe('none');
    await expect(box(customer.page).getAttribute('data-tone')).resolves.toBe('none');
    await expect(tones425(desk.page)).resolves.toBe(0);
    await expect(tones425(customer.page)).resolves.toBe(0);
    const answered = Date.now();
    await live(customer.page).waitFor();
    await connected(desk.page, 'audio');
    await connected(customer.page, 'audio');
    await panel().getByText('Em chamada de áudio').waitFor();
    await box(customer.page).getByText('Em chamada de áudio').waitFor();
    await desk.page.getByTestId('call-timer').getByText(/^0:0[1-9]$/).waitFor();
    // the supervisor's Agentes tile: "Em chamada"
    const tile = monitor.locator('[data-testid="agent-tile"][data-agent="Ana Beatriz Souza"]');
    // (the monitor's first load on two busy cores may take longer than a click's wait)
    await tile.getByTestId('tile-in-call').getByText('Em chamada').waitFor({ timeout: 30_000 });
    await screenshot(monitor, 'monitor-agent-in-call');
    await screenshot(desk.page, 'desk-call-audio');
    await customer.page.waitForTimeout(2500);

    // mute on the desk: the switch shows it
    await desk.page.getByTestId('call-mute').click();
    await expect(desk.page.getByTestId('call-mute').getAttribute('aria-pressed')).resolves.toBe('true');

    await box(customer.page).getByRole('button', { name: 'Encerrar chamada' }).click();
    const ended = Date.now();
    await desk.page.getByTestId('call-outcome').getByText('O cliente encerrou a chamada.').waitFor();
    await panel().waitFor({ state: 'detached' });
    await tile.getByTestId('tile-in-call').waitFor({ state: 'detached', timeout: 30_000 });
    // the history's line, in the desk's language
    await desk.page.getByTestId('desk-call-line').filter({ hasText: /^Chamada de áudio, 0:0\d/ }).waitFor();

    const [call] = await until(() => callsOf(customer.conversationId), (l) => l.length === 1, 'the call line');
    expect(call).toMatchObject({ kind: 'audio', state: 'ended', caller: 'agent', endedBy: 'customer', failure: null, videoSeconds: 0 });
    // stored seconds: the record's own answered → ended, and what this test saw, within a second or two
    const span = (Date.parse(call.endedAt) - Date.parse(call.answeredAt)) / 1000;
    expect(Math.abs(call.audioSeconds - span)).toBeLessThanOrEqual(1);
    expect(Math.abs(call.audioSeconds - (ended - answered) / 1000)).toBeLessThanOrEqual(2);
    expect(customer.errors).toEqual([]);
  });

  it('the customer asks for a video call, the agent answers: pictures both ways, picture-in-picture, switch to audio, the agent hangs up', async () => {
    const customer = await newConversation();
    const w = box(customer.page);
    await w.getByRole('button', { name: 'Ligar (vídeo)' }).click();
    // the desk rings: Atender / Recusar
    await panel().getByText(/está chamando: chamada de vídeo/).waitFor();
    await expect(panel().getAttribute('data-tone')).resolves.toBe('ring');
    await expect(w.getAttribute('data-tone')).resolves.toBe('ringback');
    await expect(tones425(customer.page)).resolves.toBe(1);
    // the desk is in front: no notification, no flashing title
    await expect(desk.page.evaluate(() => (window as unknown as { __notifications: unknown[] }).__notifications.length)).resolves.toBe(0);
    expect(await desk.page.title()).not.toMatch(/📞/);
    await desk.page.getByTestId('call-accept').click();
    await desk.page.locator('[data-testid="call-panel"][data-connected="true"]').waitFor();
    await live(customer.page).waitFor();
    const answered = Date.now();
    await expect(tones425(customer.page)).resolves.toBe(0);
    await expect(w.getAttribute('data-tone')).resolves.toBe('none');
    await connected(desk.page, 'video');
    await connected(customer.page, 'video');
    await connected(desk.page, 'audio');
    await connected(customer.page, 'audio');
    // the remote picture draws (frames decoded), one's own in the corner
    await until(() => desk.page.getByTestId('call-remote-video').evaluate((v: HTMLVideoElement) => v.videoWidth), (n) => n > 0, 'the customer picture on the desk');
    await until(() => w.locator('video.rv').evaluate((v: HTMLVideoElement) => v.videoWidth), (n) => n > 0, 'the agent picture in the widget');
    const remote = (await desk.page.getByTestId('call-remote-video').boundingBox())!;
    const own = (await desk.page.getByTestId('call-local-video').boundingBox())!;
    expect(own.width).toBeLessThan(remote.width / 2);
    expect(own.x + own.width).toBeLessThanOrEqual(remote.x + remote.width + 1);
    expect(own.y + own.height).toBeLessThanOrEqual(remote.y + remote.height + 1);
    await screenshot(desk.page, 'desk-call-video');
    await screenshot(customer.page, 'webchat-call-video');

    // the desk with a call open passes the screens' checks
    const problems = await checkScreen(desk.page, 'desk-call-video');
    expect(problems).toEqual([]);

    await customer.page.waitForTimeout(1500);
    await desk.page.getByTestId('call-switch').click();
    await panel().getByText('Em chamada de áudio').waitFor();
    await w.getByText('Em chamada de áudio').waitFor();
    await customer.page.waitForTimeout(1500);
    await desk.page.getByTestId('call-hangup').click();
    const ended = Date.now();
    await w.getByText('O atendente encerrou a chamada.').waitFor();

    const [call] = await until(() => callsOf(customer.conversationId), (l) => l.length === 1, 'the call line');
    expect(call).toMatchObject({ kind: 'video', state: 'ended', caller: 'customer', endedBy: 'agent' });
    expect(call.videoSeconds).toBeGreaterThan(0);
    expect(call.audioSeconds).toBeGreaterThan(0);
    const total = call.audioSeconds + call.videoSeconds;
    expect(Math.abs(total - (Date.parse(call.endedAt) - Date.parse(call.answeredAt)) / 1000)).toBeLessThanOrEqual(1);
    expect(Math.abs(total - (ended - answered) / 1000)).toBeLessThanOrEqual(2);
    await widget(customer.page).getByRole('log').getByText(/^Chamada de vídeo, \d+:\d\d$/).waitFor();
  });

  it('a declined call and a missed one are told on both sides and stored as such', async () => {
    const customer = await newConversation();
    const w = box(customer.page);
    await desk.page.getByTestId('call-start-video').click();
    await w.getByRole('button', { name: 'Recusar' }).click();
    await desk.page.getByTestId('call-outcome').getByText('O cliente recusou a chamada.').waitFor();
    await w.getByText('Você recusou a chamada.').waitFor();
    await expect(tones425(desk.page)).resolves.toBe(0);
    await expect(tones425(customer.page)).resolves.toBe(0);

    // rings until the ring timer fires: the timer is brought forward, as if CALL_RING_SECONDS had passed
    await desk.page.getByTestId('call-outcome').getByRole('button').click();
    await desk.page.getByTestId('call-start-audio').click();
    await w.getByText('O atendente está chamando: chamada de áudio').waitFor();
    await server.db.query(`UPDATE timers SET due_at = now() - interval '1 second' WHERE kind = 'call_ring' AND conversation_id = $1`, [customer.conversationId]);
    await server.runtime.scheduler.tick();
    await desk.page.getByTestId('call-outcome').getByText('O cliente não atendeu a chamada.').waitFor();
    await w.getByText('Chamada perdida: o atendente ligou para você.').waitFor();
    await expect(tones425(desk.page)).resolves.toBe(0);
    await expect(tones425(customer.page)).resolves.toBe(0);

    const calls = await until(() => callsOf(customer.conversationId), (l) => l.length === 2, 'two call lines');
    expect(calls.map((c) => [c.kind, c.state, c.endedBy, c.answeredAt, c.audioSeconds + c.videoSeconds])).toEqual([
      ['video', 'declined', 'customer', null, 0],
      ['audio', 'missed', 'system', null, 0],
    ]);
  });

  it('the customer refuses the camera: both sides say why, the call is recorded failed', async () => {
    const customer = await newConversation(refusing);
    const w = box(customer.page);
    await desk.page.getByTestId('call-start-video').click();
    await w.getByRole('button', { name: 'Atender' }).click();
    await w.getByText(/Você não permitiu o uso do microfone ou da câmera/).waitFor();
    await desk.page.getByTestId('call-outcome').getByText('A chamada não pôde continuar: o cliente não permitiu o uso do microfone ou da câmera.').waitFor();
    const [call] = await until(() => callsOf(customer.conversationId), (l) => l.length === 1, 'the call line');
    expect(call).toMatchObject({ state: 'failed', failure: 'permission_denied', endedBy: 'customer', answeredAt: null, audioSeconds: 0, videoSeconds: 0 });
    expect(desk.errors).toEqual([]);
  });

  it('a customer calls while the desk is in the background: a notification that opens the conversation, the title flashing until answered', async () => {
    const caller = await newConversation();
    // the agent is on another conversation, and then away from the tab
    await newConversation();
    const notes = () => desk.page.evaluate(() => (window as unknown as { __notifications: { title: string; body?: string; tag?: string; closed: boolean }[] }).__notifications.map(({ title, body, tag, closed }) => ({ title, body, tag, closed })));
    const before = (await notes()).length;
    const base = await desk.page.title();
    await setHidden(desk.page, true);
    try {
      await box(caller.page).getByRole('button', { name: 'Ligar (áudio)' }).click();
      const [note] = (await until(notes, (l) => l.length === before + 1, 'the call notification')).slice(before);
      const name: string = (await admin.get(`/api/conversations/${caller.conversationId}`)).body.conversation.contactName || 'Cliente sem nome';
      expect(note).toMatchObject({ title: `${name} está chamando: chamada de áudio`, body: 'Clique para abrir o atendimento e atender.', closed: false });
      expect(note.tag).toMatch(/^mirante-call-/);
      // the title alternates between the call and the page's own title
      await until(() => desk.page.title(), (t) => t === `📞 Chamada de ${name}`, 'the flashing title');
      await until(() => desk.page.title(), (t) => t === base, 'the title back between flashes');
      await until(() => desk.page.title(), (t) => t === `📞 Chamada de ${name}`, 'the flashing title again');
      await expect(desk.page.getByTestId('call-incoming').getAttribute('data-tone')).resolves.toBe('ring');

      // a click on the notification: the conversation that rings is opened
      await desk.page.evaluate(() => {
        const n = (window as unknown as { __notifications: { onclick: (() => void) | null }[] }).__notifications.at(-1)!;
        n.onclick?.();
      });
      await expect(desk.page.getByTestId('desk-protocol').textContent()).resolves.toBe(caller.protocol);
      expect((await notes()).at(-1)!.closed).toBe(true);
    } finally {
      await setHidden(desk.page, false);
    }
    // back in front: the title stops flashing
    await until(() => desk.page.title(), (t) => !t.includes('📞'), 'the title back');
    await desk.page.getByTestId('call-accept').click();
    await desk.page.locator('[data-testid="call-panel"][data-connected="true"]').waitFor();
    await expect(panel().getAttribute('data-tone')).resolves.toBe('none');
    expect(await desk.page.title()).not.toMatch(/📞/);
    await desk.page.getByTestId('call-hangup').click();
    await box(caller.page).getByText('O atendente encerrou a chamada.').waitFor();
  });

  it('the widget on a page nobody touched: the ring is shown ("toque para ouvir") and sounds after the first touch; a hidden host page flashes its title', async () => {
    const customer = await newConversation(browser, HOLD_AUDIO);
    const w = box(customer.page);
    const hostTitle = await customer.page.title();
    await setHidden(customer.page, true);
    await desk.page.getByTestId('call-start-audio').click();
    await widget(customer.page).locator('[data-testid="widget-call"][data-tone="ring"]').waitFor({ state: 'attached' });
    await until(() => customer.page.title(), (t) => t === '📞 Chamada do atendente', 'the host page title flashing');
    await setHidden(customer.page, false);
    await until(() => customer.page.title(), (t) => t === hostTitle, 'the host page title back');

    // the sound is held back: the ring is seen, with the words, and animated
    const tap = w.getByRole('button', { name: 'Chamada recebida — toque para ouvir' });
    await tap.waitFor();
    await expect(w.getAttribute('class')).resolves.toMatch(/\bringing\b/);
    await expect(w.evaluate((el) => getComputedStyle(el).animationName)).resolves.toBe('rg');
    await screenshot(customer.page, 'webchat-call-tap-to-hear');
    // the browser lets the sound through after a touch: the ring sounds, the prompt goes
    await customer.page.evaluate(() => {
      (window as unknown as { __audioAllowed: boolean }).__audioAllowed = true;
    });
    await tap.click();
    await tap.waitFor({ state: 'hidden' });
    await expect(tones425(customer.page)).resolves.toBe(1);
    await expect(w.getAttribute('data-tone')).resolves.toBe('ring');
    await w.getByRole('button', { name: 'Recusar' }).click();
    await desk.page.getByTestId('call-outcome').getByText('O cliente recusou a chamada.').waitFor();
    await expect(tones425(customer.page)).resolves.toBe(0);
    expect(customer.errors).toEqual([]);
  });

  it('the customer’s page goes away mid-call (closed): the desk says the customer’s connection was lost; the record says so too', async () => {
    const customer = await newConversation();
    await desk.page.getByTestId('call-start-audio').click();
    await box(customer.page).getByRole('button', { name: 'Atender' }).click();
    await live(customer.page).waitFor();
    await desk.page.locator('[data-testid="call-panel"][data-connected="true"]').waitFor();
    await customer.page.context().close();
    await desk.page.getByTestId('call-outcome').getByText('A chamada caiu: a conexão do cliente foi perdida (a página foi fechada ou recarregada, ou a internet caiu).').waitFor();
    await panel().waitFor({ state: 'detached' });
    await desk.page.getByTestId('desk-call-line').filter({ hasText: 'Chamada de áudio falhou: a conexão do cliente caiu' }).waitFor();
    const [call] = await until(() => callsOf(customer.conversationId), (l) => l.length === 1, 'the call line');
    expect(call).toMatchObject({ state: 'failed', failure: 'disconnected', endedBy: 'customer' });
  });

  it('the desk reloads mid-call: the widget says the agent’s connection was lost', async () => {
    const customer = await newConversation();
    await box(customer.page).getByRole('button', { name: 'Ligar (áudio)' }).click();
    await desk.page.getByTestId('call-accept').click();
    await live(customer.page).waitFor();
    await desk.page.reload();
    await box(customer.page).getByText('A chamada caiu: a conexão do atendente foi perdida.').waitFor();
    await expect(box(customer.page).getAttribute('data-tone')).resolves.toBe('none');
    const [call] = await until(() => callsOf(customer.conversationId), (l) => l.length === 1, 'the call line');
    expect(call).toMatchObject({ state: 'failed', failure: 'disconnected', endedBy: 'agent' });
    // the desk after the reload: the history's line names whose connection dropped
    await desk.page.locator(`[data-testid="desk-conversation"][data-conversation-id="${customer.conversationId}"]`).click();
    await desk.page.getByTestId('desk-call-line').filter({ hasText: 'Chamada de áudio falhou: a conexão do atendente caiu' }).waitFor();
  });
});
