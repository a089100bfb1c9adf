import { randomInt } from 'node:crypto';
import { pauseLengthMs } from './clock.js';
import { AGENT_REPLIES, EMAIL_REPLIES } from './lines.js';
import { chance, pick, type DemoEnv } from './people.js';
import type { StartActive } from './campaign.js';
import { Session } from './session.js';

// The demo's agents: each signs in, goes Livre, answers the conversations routed to them, finishes
// them with a classification (now and then transfers one), and takes pauses with their reasons'
// realistic lengths, all through the agent HTTP API, with the desk's heartbeat beside.

/** The agents to simulate: first enough to cover every team (each service gets someone), then the rest in order. */
export function chooseAgents<T extends { teamIds: string[] }>(users: T[], count: number): T[] {
  const chosen: T[] = [];
  const covered = new Set<string>();
  const rest = [...users];
  while (chosen.length < count && rest.length) {
    let best = 0;
    let gain = -1;
    rest.forEach((u, i) => {
      const g = u.teamIds.filter((t) => !covered.has(t)).length;
      if (g > gain) [best, gain] = [i, g];
    });
    const [u] = rest.splice(gain > 0 ? best : 0, 1);
    u.teamIds.forEach((t) => covered.add(t));
    chosen.push(u);
  }
  return chosen;
}

/** The shortest real wait between an agent's looks at their conversations, whatever the speed. */
const MIN_POLL_MS = 750;

/** What an agent writes in a free-text field of the wrap-up form. */
const WRAPUP_NOTES = ['Cliente orientado por telefone também', 'Retornar na próxima semana', 'Enviado protocolo por e-mail', 'Cliente satisfeito'];

interface WrapupFormField {
  key: string;
  type: 'text' | 'number' | 'select' | 'boolean';
  options?: string[];
}

const forms = new Map<string, Promise<WrapupFormField[]>>();

/** A service's wrap-up form, read once (GET /api/services/:id/wrapup-fields). */
function wrapupForm(s: Session, serviceId: string): Promise<WrapupFormField[]> {
  let form = forms.get(serviceId);
  if (!form) {
    form = s.call<{ items: WrapupFormField[] }>('GET', `/api/services/${serviceId}/wrapup-fields`).then((r) => (r.status === 200 ? r.body.items : []));
    forms.set(serviceId, form);
  }
  return form;
}

/** Answers to a form: a select's option, yes or no, a number, and now and then a note. */
function wrapupAnswers(form: WrapupFormField[]): Record<string, string | number | boolean> | undefined {
  const answers: Record<string, string | number | boolean> = {};
  for (const f of form) {
    if (f.type === 'select' && f.options?.length) answers[f.key] = pick(f.options);
    else if (f.type === 'boolean') answers[f.key] = chance(0.75);
    else if (f.type === 'number') answers[f.key] = randomInt(1, 10);
    else if (f.type === 'text' && chance(0.25)) answers[f.key] = pick(WRAPUP_NOTES);
  }
  return Object.keys(answers).length ? answers : undefined;
}

