import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CallView } from '../../src/contracts/calls.js';
import { RealtimeEvent, type ServerMessage } from '../../src/contracts/events.js';
import type { WidgetServerMessage } from '../../src/contracts/webchat.js';
import { appForFile, createApiService, createService, createTeam, createUser, type Client, type TestApp } from '../support/test-app.js';
import { newVisitor, WidgetClient } from '../support/widget-client.js';
import { WsClient } from '../support/ws-client.js';
import { parseCsv } from '../support/csv.js';

// Calls inside a WebChat conversation (issue 19), through the real sockets: the desk's /ws for the
// agent, /webchat/ws for the customer. The engine's clock is the test's, so the seconds are exact.

let t: TestApp;
let admin: Client;
const TURN_SECRET = 'calls-test-turn-secret';
appForFile((app) => ({ t, admin } = app), { ice: { servers: [{ urls: 'stun:stun.test:3478' }, { urls: 'turn:turn.test:3478' }], turnSecret: TURN_SECRET } });

type CallMsg = Extract<ServerMessage, { type: 'call' }>;
type CallErr = Extract<ServerMessage, { type: 'call_error' }>;
const isCall = (state: CallView['state'], id?: string) => (m: ServerMessage | WidgetServerMessage) => m.type === 'call' && m.call.state === state && (!id || m.call.id === id);
const isError = (code: string) => (m: ServerMessage | WidgetServerMessage) => m.type === 'call_error' && m.code === code;

/** A WebChat conversation in service: the agent's desk socket and the customer's widget socket. */
async function conversation(serviceOver: Record<string, unknown> = {}) {
  const team = await createTeam(admin, { maxChat: 3 });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { teamIds: [team.id], ...serviceOver });
  const desk = await t.login(agent.email, agent.password);
  const ws = await WsClient.open(t.url, desk.cookie);
  ws.send({ type: 'subscribe', stream: 'agent' });
  await ws.next((m) => m.type === 'caught_up');
  await desk.post('/api/agent/login');
  await t.settle();
  const id = await newVisitor(t.url, service.key);
  const { client, welcome } = await WidgetClient.connect(t.url, service.key, id);
  client.say('Quero falar por vídeo');
  await client.state('in_service');
  await t.settle();
  const { rows } = await t.db.query<{ id: string }>(`SELECT id FROM conversations WHERE service_id = $1 AND state = 'in_service'`, [service.id]);
  return { team, agent, service, desk, ws, client, welcome, conversationId: rows[0].id, visitorId: id };
}

const callRow = async (id: string) =>
  (await t.db.query<Record<string, any>>('SELECT * FROM calls WHERE id = $1', [id])).rows[0];

