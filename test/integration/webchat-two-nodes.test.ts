// WebChat across two nodes on one PostgreSQL and one Redis: the customer's socket on node A, the
// agent's desk on node B. Messages, states and typing must cross (events and the ephemeral channel
// both travel through Redis), and what A pushes to the customer is marked delivered.
import { describe, expect, it } from 'vitest';
import { severalNodesSkipReason, useTwoNodes, webchatAcrossNodes } from '../support/two-nodes.js';

const skipReason = await severalNodesSkipReason();


describe.skipIf(skipReason !== null)(`WebChat on two nodes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const { nodes } = useTwoNodes({ background: true });

  it('customer on node A, agent on node B: messages, states and typing cross; pushes are marked delivered', async () => {
    const [a, b] = nodes;
    const { agent, desk, agentWs, client, inService, conversationId } = await webchatAcrossNodes(a, b, 'Olá, vim pelo nó A');
    expect(inService).toMatchObject({ agentName: agent.name });

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
