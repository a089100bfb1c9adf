import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { Client, createService, createUser } from '../support/test-app.js';

// Início → Agentes with a big operation: 900 agents in one team (300 Livre, 300 Em atendimento,
// 300 Em pausa) and one in another. The columns are windowed (only the tiles near the screen are in
// the page), so what windowing could break is checked here: scrolling brings any agent, a change
// to an agent out of view is there when scrolled to, Tab walks the tiles past those first mounted,
// a tile opens its agent, a filter finds an agent whatever the scroll.
const PER_STATE = 300;
const name = (g: number) => `Agente ${String(g).padStart(4, '0')}`;
// seeded agent g is in service when g % 3 == 1, and longer in their state the higher g: the in-service
// column lists g = 898, 895, … 1 from the top (the longest in their state first)
const inServiceAt = (i: number) => name(3 * PER_STATE - 2 - 3 * i);

describeBrowser('supervisor monitor: Agentes with 900 agents', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let teamA = '';
  let teamB = '';
  let reasonId = '';
  let sup: { email: string; password: string };
  let live: { name: string; email: string; password: string };
  let agentDesk: Client;
  let beat: ReturnType<typeof setInterval> | null = null;

  const column = (col: 'available' | 'inService' | 'paused') => page.getByTestId(`agents-column-${col}`);
  const tileOf = (agentName: string) => page.locator(`[data-testid="agent-tile"][data-agent="${agentName}"]`);
  const shows = (testId: string, text: string) =>
    page.waitForFunction(([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === want, [testId, text] as const);
  /** Two animation frames: the window follows a scroll one frame later, and renders in the next. */
  const frames = () => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  /** Scrolls the page down with the mouse wheel until the tile is on screen. */
  const scrollTo = async (tile: Locator) => {
    await page.mouse.move(640, 500);
    for (let i = 0; i < 120; i++) {
      if ((await tile.count()) > 0 && (await tile.isVisible())) {
        const box = await tile.boundingBox();
        if (box && box.y >= 0 && box.y + box.height <= 800) return;
      }
      await page.mouse.wheel(0, 500);
      await frames();
    }
    throw new Error('tile never scrolled into view');
  };
  const toTop = async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await frames();
  };

  beforeAll(async () => {
    server = await startWebServer({
      seed: async (db) => {
        teamA = (await db.query<{ id: string }>(`INSERT INTO teams (name) VALUES ('Central de Atendimento') RETURNING id`)).rows[0].id;
        teamB = (await db.query<{ id: string }>(`INSERT INTO teams (name) VALUES ('Ouvidoria') RETURNING id`)).rows[0].id;
        reasonId = (await db.query<{ id: string }>(`INSERT INTO pause_reasons (name) VALUES ('Pausa Lanche') RETURNING id`)).rows[0].id;
        await db.query(
          `INSERT INTO users (email, name, role, password_hash, agent_enabled)
           SELECT 'agente' || g || '@seed.local', 'Agente ' || lpad(g::text, 4, '0'), 'agent', 'x', true FROM generate_series(1, ${3 * PER_STATE}) g`,
        );
        await db.query(`INSERT INTO users (email, name, role, password_hash, agent_enabled) VALUES ('zelia@seed.local', 'Zélia Ouvidoria', 'agent', 'x', true)`);
        await db.query(`INSERT INTO team_agents (team_id, user_id) SELECT $1, id FROM users WHERE email LIKE 'agente%@seed.local'`, [teamA]);
        await db.query(`INSERT INTO team_agents (team_id, user_id) SELECT $1, id FROM users WHERE email = 'zelia@seed.local'`, [teamB]);
        await db.query(
          `INSERT INTO agent_presence (user_id, state, open_chat, logged_in_at, state_since)
           SELECT u.id, (ARRAY['available', 'in_service', 'paused'])[1 + g % 3], CASE WHEN g % 3 = 1 THEN 1 ELSE 0 END,
                  now(), now() - interval '10 minutes' - g * interval '1 second'
             FROM users u, LATERAL (SELECT substr(u.email, 7, position('@' IN u.email) - 7)::int AS g) x
            WHERE u.email LIKE 'agente%@seed.local'`,
        );
        await db.query(`UPDATE agent_presence SET pause_reason_id = $1 WHERE state = 'paused'`, [reasonId]);
        // the newest in Livre: the last of the column until a filter leaves her alone
        await db.query(`INSERT INTO agent_presence (user_id, state, logged_in_at, state_since) SELECT id, 'available', now(), now() FROM users WHERE email = 'zelia@seed.local'`);
      },
    });
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    await createService(admin, { name: 'Ouvidoria Agentes', channel: 'api', teamIds: [teamB] });
    sup = await createUser(admin, { name: 'Regina Supervisora', role: 'supervisor', supervisedTeamIds: [teamA, teamB] });
    live = await createUser(admin, { name: 'Ana Beatriz Ao Vivo', agentEnabled: true, teamIds: [teamA] });
    agentDesk = new Client(server.url);
    expect((await agentDesk.post('/api/auth/login', { email: live.email, password: live.password })).status).toBe(200);

    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await page.goto(server.url);
    await signIn(page, sup.email, sup.password);
    await page.waitForURL(/\/monitor$/);
    await page.getByTestId('tab-agents').click();
    await page.waitForURL(/tab=agents/);
  });
  afterAll(async () => {
    if (beat) clearInterval(beat);
    await browser?.close();
    await server?.close();
  });

  it('counts every agent but mounts only the tiles near the screen, in the right order', async () => {
    await shows('agents-column-available-count', String(PER_STATE + 1));
    await shows('agents-column-inService-count', String(PER_STATE));
    await shows('agents-column-paused-count', String(PER_STATE));
    await tileOf(inServiceAt(0)).waitFor();
    const mounted = await page.getByTestId('agent-tile').count();
    expect(mounted).toBeGreaterThan(10);
    expect(mounted).toBeLessThan(PER_STATE);
    const names = await column('inService').getByTestId('agent-tile').evaluateAll((els) => els.map((e) => e.getAttribute('data-agent')));
    expect(names).toEqual(names.map((_, i) => inServiceAt(i)));
    await screenshot(page, 'monitor-agentes-900-pt-BR', { fullPage: false });
  });

  it('scrolling down brings the last agent of a column, where the column ends', async () => {
    const last = tileOf(inServiceAt(PER_STATE - 1));
    await expect(last.count()).resolves.toBe(0);
    await scrollTo(last);
    // the tiles mounted now are the column's from `data-from` on, in order
    const tiles = column('inService').getByTestId('agent-tiles');
    const from = Number(await tiles.getAttribute('data-from'));
    expect(from).toBeGreaterThan(0);
    const names = await column('inService').getByTestId('agent-tile').evaluateAll((els) => els.map((e) => e.getAttribute('data-agent')));
    expect(names).toEqual(names.map((_, i) => inServiceAt(from + i)));
    // the padding stands for exactly the tiles not mounted: the last tile ends where the column does
    const [tileBox, gridBox] = [await last.boundingBox(), await tiles.boundingBox()];
    expect(Math.abs(tileBox!.y + tileBox!.height - (gridBox!.y + gridBox!.height))).toBeLessThan(1.5);
    await screenshot(page, 'monitor-agentes-900-scrolled-pt-BR', { fullPage: false });
  });

  it('a change to an agent out of view is there when scrolled to', async () => {
    await toTop();
    // the agent logs in over HTTP: the newest in Livre, the last of the column, off screen
    expect((await agentDesk.post('/api/agent/login')).status).toBe(200);
    beat = setInterval(() => void agentDesk.post('/api/agent/heartbeat').catch(() => undefined), 10_000);
    await shows('agents-column-available-count', String(PER_STATE + 2));
    expect((await agentDesk.post('/api/agent/pause', { reasonId })).status).toBe(200);
    await shows('agents-column-paused-count', String(PER_STATE + 1));
    await shows('agents-column-available-count', String(PER_STATE + 1));
    const tile = column('paused').locator(`[data-agent="${live.name}"]`);
    await expect(tile.count()).resolves.toBe(0);
    await scrollTo(tile);
    await expect(tile.textContent()).resolves.toContain('Pausa Lanche');
    await expect(tile.getByTestId('tile-time').textContent()).resolves.toMatch(/^0:\d\d$/);
  });

  it('Tab walks the in-service tiles past those first mounted, and Enter opens the agent', async () => {
    await toTop();
    await tileOf(inServiceAt(0)).focus();
    const steps = 40;
    for (let i = 0; i < steps; i++) {
      await page.keyboard.press('Tab');
      await frames();
    }
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-agent'))).resolves.toBe(inServiceAt(steps));
    await page.keyboard.press('Enter');
    const modal = page.getByRole('dialog', { name: `Atendimentos de ${inServiceAt(steps)}` });
    await modal.waitFor();
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
  });

  it('a click on a tile far down opens its agent', async () => {
    const far = tileOf(inServiceAt(200));
    await scrollTo(far);
    await far.click();
    const modal = page.getByRole('dialog', { name: `Atendimentos de ${inServiceAt(200)}` });
    await modal.waitFor();
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
  });

  it('a filter that leaves few agents shows them, wherever the page was scrolled', async () => {
    await toTop();
    await page.getByTestId('filter-service').click();
    await page.getByRole('option', { name: 'Ouvidoria Agentes' }).click();
    // scrolled far down when the list shrinks (dispatched: a click would scroll the button into view)
    await page.evaluate(() => window.scrollTo(0, 8000));
    await frames();
    await expect(tileOf('Zélia Ouvidoria').count()).resolves.toBe(0);
    await page.getByTestId('filter-reload').dispatchEvent('click');
    await shows('agents-column-available-count', '1');
    await shows('agents-column-inService-count', '0');
    const zelia = tileOf('Zélia Ouvidoria');
    await zelia.waitFor();
    const box = await zelia.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(800);
    await expect(page.getByTestId('agent-tile').count()).resolves.toBe(1);
    await page.getByTestId('filter-clear').click();
    await shows('agents-column-inService-count', String(PER_STATE));
  });

  it('threw no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
