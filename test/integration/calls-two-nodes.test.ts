// A WebChat call across two nodes on one PostgreSQL and one Redis: the customer's widget on node A,
// the agent's desk on node B. The call's changes cross as events, its signalling through the
// ephemeral channel.
import { describe, expect, it } from 'vitest';
import { severalNodesSkipReason, useTwoNodes, webchatAcrossNodes } from '../support/two-nodes.js';

const skipReason = await severalNodesSkipReason();


describe.skipIf(skipReason !== null)(`WebChat calls on two nodes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const { nodes } = useTwoNodes({ background: true });

  it('agent on node B calls the customer on node A: ringing, accept, offer/answer/candidates and hang-up cross', async () => {
    const [a, b] = nodes;
    const { agentWs, client, conversationId } = await webchatAcrossNodes(a, b, 'Pode me ligar?');

    agentWs.send({ type: 'call_start', conversationId, kind: 'video' });
    const rang = await client.next<any>((m) => m.type === 'call' && m.call.state === 'ringing', 10_000);
    const callId = rang.call.id;
    client.send({ type: 'call_accept', callId });
    await agentWs.next((m) => m.type === 'call' && m.call.state === 'active', 10_000);
    agentWs.send({ type: 'call_signal', callId, signal: { type: 'offer', sdp: 'offer from B' } });
    expect(await client.next((m) => m.type === 'call_signal', 10_000)).toEqual({ type: 'call_signal', callId, signal: { type: 'offer', sdp: 'offer from B' } });
    client.send({ type: 'call_signal', callId, signal: { type: 'answer', sdp: 'answer from A' } });
    expect(await agentWs.next((m) => m.type === 'call_signal', 10_000)).toEqual({ type: 'call_signal', callId, signal: { type: 'answer', sdp: 'answer from A' } });
    const candidate = { candidate: 'candidate:1 1 udp 1 10.0.0.9 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    client.send({ type: 'call_signal', callId, signal: { type: 'ice', candidate } });
    expect(await agentWs.next((m) => m.type === 'call_signal' && m.signal.type === 'ice', 10_000)).toMatchObject({ signal: { candidate } });
    client.send({ type: 'call_hangup', callId });
    const ended = await agentWs.next<any>((m) => m.type === 'call' && m.call.state === 'ended', 10_000);
    expect(ended.call).toMatchObject({ id: callId, endedBy: 'customer' });
    const { rows } = await a.runtime.engine.db.query<{ state: string; ended_by: string }>('SELECT state, ended_by FROM calls WHERE id = $1', [callId]);
    expect(rows[0]).toEqual({ state: 'ended', ended_by: 'customer' });
    await client.close();
    await agentWs.close();
  });
});
