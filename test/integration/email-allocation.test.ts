import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { receiveEmail } from '../support/email-inbound.js';
import { appForFile, createApiService, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Alocar responsável for queued e-mails (issue 14, seed "Alocando responsável ao atendimento"): a
// selection is pinned to one agent of the service's departments and goes before the rest of the
// queue for that agent; "Retornar para grupo do serviço" unpins it. E-mail capacity is the team's
// max_email, apart from chat's max_chat, and never exceeded.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

async function operation() {
  const team = await createTeam(admin, { maxEmail: 1, maxChat: 1 });
  const mail = await createService(admin, { channel: 'email', teamIds: [team.id] });
  const supUser = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
  const sup = await t.login(supUser.email, supUser.password);
  const [ana, bia] = await Promise.all([
    createUser(admin, { agentEnabled: true, teamIds: [team.id], name: unique('Ana') }),
    createUser(admin, { agentEnabled: true, teamIds: [team.id], name: unique('Bia') }),
  ]);
  return { team, mail, supUser, sup, ana, bia, anaDesk: await t.login(ana.email, ana.password), biaDesk: await t.login(bia.email, bia.password) };
}

/** `n` e-mails queued one minute apart, oldest first. */
async function queuedEmails(serviceId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await receiveEmail(t.runtime.engine, serviceId, { from: `${unique('c').replace(/\W/g, '')}@cliente.test`, subject: `Pedido ${i}`, text: `e-mail ${i}` });
    ids.push(r.conversationId);
    t.clock.advance(60_000);
  }
  await t.settle();
  return ids;
}

const row = async (id: string) =>
  (await t.db.query<{ state: string; agent_id: string | null; priority: string; preferred_agent_id: string | null }>(
    'SELECT state, agent_id, priority, preferred_agent_id FROM conversations WHERE id = $1', [id])).rows[0];
const load = async (agentId: string) =>
  (await t.db.query<{ open_chat: number; open_email: number }>('SELECT open_chat, open_email FROM agent_presence WHERE user_id = $1', [agentId])).rows[0];

