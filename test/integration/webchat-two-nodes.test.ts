// WebChat across two nodes on one PostgreSQL and one Redis: the customer's socket on node A, the
// agent's desk on node B. Messages, states and typing must cross (events and the ephemeral channel
// both travel through Redis), and what A pushes to the customer is marked delivered.
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, createService, createTeam, createUser } from '../support/test-app.js';
import { newVisitor, WidgetClient } from '../support/widget-client.js';
import { WsClient } from '../support/ws-client.js';
import { severalNodesSkipReason, useTwoNodes } from '../support/two-nodes.js';

const skipReason = await severalNodesSkipReason();


describe.skipIf(skipReason !== null)(`WebChat on two nodes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const { nodes } = useTwoNodes({ background: true });

  it('customer on node A, agent on node B: messages, states and typing cross; pushes are marked delivered', async () => {
    const [a, b] = nodes;
    const admin = new Client(b.url);
    await admin.post('/api/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const team = await createTeam(admin);
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    const service = await createService(admin, { teamIds: [team.id] });

    const desk = new Client(b.url);
    await desk.post('/api/auth/login', { email: agent.email, password: agent.password });
    const agentWs = await WsClient.open(b.url, desk.cookie);
    agentWs.send({ type: 'subscribe', stream: 'agent' });
    await agentWs.next((m) => m.type === 'caught_up');
    await desk.post('/api/agent/login');

    const id = await newVisitor(a.url, service.key);
    const { client } = await WidgetClient.connect(a.url, service.key, id);
    client.say('Olá, vim pelo nó A');
    expect(await client.state('in_service', 0, 10_000)).toMatchObject({ agentName: agent.name });
    const assigned = await agentWs.next<any>((m) => m.type === 'event' && 'reason' in m.event && m.event.reason === 'assigned', 10_000);
    const conversationId = assigned.event.conversation.id;

    await desk.post(`/api/conversations/${conversationId}/messages`, { text: 'Resposta pelo nó B' });
    const reply = await client.next<any>((m) => m.type === 'message' && m.message.from === 'agent', 10_000);
    expect(reply.message.text).toBe('Resposta pelo nó B');

    agentWs.send({ type: 'typing', conversationId });
    expect(await client.next((m) => m.type === 'typing', 10_000)).toMatchObject({ from: 'agent', name: agent.name });
    client.send({ type: 'typing' });
    expect(await agentWs.next((m) => m.type === 'typing', 10_000)).toMatchObject({ conversationId, from: 'customer' });

    // node A pushed it, so node A marked it delivered
    let status = '';
    for (let i = 0; i < 50 && status !== 'delivered'; i++) {
      const { rows } = await a.runtime.engine.db.query<{ delivery_status: string }>(
        `SELECT delivery_status FROM messages WHERE conversation_id = $1 AND author_type = 'agent'`,
        [conversationId],
      );
      status = rows[0]?.delivery_status ?? '';
      if (status !== 'delivered') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('delivered');
    await client.close();
    await agentWs.close();
  });
});
