import { describe, expect, it } from 'vitest';
import { inboundBatchCount, receiveInbound } from '../../src/engine/conversations/inbound.js';
import { appForFile, TWO_STEP, createApiService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Inbound messages that arrive together share a transaction (group commit). Whatever the mix in one
// batch — new customers, replies to queued and assigned conversations, repeated deliveries, a bot,
// refused messages — each caller gets exactly what the one-message-at-a-time path would answer.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const apiService = (over: Record<string, unknown> = {}) => createApiService(t, admin, over);

async function history(conversationId: string) {
  return (await admin.get(`/api/conversations/${conversationId}`)).body as { conversation: any; messages: any[] };
}

describe('inbound messages in batches', () => {
  it('40 customers writing at once: one conversation each, every message once and in order, protocols unique, events complete', async () => {
    const team = await createTeam(admin, { maxChat: 5 });
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    const { service, send } = await apiService({ teamIds: [team.id] });
    const desk = await t.login(agent.email, agent.password);
    expect((await desk.post('/api/agent/login')).status).toBe(200);
    const batchesBefore = inboundBatchCount(t.runtime.engine);
    const tag = unique('lote').replace(/\W/g, '');
    const CUSTOMERS = 40;
    const EACH = 4;
    // each customer waits for the answer before writing again; the customers write concurrently
    const answers = await Promise.all(
      Array.from({ length: CUSTOMERS }, async (_, c) => {
        const got = [];
        for (let j = 0; j < EACH; j++) {
          const body = { contact: { externalId: `${tag}-c${c}`, name: `Cliente ${c}` }, externalId: `${tag}-c${c}-m${j}`, text: `mensagem ${j} de ${c}` };
          // the second message is delivered twice at the same time, as a provider retrying would
          const [r, again] = await Promise.all([send(body), j === 1 ? send(body) : null]);
          got.push({ r, again });
        }
        return got;
      }),
    );
    await t.settle();
    const messages = CUSTOMERS * (EACH + 1);
    // the test means nothing unless messages really shared transactions
    expect(inboundBatchCount(t.runtime.engine) - batchesBefore).toBeLessThan(messages);

    const protocols = new Set<string>();
    for (const [c, got] of answers.entries()) {
      for (const { r, again } of got) {
        expect(r.status).toBe(202);
        if (again) {
          expect(again.status).toBe(202);
          // one of the two copies is stored, the other is answered as a duplicate of it
          expect([r.body.duplicate, again.body.duplicate].sort()).toEqual([false, true]);
          expect(again.body.messageId).toBe(r.body.messageId);
        } else expect(r.body.duplicate).toBe(false);
      }
      const ids = new Set(got.map((g) => g.r.body.conversationId));
      expect(ids.size).toBe(1);
      const conversationId = got[0].r.body.conversationId;
      protocols.add(got[0].r.body.protocol);
      const h = await history(conversationId);
      expect(h.conversation.serviceId).toBe(service.id);
      expect(h.messages.map((m) => [m.authorType, m.authorType === 'system' ? 'protocolo' : m.body])).toEqual([
        ['system', 'protocolo'],
        ...Array.from({ length: EACH }, (_, j) => ['customer', `mensagem ${j} de ${c}`]),
      ]);
      expect(h.messages[0].body).toBe(`Seu número de protocolo é ${h.conversation.protocol}.`);
      expect(h.conversation.lastMessageFrom).toBe('customer');
      const { rows } = await t.db.query<{ type: string; n: number }>(
        `SELECT type, count(*)::int AS n FROM events WHERE conversation_id = $1 GROUP BY type`,
        [conversationId],
      );
      const byType = Object.fromEntries(rows.map((r) => [r.type, r.n]));
      expect(byType['conversation.created']).toBe(1);
      expect(byType['message.created']).toBe(EACH + 1);
    }
    expect(protocols.size).toBe(CUSTOMERS);
    // one contact per customer, whatever batch their messages fell in
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM contact_identities WHERE external_id LIKE $1`, [`${tag}-%`]);
    expect(rows[0].n).toBe(CUSTOMERS);
    // routing ran: the agent has five of them, the rest wait with their give-up clock
    const { rows: states } = await t.db.query<{ state: string; n: number; timers: number }>(
      `SELECT c.state, count(*)::int AS n, count(tm.id)::int AS timers FROM conversations c
         LEFT JOIN timers tm ON tm.conversation_id = c.id AND tm.kind = CASE WHEN c.state = 'queued' THEN 'queue_timeout' ELSE 'inactive_in_service' END
        WHERE c.service_id = $1 GROUP BY c.state`,
      [service.id],
    );
    expect(Object.fromEntries(states.map((s) => [s.state, [s.n, s.timers]]))).toEqual({ in_service: [5, 5], queued: [CUSTOMERS - 5, CUSTOMERS - 5] });
  });

  it('a batch mixing a bot, refused messages and plain ones answers each caller as alone', async () => {
    const plain = await apiService();
    const bot = await apiService({ botFlow: TWO_STEP });
    const gone = await apiService();
    const tag = unique('mix').replace(/\W/g, '');
    // a conversation that already waits in the plain queue
    const waiting = await plain.send({ contact: { externalId: `${tag}-w` }, externalId: `${tag}-w0`, text: 'oi' });
    expect(waiting.status).toBe(202);
    expect((await admin.patch(`/api/services/${gone.service.id}`, { active: false })).status).toBe(200);

    // straight to the engine, as every channel calls it (WebChat passes bot options; the API cannot)
    const engine = t.runtime.engine;
    const msg = (serviceId: string, contact: string, externalId: string, text: string, option?: string) =>
      receiveInbound(engine, { serviceId, channel: 'api', contact: { externalId: contact }, externalId, text, option });
    const r = await Promise.allSettled([
      msg(plain.service.id, `${tag}-w`, `${tag}-w1`, 'ainda aqui'),
      ...Array.from({ length: 10 }, (_, i) => msg(plain.service.id, `${tag}-p${i}`, `${tag}-p${i}`, `novo ${i}`)),
      msg(bot.service.id, `${tag}-b`, `${tag}-b0`, 'quero falar'),
      // an option to a conversation that is not in the bot: 409, and nothing of it is kept
      msg(plain.service.id, `${tag}-w`, `${tag}-w2`, '1', 'a'),
      msg(gone.service.id, `${tag}-g`, `${tag}-g0`, 'alguém?'),
      msg(plain.service.id, `${tag}-w`, `${tag}-w3`, 'olá?'),
    ]);
    await t.settle();
    expect(r.map((x) => x.status)).toEqual([...Array(12).fill('fulfilled'), 'rejected', 'rejected', 'fulfilled']);
    const value = (i: number) => (r[i] as PromiseFulfilledResult<Awaited<ReturnType<typeof receiveInbound>>>).value;
    const reason = (i: number) => (r[i] as PromiseRejectedResult).reason;
    expect(reason(12)).toMatchObject({ status: 409, code: 'not_in_bot' });
    expect(reason(13)).toMatchObject({ status: 404 });

    const w = await history(waiting.body.conversationId);
    expect(w.messages.filter((m) => m.authorType === 'customer').map((m) => m.body)).toEqual(['oi', 'ainda aqui', 'olá?']);
    expect([value(0).conversationId, value(14).conversationId]).toEqual([waiting.body.conversationId, waiting.body.conversationId]);
    for (let i = 1; i <= 10; i++) {
      expect(value(i)).toMatchObject({ created: true, duplicate: false });
      const h = await history(value(i).conversationId);
      expect(h.conversation.state).toBe('queued');
      expect(h.messages.map((m) => m.body)).toEqual([`Seu número de protocolo é ${value(i).protocol}.`, `novo ${i - 1}`]);
    }
    // the bot greeted its customer and waits for an answer
    const b = await history(value(11).conversationId);
    expect(b.conversation.state).toBe('bot');
    expect(b.messages.map((m) => m.authorType)).toEqual(['system', 'customer', 'bot']);
    expect(b.messages[2].body).toContain('Escolha:');
    // nothing was stored for the refused ones
    const { rows } = await t.db.query(`SELECT 1 FROM contact_identities WHERE external_id = $1`, [`${tag}-g`]);
    expect(rows).toHaveLength(0);
    const { rows: kept } = await t.db.query(`SELECT 1 FROM messages WHERE external_id = $1`, [`${tag}-w2`]);
    expect(kept).toHaveLength(0);
  });

  it('a rotated token stops working at once; a deactivated service answers 404 at once', async () => {
    const { service, creds, send } = await apiService();
    const tag = unique('tok').replace(/\W/g, '');
    expect((await send({ contact: { externalId: tag }, externalId: `${tag}-1`, text: 'oi' })).status).toBe(202);
    const rotated = (await admin.post(`/api/services/${service.id}/api-credentials`)).body;
    await t.settle();
    const old = await send({ contact: { externalId: tag }, externalId: `${tag}-2`, text: 'de novo' }, creds.token);
    expect(old.status).toBe(401);
    expect((await send({ contact: { externalId: tag }, externalId: `${tag}-3`, text: 'de novo' }, rotated.token)).status).toBe(202);
    expect((await admin.patch(`/api/services/${service.id}`, { active: false })).status).toBe(200);
    await t.settle();
    expect((await send({ contact: { externalId: tag }, externalId: `${tag}-4`, text: 'e agora' }, rotated.token)).status).toBe(404);
  });
});