describe('Alocar responsável for queued e-mails', () => {
  it('allocated e-mails go to their agent before older ones; e-mail and chat capacities count apart and are never exceeded', async () => {
    const op = await operation();
    const [oldest, middle, newest] = await queuedEmails(op.mail.id, 3);
    const r = await op.sup.post('/api/conversations/assign', { conversationIds: [newest], agentId: op.ana.id });
    expect(r.status).toBe(200);
    expect(r.body.items[0]).toMatchObject({ id: newest, state: 'queued', priority: 'manual', preferredAgentId: op.ana.id });

    // Ana logs in: the allocated (newest) e-mail is hers, ahead of the two older ones
    expect((await op.anaDesk.post('/api/agent/login')).status).toBe(200);
    await t.settle();
    expect(await row(newest)).toMatchObject({ state: 'in_service', agent_id: op.ana.id });
    expect((await row(oldest)).state).toBe('queued');
    expect(await load(op.ana.id)).toEqual({ open_chat: 0, open_email: 1 });

    // full for e-mail (max_email 1), yet free for chat: a chat customer still reaches her
    const chat = await createApiService(t, admin, { teamIds: [op.team.id] });
    expect((await chat.send({ contact: { externalId: unique('chat') }, externalId: unique('m'), text: 'oi' })).status).toBe(202);
    await t.settle();
    expect(await load(op.ana.id)).toEqual({ open_chat: 1, open_email: 1 });
    expect((await row(oldest)).state).toBe('queued');

    // Bia logs in: the oldest of the rest, one only
    expect((await op.biaDesk.post('/api/agent/login')).status).toBe(200);
    await t.settle();
    expect(await row(oldest)).toMatchObject({ state: 'in_service', agent_id: op.bia.id });
    expect((await row(middle)).state).toBe('queued');
    // never above the team's limits
    const over = await t.db.query('SELECT 1 FROM agent_presence WHERE user_id = ANY($1::uuid[]) AND (open_email > 1 OR open_chat > 1)', [[op.ana.id, op.bia.id]]);
    expect(over.rows).toHaveLength(0);
  });

  it('allocates and returns a selection, each audited; bad selections are refused whole, naming the ids', async () => {
    const op = await operation();
    const other = await operation();
    const [a, b, c] = await queuedEmails(op.mail.id, 3);
    const [theirs] = await queuedEmails(other.mail.id, 1);
    const assign = (client: Client, conversationIds: string[], agentId = op.bia.id) => client.post('/api/conversations/assign', { conversationIds, agentId });

    const ok = await assign(op.sup, [a, b]);
    expect(ok.status).toBe(200);
    for (const id of [a, b]) {
      expect(await row(id)).toMatchObject({ state: 'queued', priority: 'manual', preferred_agent_id: op.bia.id });
    }
    const audit = async (id: string) => (await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'conversation' AND entity_id = $1 ORDER BY id`, [id])).rows.map((r) => r.action);
    expect(await audit(a)).toEqual(['assign_manually']);

    // an agent of another department, or none at all: 422 on agentId, nothing pinned
    for (const agentId of [other.ana.id, randomUUID()]) {
      const bad = await assign(op.sup, [c], agentId);
      expect(bad.status).toBe(422);
      expect(bad.body.error.message).toContain('agentId');
    }
    expect((await row(c)).priority).toBe('normal');
    // unknown and out-of-scope ids: 404 naming them; the other department's supervisor sees none of ours
    const ghost = randomUUID();
    const missing = await assign(op.sup, [c, ghost, theirs]);
    expect(missing.status).toBe(404);
    expect(missing.body.error.ids).toEqual([ghost, theirs]);
    expect((await assign(other.sup, [c], other.ana.id)).status).toBe(404);
    expect((await row(c)).priority).toBe('normal');
    expect((await op.anaDesk.post('/api/conversations/assign', { conversationIds: [c], agentId: op.ana.id })).status).toBe(403);

    // Retornar para grupo do serviço: unpinned, ahead of new arrivals
    const back = await op.sup.post('/api/conversations/return-to-queue', { conversationIds: [a, b] });
    expect(back.status).toBe(200);
    for (const id of [a, b]) expect(await row(id)).toMatchObject({ state: 'queued', priority: 'returned', preferred_agent_id: null });
    expect(await audit(a)).toEqual(['assign_manually', 'return_to_queue']);

    // one taken by an agent since: it is in service, so it can be returned, but no longer allocated
    expect((await op.anaDesk.post('/api/agent/login')).status).toBe(200);
    await t.settle();
    const taken = (await row(a)).state === 'in_service' ? a : b;
    expect((await row(taken)).state).toBe('in_service');
    const late = await assign(op.sup, [c, taken]);
    expect(late.status).toBe(409);
    expect(late.body.error.ids).toEqual([taken]);
    expect((await row(c)).priority).toBe('normal');
    const returned = await op.sup.post('/api/conversations/return-to-queue', { conversationIds: [taken] });
    expect(returned.status).toBe(200);
    expect(await row(taken)).toMatchObject({ state: 'queued', agent_id: null, priority: 'returned' });
    // a finished one cannot be returned: 409 naming it
    expect((await other.anaDesk.post('/api/agent/login')).status).toBe(200);
    await t.settle();
    expect((await other.anaDesk.post(`/api/conversations/${theirs}/finish`, { outcome: 'completed' })).status).toBe(200);
    const gone = await other.sup.post('/api/conversations/return-to-queue', { conversationIds: [theirs] });
    expect(gone.status).toBe(409);
    expect(gone.body.error.ids).toEqual([theirs]);
    for (const [body, field] of [[{ conversationIds: [], agentId: op.ana.id }, 'conversationIds'], [{ conversationIds: [c] }, 'agentId']] as const) {
      const bad = await op.sup.post('/api/conversations/assign', body);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain(field);
    }
  });

  it('Consultas → E-mail shows the allocated agent of a queued e-mail (Responsável) until it is returned', async () => {
    const op = await operation();
    const [a, b] = await queuedEmails(op.mail.id, 2);
    const lookback = async () => {
      const r = await op.sup.get(`/api/lookback/conversations?channels=email&serviceIds=${op.mail.id}&states=queued`);
      expect(r.status).toBe(200);
      return new Map((r.body.rows as { id: string; agentId: string | null; preferredAgentId: string | null; preferredAgentName: string | null }[]).map((x) => [x.id, x]));
    };
    const before = await lookback();
    expect(before.get(a)).toMatchObject({ agentId: null, preferredAgentId: null, preferredAgentName: null });
    expect((await op.sup.post('/api/conversations/assign', { conversationIds: [a, b], agentId: op.bia.id })).status).toBe(200);
    const allocated = await lookback();
    for (const id of [a, b]) expect(allocated.get(id)).toMatchObject({ agentId: null, preferredAgentId: op.bia.id, preferredAgentName: op.bia.name });
    expect((await op.sup.post('/api/conversations/return-to-queue', { conversationIds: [b] })).status).toBe(200);
    const after = await lookback();
    expect(after.get(a)).toMatchObject({ preferredAgentName: op.bia.name });
    expect(after.get(b)).toMatchObject({ preferredAgentId: null, preferredAgentName: null });
  });
});
