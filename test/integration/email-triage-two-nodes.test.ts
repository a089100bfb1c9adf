// Filtro de E-mail across nodes (issue 14): an e-mail stored by node A and accepted or deleted through
// node A reaches a supervisor watching on node B, through Redis, as it does on one node: the new
// e-mail in triage (the badge's count and the list), then its way out of the filter.
import { describe, expect, it } from 'vitest';
import { receiveEmail } from '../support/email-inbound.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createService, createTeam, createUser, unique } from '../support/test-app.js';
import { severalNodesSkipReason, useTwoNodes } from '../support/two-nodes.js';
import { WsClient } from '../support/ws-client.js';

const skipReason = await severalNodesSkipReason();

describe.skipIf(skipReason !== null)(`the e-mail filter on two nodes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const { nodes, signIn } = useTwoNodes();

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
