// The demo operation (`npm run demo`): simulated customers and agents driving a running Mirante only
// through its public interfaces — customers through the API channel (their replies come back on a
// webhook this process serves), agents through the agent HTTP API — so the monitor has a living
// operation to show. Options: --rate=customers per minute, --agents=N, --speed=time factor, --url,
// --hour=the simulated day's starting hour in the contact center's time zone.
import { createServer } from 'node:http';
import { randomInt } from 'node:crypto';
import { dailyCurve, localHour, pauseLengthMs, startingHour } from './clock.js';
import { answerBot, type BotChat } from './customer.js';

interface Options {
  url: string;
  rate: number;
  agents: number;
  speed: number;
  password: string;
  /** the simulated day starts at this local hour; null: the real local hour, or 10 at night */
  hour: number | null;
}

function parseOptions(argv: string[]): Options {
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
    speed: num('speed', 1, 0.1, 20),
    password: process.env.MIRANTE_DEMO_PASSWORD || 'demo1234',
    hour: argv.some((a) => a.startsWith('--hour=')) ? num('hour', 10, 0, 23.99) : null,
  };
}

const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)];
const chance = (p: number) => Math.random() < p;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const FIRST = ['Ana', 'Beatriz', 'Carlos', 'Daniela', 'Eduardo', 'Fernanda', 'Gustavo', 'Helena', 'Igor', 'Juliana', 'Lucas', 'Mariana', 'Nicolas', 'Patrícia', 'Rafael', 'Sofia', 'Thiago', 'Vitória'];
const LAST = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Pereira', 'Costa', 'Rodrigues', 'Almeida', 'Nascimento', 'Lima', 'Araújo', 'Ferreira'];
const OPENERS = [
  'Olá, preciso da segunda via do meu boleto',
  'Boa tarde! Meu pedido ainda não chegou',
  'Quero cancelar minha assinatura',
  'Não consigo acessar minha conta',
  'Gostaria de saber o status do protocolo que abri ontem',
  'O aplicativo está dando erro ao pagar',
  'Vocês têm o produto em estoque?',
  'Fui cobrado duas vezes este mês',
];
const CUSTOMER_REPLIES = ['Ok, obrigado', 'Meu CPF é 123.456.789-09', 'Pode verificar, por favor?', 'Entendi', 'Certo, aguardo', 'Isso mesmo', 'Perfeito, resolveu!'];
const AGENT_REPLIES = [
  'Olá! Vou verificar isso para você, um instante.',
  'Pode me confirmar o CPF do titular, por favor?',
  'Encontrei aqui. Já estou resolvendo.',
  'Prontinho, a solicitação foi registrada.',
  'Enviei as informações para o seu e-mail cadastrado.',
  'Posso ajudar em algo mais?',
];