export async function runAgents(
  env: DemoEnv,
  o: { url: string; password: string; agents: number; admin: Session; wait: (ms: number) => Promise<void>; active?: StartActive | null },
): Promise<{ count: number; readonly pauses: number; stopped(): Promise<void> }> {
  const { t, tally, log } = env;
  const users = (await o.admin.call<{ items: any[] }>('GET', '/api/users?active=true')).body.items.filter((u) => u.agentEnabled && u.email.endsWith('@mirante.demo'));
  const pauses = (await o.admin.call<{ items: any[] }>('GET', '/api/pause-reasons?active=true')).body.items;
  const classifications = (await o.admin.call<{ items: any[] }>('GET', '/api/classifications?active=true')).body.items;
  const chosen = chooseAgents(users, o.agents);
  let paused = 0;
  const heartbeats: NodeJS.Timeout[] = [];

  async function finish(s: Session, c: any, who: string) {
    const roll = Math.random();
    if (roll < 0.05) {
      const targets = (await s.call<any>('GET', `/api/conversations/${c.id}/transfer-targets`)).body;
      // a Livre agent with nothing open; the colleague can still pause (or fill up) before the transfer
      // lands, and Mirante's 409 then is its guard working: this agent finishes the conversation instead
      const to = targets?.agents?.find((a: any) => a.state === 'available' && a.open === 0);
      if (to && (await s.call('POST', `/api/conversations/${c.id}/transfer`, { toAgentId: to.id }, {}, [409])).status === 200) {
        log(`${who} transferiu ${c.protocol} para ${to.name}`);
        return;
      }
    }
    const outcome = roll < 0.92 ? 'completed' : 'cancelled';
    // one of the classifications this service offers (those of other services would be refused)
    const usable = classifications.filter((k: any) => !k.serviceIds || k.serviceIds.includes(c.serviceId));
    const classificationId = usable.length ? pick(usable).id : undefined;
    // the service's wrap-up form (Campos da ficha), filled in on most ends as an agent would
    const fields = outcome === 'completed' && chance(0.8) ? wrapupAnswers(await wrapupForm(s, c.serviceId)) : undefined;
    const r = await s.call<any>('POST', `/api/conversations/${c.id}/finish`, { outcome, classificationId, fields });
    if (r.status !== 200) log(`${who} não conseguiu encerrar ${c.protocol}: ${r.status} ${r.body?.message ?? ''}`);
  }

  const loops = chosen.map(async (u, i) => {
    const s = new Session(o.url, tally);
    await s.login(u.email, o.password);
    await o.wait(t(i * 1500)); // a shift does not start all at once
    if (tally.stopped) return;
    await s.call('POST', '/api/agent/login');
    log(`${u.name} entrou (Livre)`);
    // the desk's sign of life, in real time whatever the loop is doing (a pause lasts minutes, and the
    // server drops an agent silent for 60 s): beside the loop, not inside it
    heartbeats.push(setInterval(() => void s.call('POST', '/api/agent/heartbeat').catch(() => undefined), 20_000));
    const replied = new Map<string, number>();
    // an agent answers each conversation every minute or two (reading, looking things up): handling
    // times of minutes, so queues form at the peaks
    const nextReply = new Map<string, number>();
    while (!tally.stopped) {
      await o.wait(Math.max(t(2000 + randomInt(2000)), MIN_POLL_MS));
      if (tally.stopped) return;
      const mine = ((await s.call<{ items: any[] }>('GET', '/api/conversations?mine=true')).body?.items ?? []).filter((c) => c.state === 'in_service');
      if (!mine.length && chance(0.01 * Math.max(1, MIN_POLL_MS / t(3000)))) {
        const reason = pick(pauses);
        await s.call('POST', '/api/agent/pause', { reasonId: reason.id });
        paused++;
        const length = pauseLengthMs(reason.name);
        log(`${u.name} em pausa (${reason.name}, ${Math.round(length / 60_000)} min)`);
        await o.wait(t(length));
        if (tally.stopped) return;
        await s.call('POST', '/api/agent/resume');
        continue;
      }
      // now and then, with room for one more, an agent of the WhatsApp service starts an active
      // conversation (Relatórios → Mensagens ativas): the template is its first message, so the agent
      // writes again only once the customer answers (below: a free text outside WhatsApp's 24-hour window is refused)
      if (o.active && mine.length < 2 && chance(0.02 * Math.max(1, MIN_POLL_MS / t(3000)))) await o.active(s, u.name);
      for (const c of mine) {
        if (tally.stopped) return;
        if ((nextReply.get(c.id) ?? 0) > Date.now()) continue;
        nextReply.set(c.id, Date.now() + t(40_000 + randomInt(80_000)));
        // an active conversation the customer has not answered is the template alone (taken over by
        // a transfer too): wait for the answer, as its first agent does
        const n = replied.get(c.id) ?? (c.direction === 'outbound' && c.lastMessageFrom !== 'customer' ? 1 : 0);
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
        // an e-mail is answered as the desk's e-mail composer does: a reply to the sender, with a greeting and a sign-off
        const body = c.channel === 'email'
          ? { text: `Olá,\n\n${pick(EMAIL_REPLIES)}\n\nAtenciosamente,\n${u.name}`, email: { mode: 'reply' } }
          : { text: AGENT_REPLIES[Math.min(n, AGENT_REPLIES.length - 1)] };
        await s.call('POST', `/api/conversations/${c.id}/messages`, body);
        replied.set(c.id, n + 1);
      }
    }
  });
  const all = Promise.all(loops);
  all.catch((err) => tally.refuse('agent loop', 0, (err as Error).message));
  return {
    count: chosen.length,
    get pauses() {
      return paused;
    },
    async stopped() {
      heartbeats.forEach(clearInterval);
      await all.catch(() => undefined);
    },
  };
}
