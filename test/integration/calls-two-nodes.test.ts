// A WebChat call across two nodes on one PostgreSQL and one Redis: the customer's widget on node A,
// the agent's desk on node B. The call's changes cross as events, its signalling through the
// ephemeral channel.
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, createService, createTeam, createUser } from '../support/test-app.js';
import { newVisitor, WidgetClient } from '../support/widget-client.js';
import { WsClient } from '../support/ws-client.js';
import { severalNodesSkipReason, useTwoNodes } from '../support/two-nodes.js';

const skipReason = await severalNodesSkipReason();


describe.skipIf(skipReason !== null)(`WebChat calls on two nodes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const { nodes } = useTwoNodes({ background: true });

  it('agent on node B calls the customer on node A: ringing, accept, offer/answer/candidates and hang-up cross', async () => {
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
    client.say('Pode me ligar?');
    await client.state('in_service', 0, 10_000);
    const assigned = await agentWs.next<any>((m) => m.type === 'event' && 'reason' in m.event && m.event.reason === 'assigned', 10_000);
    const conversationId = assigned.event.conversation.id;

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
