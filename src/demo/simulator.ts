// The demo operation (`npm run demo`): simulated customers and agents driving a running Mirante only
// through its public interfaces, so the monitor has a living operation to show. Customers arrive on
// every channel: WhatsApp, Instagram, Messenger, Telegram and SMS through the provider sandbox
// (src/sandbox/, in this process, on loopback: their providers' signed webhooks, and Mirante's sends
// recorded there), WebChat through the widget's protocol, API Parceiros through the API channel,
// e-mail by SMTP to Mirante's own listener (email-customers.ts; --smtp-port, else SMTP_LISTEN_PORT).
// Agents work through the agent HTTP API. Options: --rate=customers per minute at the peak,
// --agents=N, --speed=time factor (1–240; past ~20 only the simulator speeds up: Mirante's own
// timeouts run on the real clock), --url, --hour=the simulated day's starting hour in the contact
// center's time zone. `runDemo` is the same operation for a test.
import { fileURLToPath } from 'node:url';
import { dailyCurve, localHour, startingHour } from './clock.js';
import { FIRST, LAST, OPENERS } from './lines.js';
import { apiCustomers } from './api-customers.js';
import { pick, type DemoEnv } from './people.js';
import { emailCustomers, type EmailChannel } from './email-customers.js';
import { demoCampaign } from './campaign.js';
import { connectProviders } from './provider-accounts.js';
import { providerCustomers, type Arrivals } from './provider-customers.js';
import { Session, Tally, type Refusal } from './session.js';
import { webchatVisitors } from './webchat-visitors.js';
import { runAgents } from './agents.js';

export interface DemoOptions {
  url: string;
  /** customers per minute at the day's peak */
  rate: number;
  agents: number;
  /** how much faster than the real clock the simulated day runs */
  speed: number;
  password: string;
  /** the simulated day starts at this local hour; null: the real local hour, or 10 at night */
  hour: number | null;
  /** the port of Mirante's SMTP listener (SMTP_LISTEN_PORT) on the host of `url`; null: no e-mail customers */
  smtpPort: number | null;
  /** told the address of each server the demo starts (the sandbox, the API channel's webhook) before Mirante calls it */
  onServer?: (url: string) => void;
  log?: (msg: string) => void;
}

export const MAX_SPEED = 240;

