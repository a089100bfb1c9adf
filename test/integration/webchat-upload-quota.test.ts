import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, createTeam, startTestApp, type Client, type TestApp } from '../support/test-app.js';
import type { WidgetServerMessage } from '../../src/contracts/webchat.js';
import { newVisitor, WidgetClient, type Identity } from '../support/widget-client.js';

// Issue 12, defect 7: WebChat uploads go only into the visitor's own open conversation, within
// quotas per visitor and per service, and the uploads never sent are deleted after a grace period.

// Small quotas so that a few hundred bytes reach them (the defaults are megabytes).
const QUOTA = { visitorPendingBytes: 1000, visitorDailyBytes: 2000, servicePendingBytes: 3000, serviceDailyBytes: 4000 };

let t: TestApp;
let admin: Client;
let teamId: string;
beforeAll(async () => {
  t = await startTestApp({}, { webchatLimits: { uploadQuota: QUOTA, visitorUploads: { capacity: 1000, perMs: 60_000 } } });
  admin = await t.login();
  teamId = (await createTeam(admin)).id;
});
afterAll(() => t.close());

const HOUR = 3_600_000;

/** A PNG of exactly `size` bytes (the signature, then padding: the server sniffs the signature). */
const png = (size: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size - 8, 1)]);

async function upload(id: Identity, size: number, lang = 'en') {
  const res = await fetch(`${t.url}/webchat/attachments`, {
    method: 'POST',
    headers: { 'x-visitor-token': id.token, 'content-type': 'image/png', 'x-filename': 'foto.png', 'accept-language': lang },
    body: new Uint8Array(png(size)),
  });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

/** A visitor with an open (queued) conversation on `serviceKey`. */
async function chatting(serviceKey: string) {
  const id = await newVisitor(t.url, serviceKey);
  const { client } = await WidgetClient.connect(t.url, serviceKey, id);
  client.send({ type: 'start' });
  const { protocol } = await client.state('queued');
  return { id, client, protocol };
}

/** Sends the uploads in a message and waits until it is stored. */
async function sendFiles(client: WidgetClient, ids: string[]) {
  const cid = client.say('segue', { attachmentIds: ids });
  await client.next((m) => (m.type === 'ack' && m.clientId === cid) || m.type === 'error');
  expect(client.messages.find((m) => m.type === 'error')).toBeUndefined();
}

const visitorDownload = (id: Identity, fileId: string) => fetch(`${t.url}/webchat/attachments/${fileId}?token=${encodeURIComponent(id.token)}`).then((r) => r.status);

describe('WebChat uploads', () => {
  it('go only into the visitor’s own open conversation: none yet, someone else’s, or one that ended is a 409 that says why', async () => {
    const s = await createService(admin, { teamIds: [teamId] });
    const a = await newVisitor(t.url, s.key);

    // no conversation yet
    const before = await upload(a, 100);
    expect(before.status).toBe(409);
    expect(before.body.error.code).toBe('no_open_conversation');
    expect(before.body.error.message).toMatch(/start the conversation/);
    expect((await upload(a, 100, 'pt-BR')).body.error.message).toMatch(/inicie a conversa/);

    // another visitor's open conversation on the same service is not a's: still refused
    const b = await chatting(s.key);
    expect((await upload(a, 100)).status).toBe(409);
    const mine = await upload(b.id, 100);
    expect(mine.status).toBe(201);
    // and what b uploaded cannot go out in a's message
    const { client: aClient } = await WidgetClient.connect(t.url, s.key, a);
    aClient.send({ type: 'start' });
    await aClient.state('queued');
    aClient.say('de outro', { attachmentIds: [mine.body.id] });
    expect(await aClient.next((m) => m.type === 'error')).toMatchObject({ code: 'unknown_reference' });
    // a's own open conversation takes a's files
    expect((await upload(a, 100)).status).toBe(201);

    // once the conversation ended (the customer closed it), no more files until a new one starts
    b.client.send({ type: 'close' });
    await b.client.state('closed');
    const ended = await upload(b.id, 100);
    expect(ended.status).toBe(409);
    expect(ended.body.error.code).toBe('no_open_conversation');
    expect(ended.body.error.message).toContain(`the conversation ${b.protocol} has ended`);
    expect((await upload(b.id, 100, 'pt')).body.error.message).toContain(`o atendimento ${b.protocol} foi encerrado`);
    await aClient.close();
    await b.client.close();
  });

  it('per visitor: unsent bytes over the quota are a 413, a day’s bytes over the quota a 429 with Retry-After; sending frees the first', async () => {
    const s = await createService(admin, { teamIds: [teamId] });
    const v = await chatting(s.key);
    const first = await upload(v.id, 400);
    const second = await upload(v.id, 400);
    expect([first.status, second.status]).toEqual([201, 201]);
    // 800 unsent + 400 > 1000
    const over = await upload(v.id, 400);
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe('upload_quota_exceeded');
    expect(over.body.error.message).toMatch(/not yet sent/);
    expect((await upload(v.id, 400, 'pt-BR')).body.error.message).toMatch(/ainda não enviados/);
    // another visitor of the same service is not held back
    const other = await chatting(s.key);
    expect((await upload(other.id, 400)).status).toBe(201);

    // sent in a message, they no longer count as unsent
    await sendFiles(v.client, [first.body.id, second.body.id]);
    const third = await upload(v.id, 400);
    const fourth = await upload(v.id, 400);
    expect([third.status, fourth.status]).toEqual([201, 201]);
    await sendFiles(v.client, [third.body.id, fourth.body.id]);
    // 1600 today + 400 = 2000: still within the day's 2000; one byte more is not
    expect((await upload(v.id, 400)).status).toBe(201);
    const daily = await upload(v.id, 100);
    expect(daily.status).toBe(429);
    expect(daily.body.error.code).toBe('upload_quota_exceeded');
    expect(daily.body.error.message).toMatch(/24 hours/);
    expect(Number(daily.headers.get('retry-after'))).toBeGreaterThan(0);

    // a day later the window has moved on
    t.clock.advance(24 * HOUR + 60_000);
    expect((await upload(v.id, 100)).status).toBe(201);
    await v.client.close();
    await other.client.close();
  });

  it('per service: unsent bytes of all its visitors, and a day’s bytes, over the quota are a 429 for everyone', async () => {
    const s = await createService(admin, { teamIds: [teamId] });
    const visitors = [await chatting(s.key), await chatting(s.key), await chatting(s.key), await chatting(s.key)];
    const files: string[][] = [[], [], [], []];
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 2; k++) {
        const r = await upload(visitors[i].id, 500);
        expect(r.status).toBe(201);
        files[i].push(r.body.id);
      }
    }
    // 3000 unsent on the service: a fourth visitor, well within their own quota, waits
    const full = await upload(visitors[3].id, 500);
    expect(full.status).toBe(429);
    expect(full.body.error.code).toBe('upload_quota_exceeded');
    expect(full.body.error.message).toMatch(/this service/);
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0);

    await sendFiles(visitors[0].client, files[0]);
    // 2000 unsent, 3000 today: 500 more fits both
    const fourth = await upload(visitors[3].id, 500);
    expect(fourth.status).toBe(201);
    await sendFiles(visitors[1].client, files[1]);
    await sendFiles(visitors[3].client, [fourth.body.id]);
    // 1000 unsent, 3500 today: 500 more makes 4000 today, the most; then nothing more today
    expect((await upload(visitors[3].id, 500)).status).toBe(201);
    const day = await upload(visitors[3].id, 100);
    expect(day.status).toBe(429);
    expect(day.body.error.message).toMatch(/this service.*24 hours/);
    // another service is not affected
    const elsewhere = await chatting((await createService(admin, { teamIds: [teamId] })).key);
    expect((await upload(elsewhere.id, 500)).status).toBe(201);
    for (const v of [...visitors, elsewhere]) await v.client.close();
  });
});