/** A signed-in HTTP client (cookie session). */
class Session {
  cookie = '';
  constructor(private readonly base: string) {}
  async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
    const res = await fetch(this.base + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const set = res.headers.getSetCookie?.() ?? [];
    if (set.length) this.cookie = set[0].split(';')[0];
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
  async login(email: string, password: string) {
    const r = await this.call('POST', '/api/auth/login', { email, password });
    if (r.status !== 200) throw new Error(`sign-in of ${email} failed (${r.status}): is the demo data seeded? (npm run demo seeds it)`);
  }
}

async function main() {
  const o = parseOptions(process.argv.slice(2));
  const t = (ms: number) => ms / o.speed;
  let timeZone = 'America/Sao_Paulo';
  // the simulated clock: starts at `start.hour` local and runs `speed` times faster than the real one
  const began = Date.now();
  let start = { hour: 10, shifted: false };
  const simHour = () => (start.hour + ((Date.now() - began) * o.speed) / 3_600_000) % 24;
  const hhmm = (h: number) => `${String(Math.floor(h)).padStart(2, '0')}:${String(Math.floor((h % 1) * 60)).padStart(2, '0')}`;
  const log = (msg: string) => {
    const real = new Date().toLocaleTimeString('pt-BR', { timeZone });
    console.log(`[demo ${real}${start.shifted || o.speed !== 1 ? ` · dia simulado ${hhmm(simHour())}` : ''}] ${msg}`);
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${o.url}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    // the first start writes the demo's 30 days of history before it listens: a minute or so
    if (i > 600) throw new Error(`Mirante does not answer at ${o.url}`);
    if (i > 0 && i % 20 === 0) console.log(`[demo] esperando o Mirante em ${o.url} (a primeira partida grava 30 dias de histórico)…`);
    await sleep(500);
  }

  const admin = new Session(o.url);
  await admin.login('admin@mirante.demo', o.password);
  timeZone = (await admin.call<{ timezone?: string }>('GET', '/api/settings')).body?.timezone ?? timeZone;
  start = startingHour(o.hour, localHour(new Date(), timeZone));
  if (start.shifted) {
    log(`o dia simulado começa às ${hhmm(start.hour)} (${timeZone})${o.hour === null ? ': fora do horário comercial agora, então a demonstração simula um horário de movimento (use --hour=H para escolher)' : ''}`);
  }
  const services = (await admin.call<{ items: any[] }>('GET', '/api/services?active=true')).body.items;
  const api = services.find((s) => s.channel === 'api');
  if (!api) throw new Error('no API-channel service in the demo data');

  // customers hear agents through the API channel's webhook, served here
  const byConversation = new Map<string, { externalId: string; replies: number }>();
  const botChats = new Map<string, BotChat>();
  const hook = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      res.writeHead(200).end();
      try {
        const msg = JSON.parse(raw);
        if (msg.message?.authorType === 'bot' && typeof msg.contact?.externalId === 'string') {
          // the service's bot flow: the customer picks from its menus (demo/customer.ts); by the
          // contact, since the bot may speak before the customer's own request has returned
          const externalId: string = msg.contact.externalId;
          const chat = botChats.get(externalId) ?? {};
          botChats.set(externalId, chat);
          const answer = answerBot(String(msg.message.text ?? ''), chat);
          if (answer !== null) setTimeout(() => void send(externalId, answer), t(3000 + randomInt(9000)));
          return;
        }
        const cust = byConversation.get(msg.conversation?.id);
        if (!cust || msg.message?.authorType !== 'agent') return;
        // most customers answer; some go silent (the inactivity timer ends those)
        if (cust.replies < 3 && chance(0.75)) {
          cust.replies++;
          setTimeout(() => void send(cust.externalId, pick(CUSTOMER_REPLIES)), t(15_000 + randomInt(45_000)));
        }
      } catch {
        /* not ours */
      }
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const port = (hook.address() as { port: number }).port;
  // every team serves the simulated API traffic, so every simulated agent gets work
  const teams = (await admin.call<{ items: any[] }>('GET', '/api/teams?active=true')).body.items.map((tm) => tm.id);
  // the webhook listens on loopback, which Parâmetros refuse by default (allowPrivateWebhookTargets)
  const allowed = await admin.call('PATCH', '/api/settings', { allowPrivateWebhookTargets: true });
  if (allowed.status !== 200) throw new Error(`allowing the loopback webhook failed (${allowed.status}): ${JSON.stringify(allowed.body)}`);
  const hooked = await admin.call('PATCH', `/api/services/${api.id}`, { outboundWebhookUrl: `http://127.0.0.1:${port}/hook`, teamIds: teams });
  if (hooked.status !== 200) throw new Error(`setting the demo webhook failed (${hooked.status}): ${JSON.stringify(hooked.body)}`);
  api.teamIds = teams;
  const { token } = (await admin.call('POST', `/api/services/${api.id}/api-credentials`)).body;
  let sent = 0;
  async function send(externalId: string, text: string, name?: string) {
    const r = await admin.call('POST', `/api/channels/api/${api.id}/messages`, { contact: { externalId, name }, externalId: `demo-${Date.now()}-${randomInt(1e9)}`, text }, { authorization: `Bearer ${token}` });
    if (r.status === 202) byConversation.set(r.body.conversationId, byConversation.get(r.body.conversationId) ?? { externalId, replies: 0 });
    sent++;
    return r;
  }

  // agents: those of the teams that serve the API service, then the others
  const users = (await admin.call<{ items: any[] }>('GET', '/api/users?active=true')).body.items.filter((u) => u.agentEnabled && u.email.endsWith('@mirante.demo'));
  users.sort((a, b) => Number(b.teamIds.some((t: string) => api.teamIds.includes(t))) - Number(a.teamIds.some((t: string) => api.teamIds.includes(t))));
  const pauses = (await admin.call<{ items: any[] }>('GET', '/api/pause-reasons?active=true')).body.items;
  const classifications = (await admin.call<{ items: any[] }>('GET', '/api/classifications?active=true')).body.items;
  const chosen = users.slice(0, o.agents);
  log(`${chosen.length} agents, ${o.rate} customers/min at peak, speed ×${o.speed}; customers arrive on "${api.name}"`);

  const agentLoops = chosen.map(async (u, i) => {
    const s = new Session(o.url);
    await s.login(u.email, o.password);
    await sleep(t(i * 1500)); // a shift does not start all at once
    await s.call('POST', '/api/agent/login');
    log(`${u.name} entrou (Livre)`);
    const replied = new Map<string, number>();
    // an agent answers each conversation every minute or two (reading, looking things up): handling
    // times of minutes, so queues form at the peaks
    const nextReply = new Map<string, number>();
    // the desk's sign of life, in real time whatever the loop is doing (a pause sleeps 30–150 s, and the
    // server drops an agent silent for 60 s): beside the loop, not inside it
    setInterval(() => void s.call('POST', '/api/agent/heartbeat').catch(() => {}), 20_000).unref();
    for (;;) {
      await sleep(t(2000 + randomInt(2000)));
      const mine = (await s.call<{ items: any[] }>('GET', '/api/conversations?mine=true')).body.items.filter((c) => c.state === 'in_service');
      if (!mine.length && chance(0.01)) {
        const reason = pick(pauses);
        await s.call('POST', '/api/agent/pause', { reasonId: reason.id });
        const length = pauseLengthMs(reason.name);
        log(`${u.name} em pausa (${reason.name}, ${Math.round(length / 60_000)} min)`);
        await sleep(t(length));
        await s.call('POST', '/api/agent/resume');
        continue;
      }
      for (const c of mine) {
        if ((nextReply.get(c.id) ?? 0) > Date.now()) continue;
        nextReply.set(c.id, Date.now() + t(40_000 + randomInt(80_000)));
        const n = replied.get(c.id) ?? 0;
        if (c.lastMessageFrom !== 'customer' && n > 0) {
          // the customer went quiet after an answer: close it sometimes, else wait
          if (chance(0.1)) await finish(s, c, u.name);
          continue;
        }
        if (n >= 2 + randomInt(3)) {
          await finish(s, c, u.name);
          replied.delete(c.id);
          continue;
        }
        await s.call('POST', `/api/conversations/${c.id}/messages`, { text: AGENT_REPLIES[Math.min(n, AGENT_REPLIES.length - 1)] });
        replied.set(c.id, n + 1);
      }
    }
  });

  async function finish(s: Session, c: any, who: string) {
    const roll = Math.random();
    if (roll < 0.05) {
      const targets = (await s.call<any>('GET', `/api/conversations/${c.id}/transfer-targets`)).body;
      const to = targets.agents?.find((a: any) => a.state === 'available' || a.state === 'in_service');
      if (to && (await s.call('POST', `/api/conversations/${c.id}/transfer`, { toAgentId: to.id })).status === 200) {
        log(`${who} transferiu ${c.protocol} para ${to.name}`);
        return;
      }
    }
    const outcome = roll < 0.92 ? 'completed' : 'cancelled';
    // one of the classifications this service offers (those of other services would be refused)
    const usable = classifications.filter((k: any) => !k.serviceIds || k.serviceIds.includes(c.serviceId));
    const classificationId = usable.length ? pick(usable).id : undefined;
    const r = await s.call<any>('POST', `/api/conversations/${c.id}/finish`, { outcome, classificationId });
    if (r.status !== 200) log(`${who} não conseguiu encerrar ${c.protocol}: ${r.status} ${r.body?.message ?? ''}`);
  }

  // arrivals: a Poisson process whose rate follows the hour of the day
  const arrivals = (async () => {
    for (;;) {
      const perMinute = o.rate * dailyCurve(simHour());
      await sleep(t(-Math.log(1 - Math.random()) * (60_000 / Math.max(perMinute, 0.01))));
      const name = `${pick(FIRST)} ${pick(LAST)}`;
      void send(`demo-cliente-${randomInt(1e9)}`, pick(OPENERS), name).catch((err) => log(`envio falhou: ${err.message}`));
    }
  })();
  setInterval(() => log(`${sent} mensagens de clientes enviadas`), 60_000).unref();
  await Promise.race([arrivals, ...agentLoops]);
}

main().catch((err) => {
  console.error(`demo: ${err.message}`);
  process.exit(1);
});
