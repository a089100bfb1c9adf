// Frame time in Chromium: a supervisor on Início → Agentes with 2,000 agent tiles while 500 agent
// changes per second arrive (synthetic agent.updated events on the bus, consecutive seqs, so the
// whole push path runs). The page records every animation frame's duration for 10 s.
// Target: no frame over 50 ms. Needs Chromium (CHROMIUM_PATH or /usr/bin/chromium) and a built web
// app (npm run build:web); prints a skip line otherwise. `tilesInPage`: the agent tiles mounted at
// the end (the columns are windowed). BENCH_FRAMES=1 explains each frame over 50 ms; BENCH_PROFILE=1
// also prints the hottest functions (and BENCH_PROFILE_OUT=file saves the whole CPU profile).
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { openPGlite } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { ensureFirstAdmin } from '../src/engine/bootstrap.js';
import { startRuntime } from '../src/engine/runtime.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import type { RealtimeEvent } from '../src/contracts/events.js';
import { emit, percentile } from './report.js';

const AGENTS = 2000;
const CHANGES_PER_SECOND = 500;
const SECONDS = 10;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function run(): Promise<void> {
  if (!existsSync(CHROMIUM) || !existsSync('dist/web/index.html')) {
    emit({ bench: 'monitor-frames', skipped: `needs ${CHROMIUM} and dist/web (npm run build:web)` });
    return;
  }
  const db = await openPGlite();
  await migrate(db);
  await ensureFirstAdmin(db, 'frames@mirante.local', 'frames-password-1');
  const team = (await db.query<{ id: string }>(`INSERT INTO teams (name) VALUES ('Bench') RETURNING id`)).rows[0].id;
  await db.query(
    `INSERT INTO users (email, name, role, password_hash, agent_enabled)
     SELECT 'agente' || g || '@bench', 'Agente ' || g, 'agent', 'x', true FROM generate_series(1, ${AGENTS}) g`,
  );
  await db.query(`INSERT INTO team_agents (team_id, user_id) SELECT $1, id FROM users WHERE email LIKE '%@bench'`, [team]);
  await db.query(
    `INSERT INTO agent_presence (user_id, state, logged_in_at, state_since)
     SELECT id, (ARRAY['available','in_service','paused'])[1 + (random() * 2)::int], now(), now() - random() * interval '40 minutes'
       FROM users WHERE email LIKE '%@bench'`,
  );
  const runtime = await startRuntime(db, { background: false });
  const app = await buildApp({ db, config: { ...loadConfig({}), webDir: resolve('dist/web'), secretKey: 'bench-secret-key-0123456789' }, runtime });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(url);
    await page.getByLabel(/^E-mail/).fill('frames@mirante.local');
    await page.getByLabel(/^Senha/).fill('frames-password-1');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('tab', { name: 'Agentes' }).click();
    // every agent counted in the columns' heads (the tiles themselves are windowed: only those near
    // the screen are in the page, so waiting for one agent's name would depend on the sort)
    await page.waitForFunction(
      `[...document.querySelectorAll('[data-testid^="agents-column-"][data-testid$="-count"]')].reduce((n, e) => n + Number(e.textContent), 0) === ${AGENTS}`,
      undefined,
      { timeout: 60_000 },
    );

    // every frame's duration, measured in the page
    // (a string, not a function: tsx would add helpers the page does not have)
    await page.evaluate(`(() => {
      window.__frames = [];
      window.__t0 = performance.now();
      let last = performance.now();
      const tick = (t) => { window.__frames.push(t - last); last = t; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    // BENCH_FRAMES=1 (or BENCH_PROFILE=1): each frame over 50 ms, with what ran in it (Chromium's long-animation-frame entries)
    const explain = Boolean(process.env.BENCH_FRAMES || process.env.BENCH_PROFILE);
    if (explain) {
      await page.evaluate(`(() => {
        window.__loaf = [];
        new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__loaf.push(e.toJSON()); }).observe({ type: 'long-animation-frame' });
      })()`);
    }

    // BENCH_PROFILE=1: the page's hottest functions by self time, to see where a frame goes
    const cdp = process.env.BENCH_PROFILE ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const agents = [...runtime.projection.agents.values()];
    const states = ['available', 'in_service', 'paused'] as const;
    let seq = runtime.projection.seq;
    let published = 0;
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = Date.now() - started;
        if (elapsed >= SECONDS * 1000) {
          clearInterval(timer);
          resolve();
          return;
        }
        const owed = Math.floor((elapsed * CHANGES_PER_SECOND) / 1000) - published;
        if (owed <= 0) return;
        const now = new Date().toISOString();
        const events: RealtimeEvent[] = [];
        for (let i = 0; i < owed; i++) {
          const a = agents[(published + i) % agents.length];
          const state = states[(published + i) % 3];
          events.push({ seq: ++seq, type: 'agent.updated', v: 1, reason: 'bench', at: now, serviceId: null, agentId: a.id, agent: { ...a, state, presence: state, stateSince: now } });
        }
        published += owed;
        runtime.bus.publish(events);
      }, 20);
    });
    const frames = ((await page.evaluate('window.__frames')) as number[]).slice(5);
    const tilesInPage = (await page.evaluate(`document.querySelectorAll('[data-testid="agent-tile"]').length`)) as number;
    if (explain) {
      const t0 = (await page.evaluate('window.__t0')) as number;
      const loaf = (await page.evaluate('window.__loaf')) as {
        startTime: number; duration: number; styleAndLayoutStart: number;
        scripts: { invoker: string; duration: number; forcedStyleAndLayoutDuration: number }[];
      }[];
      for (const f of loaf) {
        if (f.duration <= 50) continue;
        const layout = f.styleAndLayoutStart ? f.startTime + f.duration - f.styleAndLayoutStart : 0;
        const scripts = f.scripts.map((x) => `${x.invoker} ${Math.round(x.duration)} ms${x.forcedStyleAndLayoutDuration >= 1 ? ` (forced layout ${Math.round(x.forcedStyleAndLayoutDuration)})` : ''}`);
        console.error(`frame at ${Math.round(f.startTime - t0)} ms, ${Math.round(f.duration)} ms long: style and layout ${Math.round(layout)} ms; scripts: ${scripts.join(', ') || 'none'}`);
      }
    }
    if (cdp) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[] } };
      // BENCH_PROFILE_OUT=file.cpuprofile: the whole profile, for Chromium's DevTools (Performance → load)
      if (process.env.BENCH_PROFILE_OUT) writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile));
      const self = new Map<number, number>();
      for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1);
      const byName = new Map<string, number>();
      for (const n of profile.nodes) {
        const k = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
        byName.set(k, (byName.get(k) ?? 0) + (self.get(n.id) ?? 0));
      }
      const total = profile.samples.length;
      for (const [k, n] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.error(`${((n / total) * 100).toFixed(1)}%  ${k}`);
    }
    emit({
      bench: 'monitor-frames', agents: AGENTS, changesPerSecond: Math.round(published / SECONDS), frames: frames.length,
      value: +Math.max(...frames).toFixed(1), p99: +percentile(frames, 99).toFixed(1), p50: +percentile(frames, 50).toFixed(1),
      over50ms: frames.filter((f) => f > 50).length, tilesInPage, unit: 'ms longest frame (p99, p50 beside)', target: 50,
    });
  } finally {
    await browser.close();
    await app.close();
    await runtime.stop();
    await db.close();
  }
}
