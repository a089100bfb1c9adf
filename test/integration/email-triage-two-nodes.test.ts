// Filtro de E-mail across nodes (issue 14): an e-mail stored by node A and accepted or deleted through
// node A reaches a supervisor watching on node B, through Redis, as it does on one node: the new
// e-mail in triage (the badge's count and the list), then its way out of the filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../src/db/database.js';
import { ensureFirstAdmin } from '../../src/engine/bootstrap.js';
import { receiveEmail } from '../support/email-inbound.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, createService, createTeam, createUser, freshDatabase, unique } from '../support/test-app.js';
import { severalNodesSkipReason, startAppNode, type AppNode } from '../support/two-nodes.js';
import { WsClient } from '../support/ws-client.js';

const skipReason = await severalNodesSkipReason();

describe.skipIf(skipReason !== null)(`the e-mail filter on two nodes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let drop: () => Promise<void>;
  let dbB: Database;
  const nodes: AppNode[] = [];

  const signIn = async (node: AppNode, email: string, password: string) => {
    const c = new Client(node.url);
    const r = await c.post('/api/auth/login', { email, password });
    if (r.status !== 200) throw new Error(`login ${email}: ${r.status}`);
    return c;
  };

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    dbB = openPostgres(fresh.url!);
    await ensureFirstAdmin(fresh.db, ADMIN_EMAIL, ADMIN_PASSWORD);
    nodes.push(await startAppNode('A', fresh.db, { background: false }), await startAppNode('B', dbB, { background: false }));
  }, 60_000);

  afterAll(async () => {
    for (const n of nodes) {
      await n.app.close();
      await n.runtime.stop();
    }
    await dbB?.close();
    await drop?.();
  });

  it('a supervisor on node B sees e-mails enter and leave the filter through node A', async () => {
    const [a, b] = nodes;
    const admin = await signIn(a, ADMIN_EMAIL, ADMIN_PASSWORD);
    const team = await createTeam(admin);
    const service = await createService(admin, { channel: 'email', emailTriage: true, teamIds: [team.id] });
    const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
    const onA = await signIn(a, sup.email, sup.password);
    const onB = await signIn(b, sup.email, sup.password);
    const ws = await WsClient.open(b.url, onB.cookie);
    ws.send({ type: 'subscribe', stream: 'monitor' });
    await ws.next((m) => m.type === 'caught_up');

    const from = () => `${unique('c').replace(/\W/g, '')}@cliente.test`;
    const kept = await receiveEmail(a.runtime.engine, service.id, { from: from(), subject: 'Fica', text: 'aceitar' });
    const gone = await receiveEmail(a.runtime.engine, service.id, { from: from(), subject: 'Sai', text: 'apagar' });
    for (const id of [kept.conversationId, gone.conversationId]) {
      const created = await ws.next<any>((m) => m.type === 'event' && m.event.type === 'conversation.created' && m.event.conversation.id === id, 10_000);
      expect(created.event.conversation.state).toBe('triage');
    }
    // node B's list shows both
    expect(((await onB.get('/api/email-triage')).body.items as { id: string }[]).map((i) => i.id)).toEqual([kept.conversationId, gone.conversationId]);

    expect((await onA.post('/api/email-triage/accept', { conversationIds: [kept.conversationId] })).status).toBe(200);
    expect((await onA.post('/api/email-triage/discard', { conversationIds: [gone.conversationId] })).status).toBe(200);
    const accepted = await ws.next<any>((m) => m.type === 'event' && m.event.type === 'conversation.updated' && m.event.reason === 'triage_accepted', 10_000);
    expect(accepted.event.conversation).toMatchObject({ id: kept.conversationId, state: 'queued' });
    const discarded = await ws.next<any>((m) => m.type === 'event' && m.event.type === 'conversation.updated' && m.event.conversation.id === gone.conversationId && m.event.conversation.state === 'discarded', 10_000);
    expect(discarded.event.conversation.finishedBy).toBe('supervisor');
    expect((await onB.get('/api/email-triage')).body.total).toBe(0);
    await ws.close();
  });
});