describe('a call in a WebChat conversation', () => {
  it('agent calls (video) → rings on the widget → accepted → signals both ways → switch to audio → hang-up: times and seconds stored, history line, em chamada', async () => {
    const { ws, client, conversationId, agent, welcome } = await conversation();
    expect(welcome.config.customerCalls).toBe(false);
    const started = t.clock.now();
    ws.send({ type: 'call_start', conversationId, kind: 'video' });
    const ringing = await ws.next<CallMsg>(isCall('ringing'));
    const callId = ringing.call.id;
    expect(ringing.call).toMatchObject({ conversationId, kind: 'video', video: true, caller: 'agent', agentId: agent.id, answeredAt: null, audioSeconds: 0, videoSeconds: 0 });
    // the widget rings, with the ICE servers and this call's TURN credential (coturn REST scheme, computed here by hand)
    const rang = await client.next<Extract<WidgetServerMessage, { type: 'call' }>>(isCall('ringing', callId));
    const username = `${Math.floor(started.getTime() / 1000) + 6 * 3600}:${callId}`;
    expect(rang.iceServers).toEqual([
      { urls: 'stun:stun.test:3478' },
      { urls: 'turn:turn.test:3478', username, credential: createHmac('sha1', TURN_SECRET).update(username).digest('base64') },
    ]);
    expect(JSON.stringify(rang)).not.toContain(TURN_SECRET);

    t.clock.advance(4000);
    client.send({ type: 'call_accept', callId });
    const active = await ws.next<CallMsg>(isCall('active', callId));
    expect(active.call.answeredAt).toBe(t.clock.now().toISOString());
    expect(active.iceServers).toBeUndefined();
    await client.next(isCall('active', callId));
    // the monitor's "em chamada"
    const inCall = await ws.next<any>((m) => m.type === 'event' && m.event.type === 'agent.updated' && m.event.agent.id === agent.id && m.event.agent.inCall);
    expect(inCall.event.reason).toBe('call_started');

    // signalling relayed as sent, both ways
    ws.send({ type: 'call_signal', callId, signal: { type: 'offer', sdp: 'v=0 offer-from-agent' } });
    expect(await client.next((m) => m.type === 'call_signal')).toEqual({ type: 'call_signal', callId, signal: { type: 'offer', sdp: 'v=0 offer-from-agent' } });
    client.send({ type: 'call_signal', callId, signal: { type: 'answer', sdp: 'v=0 answer-from-customer' } });
    expect(await ws.next((m) => m.type === 'call_signal')).toEqual({ type: 'call_signal', callId, signal: { type: 'answer', sdp: 'v=0 answer-from-customer' } });
    const candidate = { candidate: 'candidate:1 1 udp 2122260223 10.0.0.2 54400 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    client.send({ type: 'call_signal', callId, signal: { type: 'ice', candidate } });
    ws.send({ type: 'call_signal', callId, signal: { type: 'ice', candidate: null } });
    expect(await ws.next((m) => m.type === 'call_signal' && m.signal.type === 'ice')).toMatchObject({ signal: { type: 'ice', candidate } });
    expect(await client.next((m) => m.type === 'call_signal' && m.signal.type === 'ice')).toMatchObject({ signal: { type: 'ice', candidate: null } });

    // 30 s of video, then the customer turns the camera off: 20 s of audio
    t.clock.advance(30_000);
    client.send({ type: 'call_media', callId, video: false });
    expect(await ws.next((m) => m.type === 'call_media')).toEqual({ type: 'call_media', callId, video: false });
    const switched = await ws.next<CallMsg>((m) => m.type === 'call' && m.call.id === callId && m.call.video === false);
    expect(switched.call).toMatchObject({ state: 'active', videoSeconds: 30, audioSeconds: 0 });
    t.clock.advance(20_000);
    ws.send({ type: 'call_hangup', callId });
    const ended = await client.next<Extract<WidgetServerMessage, { type: 'call' }>>(isCall('ended', callId));
    expect(ended.call).toMatchObject({ endedBy: 'agent', videoSeconds: 30, audioSeconds: 20, failure: null });
    await t.settle();

    const row = await callRow(callId);
    expect(row).toMatchObject({ state: 'ended', kind: 'video', caller: 'agent', ended_by: 'agent', video_seconds: 30, audio_seconds: 20 });
    expect(row.ring_at.getTime()).toBe(started.getTime());
    expect(row.answered_at.getTime()).toBe(started.getTime() + 4000);
    expect(row.ended_at.getTime()).toBe(started.getTime() + 54_000);
    // seconds agree with the times stored
    expect(row.video_seconds + row.audio_seconds).toBe((row.ended_at.getTime() - row.answered_at.getTime()) / 1000);

    // the history: a system line on both sides, the call in it
    const line = await client.next<any>((m) => m.type === 'message' && m.message.from === 'system' && Boolean(m.message.call));
    expect(line.message).toMatchObject({ text: 'Chamada de vídeo, 0:50', call: { id: callId, state: 'ended' } });
    const stored = (await t.db.query<{ body: string; content_type: string; payload: any }>(`SELECT body, content_type, payload FROM messages WHERE conversation_id = $1 AND content_type = 'call'`, [conversationId])).rows;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ body: 'Chamada de vídeo, 0:50', payload: { call: { id: callId, videoSeconds: 30, audioSeconds: 20 } } });
    const off = await ws.next<any>((m) => m.type === 'event' && m.event.type === 'agent.updated' && m.event.reason === 'call_ended');
    expect(off.event.agent.inCall).toBe(false);

    // every call event the desk got is a valid event of the contract
    const callEvents = ws.events().filter((e) => e.type === 'call.updated');
    expect(callEvents.map((e) => e.type === 'call.updated' && e.call.state)).toEqual(['ringing', 'active', 'active', 'ended']);
    for (const e of callEvents) expect(RealtimeEvent.safeParse(e).success).toBe(true);

    // over: no more signals, no second hang-up
    ws.send({ type: 'call_signal', callId, signal: { type: 'offer', sdp: 'late' } });
    expect(await ws.next<CallErr>(isError('conflict'))).toMatchObject({ callId });
    await client.close();
    await ws.close();
  });

  it('the customer calls when the service allows it, the agent declines; without the setting the customer is refused', async () => {
    const closed = await conversation();
    closed.client.send({ type: 'call_start', kind: 'audio' });
    expect(await closed.client.next<any>(isError('forbidden'))).toMatchObject({ message: 'este serviço não aceita chamadas do cliente' });
    expect((await t.db.query('SELECT 1 FROM calls WHERE conversation_id = $1', [closed.conversationId])).rows).toHaveLength(0);

    const { ws, client, conversationId, welcome, service } = await conversation({ customerCalls: true });
    expect(welcome.config.customerCalls).toBe(true);
    expect((await admin.get(`/api/services/${service.id}`)).body.customerCalls).toBe(true);
    client.send({ type: 'call_start', kind: 'audio' });
    const ringing = await ws.next<CallMsg>(isCall('ringing'));
    expect(ringing.call).toMatchObject({ conversationId, caller: 'customer', kind: 'audio', video: false });
    // the caller cannot answer its own call; a second call while one rings is refused
    client.send({ type: 'call_accept', callId: ringing.call.id });
    await client.next(isError('conflict'));
    ws.send({ type: 'call_start', conversationId, kind: 'video' });
    await ws.next(isError('conflict'));
    t.clock.advance(3000);
    ws.send({ type: 'call_decline', callId: ringing.call.id });
    const declined = await client.next<any>(isCall('declined', ringing.call.id));
    expect(declined.call).toMatchObject({ endedBy: 'agent', answeredAt: null, audioSeconds: 0 });
    expect(await client.next<any>((m) => m.type === 'message' && Boolean(m.message.call))).toMatchObject({ message: { text: 'Chamada de áudio recusada' } });
    await client.close();
    await ws.close();
    await closed.client.close();
    await closed.ws.close();
  });

  it('unanswered for CALL_RING_SECONDS: missed, by the durable timer', async () => {
    const { ws, client, conversationId } = await conversation();
    ws.send({ type: 'call_start', conversationId, kind: 'audio' });
    const { call } = await ws.next<CallMsg>(isCall('ringing'));
    t.clock.advance(44_000);
    await t.runtime.scheduler.tick();
    expect((await callRow(call.id)).state).toBe('ringing');
    t.clock.advance(2_000);
    await t.runtime.scheduler.tick();
    const missed = await client.next<any>(isCall('missed', call.id));
    expect(missed.call).toMatchObject({ endedBy: 'system', answeredAt: null });
    expect((await callRow(call.id)).ended_at.getTime()).toBe(t.clock.now().getTime());
    expect(await client.next<any>((m) => m.type === 'message' && Boolean(m.message.call))).toMatchObject({ message: { text: 'Chamada de áudio perdida' } });
    await client.close();
    await ws.close();
  });

  it('another team’s agent and a second visitor cannot start, accept or inject a signal (not_found); a supervisor does not join', async () => {
    const { ws, client, conversationId, service } = await conversation();
    ws.send({ type: 'call_start', conversationId, kind: 'video' });
    const { call } = await ws.next<CallMsg>(isCall('ringing'));

    const otherTeam = await createTeam(admin);
    const stranger = await createUser(admin, { agentEnabled: true, teamIds: [otherTeam.id] });
    const strangerWs = await WsClient.open(t.url, (await t.login(stranger.email, stranger.password)).cookie);
    strangerWs.send({ type: 'call_start', conversationId, kind: 'audio' });
    await strangerWs.next(isError('not_found'));
    strangerWs.send({ type: 'call_accept', callId: call.id });
    strangerWs.send({ type: 'call_signal', callId: call.id, signal: { type: 'offer', sdp: 'intruder' } });
    strangerWs.send({ type: 'call_hangup', callId: call.id });
    await expect.poll(() => strangerWs.messages.filter(isError('not_found')).length).toBe(4);

    const adminWs = await WsClient.open(t.url, admin.cookie);
    adminWs.send({ type: 'call_signal', callId: call.id, signal: { type: 'offer', sdp: 'supervisor' } });
    await adminWs.next(isError('not_found'));

    const second = await WidgetClient.connect(t.url, service.key, await newVisitor(t.url, service.key));
    second.client.send({ type: 'call_signal', callId: call.id, signal: { type: 'offer', sdp: 'second visitor' } });
    second.client.send({ type: 'call_accept', callId: call.id });
    await expect.poll(() => second.client.messages.filter(isError('not_found')).length).toBe(2);

    // nothing reached the two sides, and the call still rings
    await t.settle();
    expect(client.messages.some((m) => m.type === 'call_signal')).toBe(false);
    expect(ws.messages.some((m) => m.type === 'call_signal')).toBe(false);
    expect((await callRow(call.id)).state).toBe('ringing');
    // a malformed call id is a not_found too, not an error of the server
    strangerWs.send({ type: 'call_accept', callId: 'not-a-uuid' });
    await expect.poll(() => strangerWs.messages.filter(isError('not_found')).length).toBe(5);
    for (const c of [strangerWs, adminWs, ws]) await c.close();
    for (const c of [second.client, client]) await c.close();
  });

  it('finishing the conversation ends its call; a finished or non-WebChat conversation takes no call', async () => {
    const { ws, client, conversationId, desk } = await conversation();
    ws.send({ type: 'call_start', conversationId, kind: 'audio' });
    const { call } = await ws.next<CallMsg>(isCall('ringing'));
    client.send({ type: 'call_accept', callId: call.id });
    await ws.next(isCall('active', call.id));
    t.clock.advance(12_000);
    expect((await desk.post(`/api/conversations/${conversationId}/finish`, { outcome: 'completed' })).status).toBe(200);
    const ended = await client.next<any>(isCall('ended', call.id));
    expect(ended.call).toMatchObject({ endedBy: 'agent', audioSeconds: 12 });
    ws.send({ type: 'call_start', conversationId, kind: 'audio' });
    await ws.next(isError('conflict'));

    const api = await createApiService(t, admin);
    expect((await api.send({ contact: { externalId: 'calls-c1' }, externalId: 'calls-m1', text: 'oi' })).status).toBe(202);
    await t.settle();
    const { rows } = await t.db.query<{ id: string }>('SELECT id FROM conversations WHERE service_id = $1', [api.service.id]);
    // the agent of that conversation would be refused too; the admin is not its agent: 404 before anything
    await t.db.query(`UPDATE conversations SET state = 'in_service', agent_id = (SELECT id FROM users WHERE email = $2) WHERE id = $1`, [rows[0].id, (await desk.get('/api/auth/me')).body.email]);
    ws.messages.length = 0;
    const ws2 = await WsClient.open(t.url, desk.cookie);
    ws2.send({ type: 'call_start', conversationId: rows[0].id, kind: 'audio' });
    expect(await ws2.next<CallErr>(isError('conflict'))).toMatchObject({ message: 'chamadas só acontecem em atendimentos de WebChat' });
    await ws2.close();
    await client.close();
    await ws.close();
  });

  it('a widget that closes fails its live call (disconnected)', async () => {
    const { ws, client, conversationId } = await conversation();
    ws.send({ type: 'call_start', conversationId, kind: 'video' });
    const { call } = await ws.next<CallMsg>(isCall('ringing'));
    client.send({ type: 'call_accept', callId: call.id });
    await ws.next(isCall('active', call.id));
    t.clock.advance(7000);
    await client.close();
    const failed = await ws.next<CallMsg>(isCall('failed', call.id));
    expect(failed.call).toMatchObject({ endedBy: 'customer', failure: 'disconnected', videoSeconds: 7 });
    await ws.close();
  });

  it('the figures: T.Audio and T.Video per conversation (Consultas, Atendimentos OMNI) and the Chamadas report, against sums of the stored calls', async () => {
    const { ws, client, conversationId, desk, service, agent } = await conversation();
    // each call rings once: the next ringing is of a call not seen yet
    const seen = new Set<string>();
    const ring = async (kind: 'audio' | 'video') => {
      ws.send({ type: 'call_start', conversationId, kind });
      const { call } = await ws.next<CallMsg>((m) => m.type === 'call' && m.call.state === 'ringing' && !seen.has(m.call.id));
      seen.add(call.id);
      return call;
    };
    const answered = async (kind: 'audio' | 'video', segments: { seconds: number; video?: boolean }[]) => {
      const call = await ring(kind);
      client.send({ type: 'call_accept', callId: call.id });
      await ws.next(isCall('active', call.id));
      for (const seg of segments) {
        if (seg.video !== undefined) {
          const before = ws.messages.length;
          ws.send({ type: 'call_media', callId: call.id, video: seg.video });
          await ws.next((m) => ws.messages.indexOf(m) >= before && m.type === 'call' && m.call.id === call.id && m.call.video === seg.video);
        }
        t.clock.advance(seg.seconds * 1000);
      }
      client.send({ type: 'call_hangup', callId: call.id });
      await ws.next(isCall('ended', call.id));
    };
    await answered('video', [{ seconds: 30 }, { seconds: 15, video: false }, { seconds: 5, video: true }]);
    await answered('audio', [{ seconds: 20 }]);
    const declined = await ring('audio');
    client.send({ type: 'call_decline', callId: declined.id });
    await ws.next(isCall('declined', declined.id));
    const missed = await ring('video');
    t.clock.advance(46_000);
    await t.runtime.scheduler.tick();
    await ws.next(isCall('missed', missed.id));
    expect((await desk.post(`/api/conversations/${conversationId}/finish`, { outcome: 'completed' })).status).toBe(200);
    await t.settle();

    // the independent computation: a fold over the stored rows
    const stored = (await t.db.query<{ state: string; answered_at: Date | null; audio_seconds: number; video_seconds: number }>(
      'SELECT state, answered_at, audio_seconds, video_seconds FROM calls WHERE conversation_id = $1', [conversationId])).rows;
    const fold = stored.reduce(
      (f, k) => ({
        offered: f.offered + 1,
        answered: f.answered + (k.answered_at ? 1 : 0),
        missed: f.missed + (k.state === 'missed' ? 1 : 0),
        declined: f.declined + (k.state === 'declined' ? 1 : 0),
        failed: f.failed + (k.state === 'failed' ? 1 : 0),
        audio: f.audio + (k.answered_at ? k.audio_seconds : 0),
        video: f.video + (k.answered_at ? k.video_seconds : 0),
      }),
      { offered: 0, answered: 0, missed: 0, declined: 0, failed: 0, audio: 0, video: 0 },
    );
    // and what the test drove: 35 s of video, 15 + 20 s of audio
    expect(fold).toEqual({ offered: 4, answered: 2, missed: 1, declined: 1, failed: 0, audio: 35, video: 35 });

    const { rows: [{ protocol }] } = await t.db.query<{ protocol: string }>('SELECT protocol FROM conversations WHERE id = $1', [conversationId]);
    const lookback = await admin.get(`/api/lookback/conversations?protocol=${protocol}`);
    expect(lookback.status).toBe(200);
    expect(lookback.body.rows[0]).toMatchObject({ protocol, audioSeconds: fold.audio, videoSeconds: fold.video });
    // the export: HH:MM:SS in a CSV
    const csv = await fetch(`${t.url}/api/lookback/conversations?protocol=${protocol}&family=chat&format=csv`, { headers: { cookie: admin.cookie, 'accept-language': 'pt-BR' } });
    expect(csv.status).toBe(200);
    const table = await parseCsv((await csv.text()).replace(/^\uFEFF/, ''));
    const hms = (n: number) => [Math.floor(n / 3600), Math.floor((n % 3600) / 60), n % 60].map((x) => String(x).padStart(2, '0')).join(':');
    expect(table[1][table[0].indexOf('T.Audio')]).toBe(hms(fold.audio));
    expect(table[1][table[0].indexOf('T.Video')]).toBe(hms(fold.video));

    const omni = await admin.get(`/api/indicators/conversations?serviceId=${service.id}`);
    expect(omni.status).toBe(200);
    expect(omni.body.rows.find((r: any) => r.protocol === protocol)).toMatchObject({ audioSeconds: fold.audio, videoSeconds: fold.video });

    const report = await admin.get(`/api/reports/calls?serviceId=${service.id}`);
    expect(report.status).toBe(200);
    expect(report.body.rows).toEqual([{
      service: service.name, agent: agent.name, offered: fold.offered, answered: fold.answered, missed: fold.missed, declined: fold.declined, failed: fold.failed,
      totalSeconds: fold.audio + fold.video, meanSeconds: (fold.audio + fold.video) / fold.answered,
    }]);
    expect(report.body.total).toMatchObject({ offered: fold.offered, totalSeconds: fold.audio + fold.video, meanSeconds: (fold.audio + fold.video) / fold.answered });
    await client.close();
    await ws.close();
  });
});