export function parseOptions(argv: string[]): DemoOptions {
  const get = (name: string, dflt: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
  const num = (name: string, dflt: number, min: number, max: number) => {
    const v = Number(get(name, String(dflt)));
    if (!Number.isFinite(v) || v < min || v > max) throw new Error(`--${name} must be a number from ${min} to ${max}`);
    return v;
  };
  return {
    url: get('url', `http://127.0.0.1:${process.env.PORT ?? 3000}`),
    rate: num('rate', 8, 0.1, 600),
    agents: num('agents', 12, 1, 500),
    speed: num('speed', 1, 0.1, MAX_SPEED),
    password: process.env.MIRANTE_DEMO_PASSWORD || 'demo1234',
    hour: argv.some((a) => a.startsWith('--hour=')) ? num('hour', 10, 0, 23.99) : null,
    smtpPort: argv.some((a) => a.startsWith('--smtp-port=')) || process.env.SMTP_LISTEN_PORT ? num('smtp-port', Number(process.env.SMTP_LISTEN_PORT), 1, 65535) : null,
  };
}

/** The traffic's split by service: WhatsApp the most, then WebChat, Instagram, the API, Messenger, SMS, Telegram, e-mail. */
export const TRAFFIC_WEIGHTS: Record<string, number> = {
  'WhatsApp Atendimento': 30,
  'WhatsApp Financeiro': 12,
  'WebChat Site': 16,
  'Instagram Direct': 12,
  'API Parceiros': 9,
  'Facebook Messenger': 9,
  'SMS Cobrança': 6,
  'Telegram Suporte': 6,
  'E-mail SAC': 4,
  'E-mail Ouvidoria': 5,
};

/**
 * The next channel by smooth weighted round-robin (nginx's): every channel gets its share in every
 * stretch of arrivals, so a short run still brings customers on all of them.
 */
export function weightedTurns<T extends { weight: number }>(items: T[]): () => T {
  const current = items.map(() => 0);
  const total = items.reduce((s, i) => s + i.weight, 0);
  return () => {
    let best = 0;
    items.forEach((item, i) => {
      current[i] += item.weight;
      if (current[i] > current[best]) best = i;
    });
    current[best] -= total;
    return items[best];
  };
}

export interface DemoCounters {
  /** requests the simulator made (HTTP, webhooks it had the sandbox post, widget messages) */
  readonly requests: number;
  /** every 4xx/5xx (or unanswered request) of the simulator */
  readonly refused: Refusal[];
  /** Mirante's calls that the sandbox answered with an error */
  readonly providerErrors: Refusal[];
  /** customers who arrived, by service name */
  readonly arrivals: Record<string, number>;
  /** pauses the agents took */
  readonly pauses: number;
}

export interface RunningDemo {
  counters: DemoCounters;
  sandboxUrl: string;
  /** the simulated day's hour now */
  simHour(): number;
  /** stops customers and agents (agents stay signed in: the server sees them go silent) */
  stop(): Promise<void>;
}

/** Starts the demo operation against the Mirante at `url`, already seeded with the demo data. */
export async function runDemo(given: Partial<DemoOptions> = {}): Promise<RunningDemo> {
  const o: DemoOptions = { ...parseOptions([]), ...given };
  const tally = new Tally();
  let timeZone = 'America/Sao_Paulo';
  const began = Date.now();
  let start = { hour: 10, shifted: false };
  const simHour = () => (start.hour + ((Date.now() - began) * o.speed) / 3_600_000) % 24;
  const hhmm = (h: number) => `${String(Math.floor(h)).padStart(2, '0')}:${String(Math.floor((h % 1) * 60)).padStart(2, '0')}`;
  const print = o.log ?? ((msg: string) => console.log(msg));
  const log = (msg: string) => {
    const real = new Date().toLocaleTimeString('pt-BR', { timeZone });
    print(`[demo ${real}${start.shifted || o.speed !== 1 ? ` · dia simulado ${hhmm(simHour())}` : ''}] ${msg}`);
  };
  // every wait of the simulation, so that stop() ends them all at once
  const timers = new Map<NodeJS.Timeout, () => void>();
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (tally.stopped) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.set(timer, resolve);
    });
  const env: DemoEnv = {
    tally,
    t: (ms) => ms / o.speed,
    later(simMs, what, fn) {
      void wait(simMs / o.speed).then(async () => {
        if (tally.stopped) return;
        try {
          await fn();
        } catch (err) {
          tally.refuse(what, 0, (err as Error).message);
        }
      });
    },
    log,
  };

  const admin = new Session(o.url, tally);
  await admin.login('admin@mirante.demo', o.password);
  timeZone = (await admin.call<{ timezone?: string }>('GET', '/api/settings')).body?.timezone ?? timeZone;
  start = startingHour(o.hour, localHour(new Date(), timeZone));
  if (start.shifted) {
    log(`o dia simulado começa às ${hhmm(start.hour)} (${timeZone})${o.hour === null ? ': fora do horário comercial agora, então a demonstração simula um horário de movimento (use --hour=H para escolher)' : ''}`);
  }
  const services = (await admin.call<{ items: any[] }>('GET', '/api/services?active=true')).body.items;
  const teams = (await admin.call<{ items: any[] }>('GET', '/api/teams?active=true')).body.items.map((tm) => tm.id as string);

  // the channels customers arrive on
  const channels: (Arrivals & { stop?(): void })[] = [];
  const api = services.find((s) => s.channel === 'api');
  if (api) channels.push(await apiCustomers(env, admin, api, teams, o.onServer));
  const webchat = services.find((s) => s.channel === 'webchat');
  if (webchat) channels.push(webchatVisitors(env, o.url, webchat));
  const { sandbox, linked } = await connectProviders(admin, { miranteUrl: o.url, onServer: o.onServer, log });
  const providers = providerCustomers(env, sandbox, linked);
  channels.push(...providers.arrivals);
  const active = await demoCampaign(env, admin, linked, providers.whatsappContact).catch((err) => {
    log(`campanha de demonstração não criada: ${(err as Error).message}`);
    return null;
  });
  let email: EmailChannel | null = null;
  if (o.smtpPort) {
    const supervisor = new Session(o.url, tally);
    await supervisor.login('supervisor@mirante.demo', o.password);
    email = await emailCustomers(env, admin, { smtpPort: o.smtpPort, supervisor, wait, services });
    channels.push(...email.arrivals);
  } else {
    log('e-mail sem clientes: o servidor SMTP do Mirante não foi informado (SMTP_LISTEN_PORT ou --smtp-port)');
  }
  log(`clientes chegam por ${channels.map((c) => `${c.serviceName} (${c.channel})`).join(', ')}; provedores no sandbox em ${sandbox.url}`);

  const arrivals: Record<string, number> = {};
  const agents = await runAgents(env, { url: o.url, password: o.password, agents: o.agents, admin, wait, active });
  const next = weightedTurns(channels.map((c) => ({ channel: c, weight: TRAFFIC_WEIGHTS[c.serviceName] ?? 5 })));
  log(`${agents.count} agentes, ${o.rate} clientes/min no pico, velocidade ×${o.speed}`);

  // arrivals: a Poisson process whose rate follows the hour of the day
  const arriving = (async () => {
    while (!tally.stopped) {
      const perMinute = o.rate * dailyCurve(simHour());
      await wait(env.t(-Math.log(1 - Math.random()) * (60_000 / Math.max(perMinute, 0.01))));
      if (tally.stopped) return;
      const { channel } = next();
      arrivals[channel.serviceName] = (arrivals[channel.serviceName] ?? 0) + 1;
      channel.arrive(`${pick(FIRST)} ${pick(LAST)}`, pick(OPENERS)).catch((err) => tally.refuse(`arrival on ${channel.serviceName}`, 0, (err as Error).message));
    }
  })();
  const report = setInterval(() => log(`${Object.values(arrivals).reduce((a, b) => a + b, 0)} clientes chegaram: ${Object.entries(arrivals).map(([k, v]) => `${k} ${v}`).join(', ')}`), 60_000);
  report.unref();

  return {
    counters: {
      get requests() {
        return tally.requests;
      },
      refused: tally.refused,
      providerErrors: tally.providerErrors,
      arrivals,
      get pauses() {
        return agents.pauses;
      },
    },
    sandboxUrl: sandbox.url,
    simHour,
    async stop() {
      tally.stopped = true;
      clearInterval(report);
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
      await arriving;
      await agents.stopped();
      for (const c of channels) c.stop?.();
      providers.stop();
      await email?.stop();
      await sandbox.close();
    },
  };
}

async function main() {
  const o = parseOptions(process.argv.slice(2));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${o.url}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    // the first start writes the demo's 30 days of history before it listens: a minute or so
    if (i > 600) throw new Error(`Mirante does not answer at ${o.url}`);
    if (i > 0 && i % 20 === 0) console.log(`[demo] esperando o Mirante em ${o.url} (a primeira partida grava 30 dias de histórico)…`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const demo = await runDemo(o);
  // what Mirante or a provider refused is said as it happens, not only counted
  let shown = 0;
  let shownProvider = 0;
  setInterval(() => {
    for (const r of demo.counters.refused.slice(shown)) console.log(`[demo] recusado: ${r.what} → ${r.status} ${r.detail}`);
    for (const r of demo.counters.providerErrors.slice(shownProvider)) console.log(`[demo] o sandbox recusou um envio do Mirante: ${r.what} → ${r.status} ${r.detail}`);
    shown = demo.counters.refused.length;
    shownProvider = demo.counters.providerErrors.length;
  }, 5000);
  const stop = () => void demo.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(`demo: ${err.message}`);
    process.exit(1);
  });
}
