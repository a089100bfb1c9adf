import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { receiveEmail } from '../support/email-inbound.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';
import { WsClient } from '../support/ws-client.js';

// Filtro de E-mail (issue 14): on a service with the filter on, a new e-mail waits in `triage` until a
// supervisor of its service accepts it (to the queue) or deletes it (`discarded`); both take many ids,
// all or nothing, each audited and pushed live. E-mails arrive through the engine's inbound path, as
// the mailbox worker delivers them (support/email-inbound.ts).

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

/** A department with a supervisor and an e-mail service with the filter on (and one without). */
async function operation() {
  const team = await createTeam(admin);
  const filtered = await createService(admin, { channel: 'email', emailTriage: true, teamIds: [team.id] });
  const direct = await createService(admin, { channel: 'email', teamIds: [team.id] });
  const supUser = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
  const sup = await t.login(supUser.email, supUser.password);
  const agentUser = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const desk = await t.login(agentUser.email, agentUser.password);
  return { team, filtered, direct, supUser, sup, desk };
}

const mail = (over: Partial<Parameters<typeof receiveEmail>[2]> = {}) => ({
  from: `${unique('cliente').replace(/\W/g, '')}@cliente.test`,
  name: 'Maria Souza',
  subject: unique('Segunda via do boleto'),
  text: 'Bom dia, preciso da segunda via do boleto de novembro.',
  ...over,
});

const stateOf = async (id: string) => (await t.db.query<{ state: string }>('SELECT state FROM conversations WHERE id = $1', [id])).rows[0].state;
const auditOf = async (id: string) =>
  (await t.db.query<{ action: string; actor_id: string }>('SELECT action, actor_id FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id', ['conversation', id])).rows;

