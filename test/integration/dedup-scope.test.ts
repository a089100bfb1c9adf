// A provider's message id is unique per provider account (a WhatsApp number, a bot, an API service),
// not per channel (issue 12, defect 1): two API services that use the same externalId are two
// messages of two customers, while the same service delivering an id twice is one message. The same
// whichever way the message goes in: alone, in a batch's set-based statements, or through the full
// command (a bot) inside a batch.
import { describe, expect, it } from 'vitest';
import { listMigrations } from '../../src/db/migrate.js';
import { inboundBatchCount, receiveInbound, receiveInboundAlone } from '../../src/engine/conversations/inbound.js';
import { appForFile, createApiService, TWO_STEP, unique, type Client, type TestApp } from '../support/test-app.js';

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const apiService = (over: Record<string, unknown> = {}) => createApiService(t, admin, over);
const tagged = (prefix: string) => unique(prefix).replace(/\W/g, '');

async function history(conversationId: string) {
  return (await admin.get(`/api/conversations/${conversationId}`)).body as { conversation: any; messages: any[] };
}

const customerBodies = async (conversationId: string) =>
  (await history(conversationId)).messages.filter((m) => m.authorType === 'customer').map((m) => m.body);

async function storedCount(externalId: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE external_id = $1', [externalId]);
  return rows[0].n;
}