describe('the cleanup of uploads never sent', () => {
  it('deletes the unsent uploads older than the grace period, in batches; keeps the sent ones and the recent ones', async () => {
    // the earlier tests' unsent files go first, so that the counts below are this test's
    t.clock.advance(2 * HOUR);
    await t.runtime.uploadCleanup.sweep();
    const s = await createService(admin, { teamIds: [teamId] });
    const v = await chatting(s.key);
    const sent = (await upload(v.id, 100)).body.id as string;
    const orphans = [(await upload(v.id, 100)).body.id, (await upload(v.id, 100)).body.id, (await upload(v.id, 100)).body.id] as string[];
    await sendFiles(v.client, [sent]);

    // not yet past the grace period: they stay
    t.clock.advance(HOUR - 60_000);
    expect(await t.runtime.uploadCleanup.sweep()).toBe(0);
    for (const id of orphans) expect(await visitorDownload(v.id, id)).toBe(200);
    t.clock.advance(2 * 60_000);
    const recent = (await upload(v.id, 100)).body.id as string;

    // three orphans in batches of two: all three go, batch after batch
    const deleted = await t.runtime.uploadCleanup.sweep({ batchSize: 2 });
    expect(deleted).toBe(3);
    for (const id of orphans) expect(await visitorDownload(v.id, id)).toBe(404);
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments WHERE id = ANY($1::uuid[])', [orphans]);
    expect(rows[0].n).toBe(0);
    // the sent one stays for the visitor and the staff; the recent one for its uploader
    expect(await visitorDownload(v.id, sent)).toBe(200);
    expect(await visitorDownload(v.id, recent)).toBe(200);
    expect((await admin.get(`/api/attachments/${sent}`)).status).toBe(200);
    // a message still naming a deleted upload is refused, and says so
    v.client.say('segue atrasado', { attachmentIds: [orphans[0]] });
    const refused = await v.client.next<Extract<WidgetServerMessage, { type: 'error' }>>((m) => m.type === 'error');
    expect(refused.code).toBe('unknown_reference');
    expect(refused.message).toMatch(/anexe-os de novo/);
    // the runtime's own sweep finds nothing more to do
    expect(await t.runtime.uploadCleanup.sweep()).toBe(0);
    await v.client.close();
  });
});