describe('Filtro de E-mail', () => {
  it('a new e-mail on a filtered service waits in the filter; on another e-mail service it is queued', async () => {
    const op = await operation();
    const a = await receiveEmail(t.runtime.engine, op.filtered.id, mail());
    const b = await receiveEmail(t.runtime.engine, op.direct.id, mail());
    await t.settle();
    const row = (await t.db.query('SELECT state, triage_at, queued_at FROM conversations WHERE id = $1', [a.conversationId])).rows[0];
    expect(row.state).toBe('triage');
    expect(row.triage_at).not.toBeNull();
    expect(row.queued_at).toBeNull();
    expect(await stateOf(b.conversationId)).toBe('queued');
    // many at once (the inbound batcher takes them together): each its own conversation, each in the filter
    const burst = await Promise.all(Array.from({ length: 6 }, () => receiveEmail(t.runtime.engine, op.filtered.id, mail())));
    expect(new Set(burst.map((r) => r.conversationId)).size).toBe(6);
    for (const r of burst) expect(await stateOf(r.conversationId)).toBe('triage');
  });

  it('lists the supervisor’s waiting e-mails, oldest first, with sender, subject, service, files and a preview', async () => {
    const op = await operation();
    const first = mail({
      subject: 'Contrato assinado',
      text: 'Segue o contrato assinado e o comprovante. '.repeat(10),
      files: [
        { name: 'contrato.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4 contrato') },
        { name: 'comprovante.png', type: 'image/png', data: Buffer.from('png-bytes') },
      ],
    });
    const a = await receiveEmail(t.runtime.engine, op.filtered.id, first);
    t.clock.advance(60_000);
    const b = await receiveEmail(t.runtime.engine, op.filtered.id, mail({ name: undefined }));
    const r = await op.sup.get('/api/email-triage');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(2);
    expect(r.body.items.map((i: { id: string }) => i.id)).toEqual([a.conversationId, b.conversationId]);
    expect(r.body.items[0]).toMatchObject({
      protocol: a.protocol, fromName: 'Maria Souza', fromAddress: first.from, subject: 'Contrato assinado',
      serviceId: op.filtered.id, serviceName: op.filtered.name, attachments: 2,
    });
    expect(r.body.items[0].preview).toBe(first.text.slice(0, 200));
    expect(r.body.items[1]).toMatchObject({ fromName: null, attachments: 0 });
    // Qtd E-mail(s): the oldest n; the total stays
    const one = await op.sup.get('/api/email-triage?limit=1');
    expect(one.body.items.map((i: { id: string }) => i.id)).toEqual([a.conversationId]);
    expect(one.body.total).toBe(2);
  });

  it('is scoped: a supervisor sees only their services, the service filter narrows, bad input names the field', async () => {
    const op = await operation();
    const other = await operation();
    const mine = await receiveEmail(t.runtime.engine, op.filtered.id, mail());
    const theirs = await receiveEmail(t.runtime.engine, other.filtered.id, mail());
    const ids = async (c: Client, q = '') => ((await c.get(`/api/email-triage${q}`)).body.items as { id: string }[]).map((i) => i.id);
    expect(await ids(op.sup)).toEqual([mine.conversationId]);
    expect(await ids(other.sup)).toEqual([theirs.conversationId]);
    expect(await ids(admin, `?serviceId=${op.filtered.id}&limit=200`)).toEqual([mine.conversationId]);
    expect(await ids(op.sup, `?serviceId=${op.direct.id}`)).toEqual([]);
    // another department's service is not one of theirs: unknown
    const out = await op.sup.get(`/api/email-triage?serviceId=${other.filtered.id}`);
    expect(out.status).toBe(404);
    expect(out.body.error.message).toContain(other.filtered.id);
    const ghost = randomUUID();
    expect((await admin.get(`/api/email-triage?serviceId=${ghost}`)).status).toBe(404);
    for (const [q, field] of [['?limit=0', 'limit'], ['?limit=201', 'limit'], ['?limit=muitos', 'limit'], ['?serviceId=abc', 'serviceId'], ['?x=1', 'x']]) {
      const bad = await op.sup.get(`/api/email-triage${q}`);
      expect(bad.status, q).toBe(400);
      expect(bad.body.error.message, q).toContain(field);
    }
    expect((await op.desk.get('/api/email-triage')).status).toBe(403);
  });

  it('Aceitar e-mail(s): all go to the queue and to a free agent, each audited, pushed to its supervisors only', async () => {
    const op = await operation();
    const other = await operation();
    const supWs = await WsClient.open(t.url, op.sup.cookie);
    const otherWs = await WsClient.open(t.url, other.sup.cookie);
    for (const ws of [supWs, otherWs]) {
      ws.send({ type: 'subscribe', stream: 'monitor' });
      await ws.next((m) => m.type === 'caught_up');
    }
    const a = await receiveEmail(t.runtime.engine, op.filtered.id, mail());
    const b = await receiveEmail(t.runtime.engine, op.filtered.id, mail());
    await t.settle();
    const r = await op.sup.post('/api/email-triage/accept', { conversationIds: [a.conversationId, b.conversationId, a.conversationId] });
    expect(r.status).toBe(200);
    expect(r.body.items.map((c: { id: string; state: string }) => [c.id, c.state])).toEqual([[a.conversationId, 'queued'], [b.conversationId, 'queued']]);
    for (const id of [a.conversationId, b.conversationId]) {
      expect(await auditOf(id)).toEqual([{ action: 'accept_email', actor_id: op.supUser.id }]);
      const ev = await supWs.next<any>((m) => m.type === 'event' && m.event.type === 'conversation.updated' && m.event.reason === 'triage_accepted' && m.event.conversation.id === id);
      expect(ev.event.conversation).toMatchObject({ state: 'queued', serviceId: op.filtered.id });
    }
    await t.settle();
    expect(otherWs.events().filter((e) => 'conversation' in e && [a.conversationId, b.conversationId].includes(e.conversation.id))).toEqual([]);
    // from the queue, routing as usual: the agent who logs in gets one
    expect((await op.desk.post('/api/agent/login')).status).toBe(200);
    await t.settle();
    expect([await stateOf(a.conversationId), await stateOf(b.conversationId)]).toContain('in_service');
    // no longer in the filter: 409 naming them, nothing audited twice
    const again = await op.sup.post('/api/email-triage/accept', { conversationIds: [a.conversationId] });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'not_in_triage', ids: [a.conversationId] });
    expect(await auditOf(a.conversationId)).toHaveLength(1);
    await Promise.all([supWs.close(), otherWs.close()]);
  });

  it('Apagar e-mail(s): discarded and kept, nothing sent to the customer, each audited', async () => {
    const op = await operation();
    const a = await receiveEmail(t.runtime.engine, op.filtered.id, mail());
    const b = await receiveEmail(t.runtime.engine, op.filtered.id, mail());
    const r = await op.sup.post('/api/email-triage/discard', { conversationIds: [a.conversationId, b.conversationId] });
    expect(r.status).toBe(200);
    for (const id of [a.conversationId, b.conversationId]) {
      const row = (await t.db.query('SELECT state, finished_at, finished_by FROM conversations WHERE id = $1', [id])).rows[0];
      expect(row).toMatchObject({ state: 'discarded', finished_by: 'supervisor' });
      expect(row.finished_at).not.toBeNull();
      // the customer's e-mail is kept; only the protocol notice precedes it, no closing message follows
      const msgs = (await t.db.query<{ author_type: string }>('SELECT author_type FROM messages WHERE conversation_id = $1 ORDER BY id', [id])).rows;
      expect(msgs.map((m) => m.author_type)).toEqual(['system', 'customer']);
      expect(await auditOf(id)).toEqual([{ action: 'discard_email', actor_id: op.supUser.id }]);
    }
    expect((await op.sup.get('/api/email-triage')).body.total).toBe(0);
    const late = await op.sup.post('/api/email-triage/accept', { conversationIds: [b.conversationId] });
    expect(late.status).toBe(409);
    expect(late.body.error.ids).toEqual([b.conversationId]);
  });

  it('all or nothing: unknown, out-of-scope and no-longer-waiting ids are named and nothing changes', async () => {
    const op = await operation();
    const other = await operation();
    const a = await receiveEmail(t.runtime.engine, op.filtered.id, mail());
    const b = await receiveEmail(t.runtime.engine, op.filtered.id, mail());
    const theirs = await receiveEmail(t.runtime.engine, other.filtered.id, mail());
    const ghost = randomUUID();
    const r = await op.sup.post('/api/email-triage/accept', { conversationIds: [a.conversationId, ghost, theirs.conversationId] });
    expect(r.status).toBe(404);
    expect(r.body.error.ids).toEqual([ghost, theirs.conversationId]);
    expect(r.body.error.message).toContain(ghost);
    // the other department's supervisor cannot tell ours from an unknown id
    const probe = await other.sup.post('/api/email-triage/discard', { conversationIds: [a.conversationId] });
    expect(probe.status).toBe(404);
    expect(probe.body.error.ids).toEqual([a.conversationId]);
    expect(await stateOf(a.conversationId)).toBe('triage');
    expect(await stateOf(theirs.conversationId)).toBe('triage');
    // one already discarded in a mixed call: 409 names it, the other stays waiting
    expect((await op.sup.post('/api/email-triage/discard', { conversationIds: [b.conversationId] })).status).toBe(200);
    const mixed = await op.sup.post('/api/email-triage/accept', { conversationIds: [a.conversationId, b.conversationId] });
    expect(mixed.status).toBe(409);
    expect(mixed.body.error.ids).toEqual([b.conversationId]);
    expect(await stateOf(a.conversationId)).toBe('triage');
    expect(await auditOf(a.conversationId)).toEqual([]);
    for (const [body, field] of [[{ conversationIds: [] }, 'conversationIds'], [{ conversationIds: ['x'] }, 'conversationIds'], [{}, 'conversationIds'], [{ conversationIds: [a.conversationId], extra: 1 }, 'extra']] as const) {
      const bad = await op.sup.post('/api/email-triage/accept', body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.message).toContain(field);
    }
    const tooMany = await op.sup.post('/api/email-triage/discard', { conversationIds: Array.from({ length: 201 }, () => randomUUID()) });
    expect(tooMany.status).toBe(400);
    expect((await op.desk.post('/api/email-triage/accept', { conversationIds: [a.conversationId] })).status).toBe(403);
  });
});