describe('deduplication per service', () => {
  it('two API services, each with its own token, post the same externalId: both stored, each integrator gets its own conversation and protocol', async () => {
    const a = await apiService();
    const b = await apiService();
    const tag = tagged('ordem');
    const id = `${tag}-order-1`;

    const fromA = await a.send({ contact: { externalId: `${tag}-ana`, name: 'Ana' }, externalId: id, text: 'pedido da Ana' });
    const fromB = await b.send({ contact: { externalId: `${tag}-bia`, name: 'Bia' }, externalId: id, text: 'pedido da Bia' });
    await t.settle();
    expect(fromA.status).toBe(202);
    expect(fromB.status).toBe(202);
    expect(fromA.body.duplicate).toBe(false);
    expect(fromB.body.duplicate).toBe(false);
    expect(fromB.body.conversationId).not.toBe(fromA.body.conversationId);
    expect(fromB.body.protocol).not.toBe(fromA.body.protocol);
    expect(fromB.body.messageId).not.toBe(fromA.body.messageId);
    expect((await history(fromA.body.conversationId)).conversation.serviceId).toBe(a.service.id);
    expect((await history(fromB.body.conversationId)).conversation.serviceId).toBe(b.service.id);
    expect(await customerBodies(fromA.body.conversationId)).toEqual(['pedido da Ana']);
    expect(await customerBodies(fromB.body.conversationId)).toEqual(['pedido da Bia']);

    // each service delivering its message again: a duplicate of its own message, nothing stored
    const againA = await a.send({ contact: { externalId: `${tag}-ana` }, externalId: id, text: 'pedido da Ana' });
    const againB = await b.send({ contact: { externalId: `${tag}-bia` }, externalId: id, text: 'pedido da Bia' });
    expect(againA.body).toEqual({ ...fromA.body, duplicate: true });
    expect(againB.body).toEqual({ ...fromB.body, duplicate: true });
    expect(await storedCount(id)).toBe(2);
    expect(await customerBodies(fromA.body.conversationId)).toEqual(['pedido da Ana']);
    expect(await customerBodies(fromB.body.conversationId)).toEqual(['pedido da Bia']);
  });

  it('many posts at once to two services reusing each other’s ids, every one delivered twice: one message per service and id, in batches', async () => {
    const a = await apiService();
    const b = await apiService();
    const tag = tagged('lote');
    const CUSTOMERS = 12;
    const EACH = 3;
    const batchesBefore = inboundBatchCount(t.runtime.engine);
    // customer i of each service writes messages m0, m1, m2 under the same ids as customer i of the
    // other service; half of them even share the contact's id (integrators choose their ids)
    const contactOf = (side: string, i: number) => (i % 2 ? `${tag}-c${i}` : `${tag}-${side}${i}`);
    const messageId = (i: number, j: number) => `${tag}-c${i}-m${j}`;
    const customers = (['a', 'b'] as const).flatMap((side) => Array.from({ length: CUSTOMERS }, (_, i) => ({ side, i, s: side === 'a' ? a : b })));
    // each customer waits for the answer before writing again, every message delivered twice at once
    const answered = await Promise.all(
      customers.map(async ({ side, i, s }) => {
        const got = [];
        for (let j = 0; j < EACH; j++) {
          const body = { contact: { externalId: contactOf(side, i) }, externalId: messageId(i, j), text: `${side} ${i} ${j}` };
          got.push(await Promise.all([s.send(body), s.send(body)]));
        }
        return { side, i, s, got };
      }),
    );
    await t.settle();
    // the test means nothing unless the posts really shared transactions
    expect(inboundBatchCount(t.runtime.engine) - batchesBefore).toBeLessThan(CUSTOMERS * 2 * EACH * 2);

    const conversations = new Map<string, string>();
    for (const { side, i, s, got } of answered) {
      for (const copies of got) {
        for (const r of copies) expect(r.status).toBe(202);
        const [x, y] = copies.map((r) => r.body);
        // one copy stored, the other answered as a duplicate of it
        expect([x.duplicate, y.duplicate].sort()).toEqual([false, true]);
        expect(y).toEqual({ ...x, duplicate: y.duplicate });
      }
      const ids = new Set(got.map(([r]) => r.body.conversationId));
      expect(ids.size).toBe(1);
      const [conversationId] = ids;
      const h = await history(conversationId);
      expect(h.conversation.serviceId).toBe(s.service.id);
      expect(h.messages.filter((m) => m.authorType === 'customer').map((m) => m.body)).toEqual(Array.from({ length: EACH }, (_, j) => `${side} ${i} ${j}`));
      conversations.set(`${side}${i}`, conversationId);
    }
    for (let i = 0; i < CUSTOMERS; i++) {
      expect(conversations.get(`a${i}`)).not.toBe(conversations.get(`b${i}`));
      for (let j = 0; j < EACH; j++) expect(await storedCount(messageId(i, j))).toBe(2);
    }
  });

  it('one batch holding the same id for two services, and each twice: one message per service and id', async () => {
    const a = await apiService();
    const b = await apiService();
    const tag = tagged('junto');
    const engine = t.runtime.engine;
    const batchesBefore = inboundBatchCount(engine);
    // submitted in one turn of the event loop: they go in one transaction
    const msg = (serviceId: string, side: string, i: number) =>
      receiveInbound(engine, { serviceId, channel: 'api', contact: { externalId: `${tag}-${side}${i}` }, externalId: `${tag}-m${i}`, text: `${side} ${i}` });
    const r = await Promise.all(Array.from({ length: 10 }, (_, i) => [msg(a.service.id, 'a', i), msg(b.service.id, 'b', i), msg(a.service.id, 'a', i), msg(b.service.id, 'b', i)]).flat());
    await t.settle();
    expect(inboundBatchCount(engine) - batchesBefore).toBeLessThan(r.length);
    for (let i = 0; i < 10; i++) {
      const [fromA, fromB, againA, againB] = r.slice(i * 4, i * 4 + 4);
      expect([fromA.duplicate, fromB.duplicate, againA.duplicate, againB.duplicate]).toEqual([false, false, true, true]);
      expect(againA).toEqual({ ...fromA, duplicate: true, created: false });
      expect(againB).toEqual({ ...fromB, duplicate: true, created: false });
      expect(fromB.conversationId).not.toBe(fromA.conversationId);
      expect(fromB.protocol).not.toBe(fromA.protocol);
      expect(await customerBodies(fromA.conversationId)).toEqual([`a ${i}`]);
      expect(await customerBodies(fromB.conversationId)).toEqual([`b ${i}`]);
      expect(await storedCount(`${tag}-m${i}`)).toBe(2);
    }
  });

  it('through the full command (a bot) and alone: the same id on two services is two messages, twice on one is one', async () => {
    const a = await apiService({ botFlow: TWO_STEP });
    const b = await apiService({ botFlow: TWO_STEP });
    const tag = tagged('bot');
    const id = `${tag}-m1`;
    const fromA = await a.send({ contact: { externalId: `${tag}-a` }, externalId: id, text: 'oi do A' });
    const fromB = await b.send({ contact: { externalId: `${tag}-b` }, externalId: id, text: 'oi do B' });
    await t.settle();
    expect([fromA.body.duplicate, fromB.body.duplicate]).toEqual([false, false]);
    expect(fromB.body.conversationId).not.toBe(fromA.body.conversationId);
    for (const [r, text] of [[fromA, 'oi do A'], [fromB, 'oi do B']] as const) {
      const h = await history(r.body.conversationId);
      expect(h.conversation.state).toBe('bot');
      expect(h.messages.filter((m) => m.authorType === 'customer').map((m) => m.body)).toEqual([text]);
    }
    expect((await a.send({ contact: { externalId: `${tag}-a` }, externalId: id, text: 'oi do A' })).body).toEqual({ ...fromA.body, duplicate: true });
    expect((await b.send({ contact: { externalId: `${tag}-b` }, externalId: id, text: 'oi do B' })).body).toEqual({ ...fromB.body, duplicate: true });

    // the one-message transaction (what a batch that failed falls back to), on two plain services
    const c = await apiService();
    const d = await apiService();
    const engine = t.runtime.engine;
    const alone = (serviceId: string, contact: string, text: string) =>
      receiveInboundAlone(engine, { serviceId, channel: 'api', contact: { externalId: contact }, externalId: `${tag}-m2`, text });
    const fromC = await alone(c.service.id, `${tag}-c`, 'oi do C');
    const fromD = await alone(d.service.id, `${tag}-d`, 'oi do D');
    await t.settle();
    expect([fromC.duplicate, fromD.duplicate]).toEqual([false, false]);
    expect(fromD.conversationId).not.toBe(fromC.conversationId);
    expect(await customerBodies(fromC.conversationId)).toEqual(['oi do C']);
    expect(await customerBodies(fromD.conversationId)).toEqual(['oi do D']);
    expect(await alone(d.service.id, `${tag}-d`, 'oi do D')).toEqual({ ...fromD, duplicate: true, created: false });
    expect(await storedCount(id)).toBe(2);
    expect(await storedCount(`${tag}-m2`)).toBe(2);
  });

  it('the migration scopes the messages already stored by the service they came in on', async () => {
    // a database as release 0004 left it, in a schema of its own, with messages in it; then 0005
    const schema = tagged('legado').toLowerCase();
    const [before, after] = [listMigrations().filter((m) => m.version <= 4), listMigrations().find((m) => m.version === 5)];
    expect(after?.name).toBe('0005_dedup_per_service.sql');
    await t.db.transaction(async (tx) => {
      await tx.exec(`CREATE SCHEMA ${schema}; SET LOCAL search_path TO ${schema}, public;`);
      for (const m of before) await tx.exec(m.sql);
      await tx.exec(`
        INSERT INTO services (id, name, key, channel) VALUES
          ('00000000-0000-4000-8000-00000000000a', 'A', 'a', 'api'), ('00000000-0000-4000-8000-00000000000b', 'B', 'b', 'api');
        INSERT INTO contacts (id) VALUES ('00000000-0000-4000-8000-0000000000c1');
        INSERT INTO conversations (id, protocol, service_id, entry_service_id, channel, contact_id, state) VALUES
          ('00000000-0000-4000-8000-0000000000e1', 'p1', '00000000-0000-4000-8000-00000000000a', NULL, 'api', '00000000-0000-4000-8000-0000000000c1', 'queued'),
          -- moved from A to B: its messages came in on A
          ('00000000-0000-4000-8000-0000000000e2', 'p2', '00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-00000000000a', 'api', '00000000-0000-4000-8000-0000000000c1', 'queued');
        INSERT INTO messages (conversation_id, channel, external_id, author_type, body) VALUES
          ('00000000-0000-4000-8000-0000000000e1', 'api', 'x1', 'customer', 'um'),
          ('00000000-0000-4000-8000-0000000000e1', 'api', NULL, 'system', 'protocolo'),
          ('00000000-0000-4000-8000-0000000000e2', 'api', 'x2', 'customer', 'dois');`);
      await tx.exec(after!.sql);
      const { rows } = await tx.query<{ body: string; dedup_scope: string | null }>(`SELECT body, dedup_scope FROM ${schema}.messages ORDER BY id`);
      expect(rows).toEqual([
        { body: 'um', dedup_scope: '00000000-0000-4000-8000-00000000000a' },
        { body: 'protocolo', dedup_scope: null },
        { body: 'dois', dedup_scope: '00000000-0000-4000-8000-00000000000a' },
      ]);
      // the same id on another service is a new message now
      await tx.exec(`INSERT INTO messages (conversation_id, channel, external_id, dedup_scope, author_type, body) VALUES
        ('00000000-0000-4000-8000-0000000000e2', 'api', 'x1', '00000000-0000-4000-8000-00000000000b', 'customer', 'outro')`);
      // and the same id on the same service is still refused
      await tx.exec('SAVEPOINT again');
      await expect(
        tx.exec(`INSERT INTO messages (conversation_id, channel, external_id, dedup_scope, author_type, body) VALUES
          ('00000000-0000-4000-8000-0000000000e1', 'api', 'x1', '00000000-0000-4000-8000-00000000000a', 'customer', 'de novo')`),
      ).rejects.toMatchObject({ code: '23505' });
      await tx.exec('ROLLBACK TO SAVEPOINT again');
      // an external id without its scope could never be recognised again: refused
      await expect(
        tx.exec(`INSERT INTO messages (conversation_id, channel, external_id, author_type, body) VALUES
          ('00000000-0000-4000-8000-0000000000e1', 'api', 'x3', 'customer', 'sem escopo')`),
      ).rejects.toMatchObject({ code: '23514' });
      await tx.exec('ROLLBACK TO SAVEPOINT again');
      await tx.exec(`DROP SCHEMA ${schema} CASCADE`);
    });
  });
});
