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
  async function newConversation(b: Browser = browser): Promise<{ page: Page; conversationId: string; errors: string[] }> {
    const c = await newPage(b);
    customers.push(c.context);
    await c.context.addInitScript(KEEP_PEERS);
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
    return { page: c.page, conversationId, errors: c.errors };
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
    // the widget rings: Atender / Recusar
    await box(customer.page).getByText('O atendente está chamando: chamada de áudio').waitFor();
    await box(customer.page).getByRole('button', { name: 'Atender' }).click();
    await desk.page.locator('[data-testid="call-panel"][data-connected="true"]').waitFor();
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
    await desk.page.getByTestId('call-accept').click();
    await desk.page.locator('[data-testid="call-panel"][data-connected="true"]').waitFor();
    await live(customer.page).waitFor();
    const answered = Date.now();
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

    // rings until the ring timer fires: the timer is brought forward, as if CALL_RING_SECONDS had passed
    await desk.page.getByTestId('call-outcome').getByRole('button').click();
    await desk.page.getByTestId('call-start-audio').click();
    await w.getByText('O atendente está chamando: chamada de áudio').waitFor();
    await server.db.query(`UPDATE timers SET due_at = now() - interval '1 second' WHERE kind = 'call_ring' AND conversation_id = $1`, [customer.conversationId]);
    await server.runtime.scheduler.tick();
    await desk.page.getByTestId('call-outcome').getByText('O cliente não atendeu a chamada.').waitFor();
    await w.getByText('Chamada perdida: o atendente ligou para você.').waitFor();

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
});
