import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, appForFile, createApiService, createService, createUser, unique, type Client, type TestApp } from '../support/test-app.js';
import { newVisitor, WidgetClient } from '../support/widget-client.js';

// What comes in at the edge: NUL characters (PostgreSQL refuses them in text) and X-Forwarded-For
// (believed only from configured proxies).

describe('a NUL character (U+0000) anywhere a string comes in is a 400 naming where it was', () => {
  let t: TestApp;
  let admin: Client;
  appForFile((app) => ({ t, admin } = app));

  const expectNul = (r: { status: number; body: any }, path: string) => {
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error.code).toBe('validation_error');
    expect(r.body.error.issues).toEqual([{ path, message: 'must not contain the NUL character (U+0000)' }]);
  };

  it('in a sign-in body, a URL path and a query string', async () => {
    expectNul(await t.anonymous().post('/api/auth/login', { email: 'a\u0000b@x.com', password: 'whatever-123' }), 'body.email');
    expectNul(await t.anonymous().get('/webchat/config/a%00b'), 'params.serviceKey');
    expectNul(await admin.get('/api/conversations?protocol=12%0034'), 'querystring.protocol');
    expectNul(await admin.post('/api/teams', { name: 'Equipe\u0000' }), 'body.name');
    expectNul(await admin.post('/api/teams', { ['na\u0000me']: 'x' }), 'body.na\\u0000me');
  });

  it('in Portuguese when the request asks for it', async () => {
    const r = await t.anonymous().request('POST', '/api/auth/login', { email: 'a\u0000b@x.com', password: 'whatever-123' }, { 'accept-language': 'pt-BR' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe('body.email: não pode conter o caractere NUL (U+0000)');
  });

  it("in an API-channel customer message's text, contact name or external id: refused, nothing stored", async () => {
    const { send, service } = await createApiService(t, admin);
    expectNul(await send({ contact: { externalId: 'c1' }, externalId: 'm1', text: 'oi\u0000' }), 'body.text');
    expectNul(await send({ contact: { externalId: 'c1', name: 'Ana\u0000' }, externalId: 'm2', text: 'oi' }), 'body.contact.name');
    expectNul(await send({ contact: { externalId: 'c1' }, externalId: 'm\u00003', text: 'oi' }), 'body.externalId');
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM conversations WHERE service_id = $1', [service.id]);
    expect(rows[0].n).toBe(0);
    // and the service still works
    const ok = await send({ contact: { externalId: 'c1' }, externalId: 'm4', text: 'oi' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(202);
  });

  it('in a WebChat visitor message over the socket: an error message, the socket lives on', async () => {
    const service = await createService(admin, {});
    const id = await newVisitor(t.url, service.key);
    const { client } = await WidgetClient.connect(t.url, service.key, id);
    client.send({ type: 'message', clientId: 'x1', text: 'olá\u0000' });
    const err = await client.next<any>((m) => m.type === 'error');
    expect(err).toMatchObject({ code: 'bad_message', message: 'message.text: não pode conter o caractere NUL (U+0000)' });
    client.send({ type: 'start' });
    await client.next((m) => m.type === 'state');
    client.socket.close();
  });
});

describe('X-Forwarded-For is believed only from configured proxies (TRUST_PROXY unset: nobody)', () => {
  let t: TestApp;
  let admin: Client;
  appForFile((app) => ({ t, admin } = app), { trustProxy: false });

  it('the audit log records the address the request came from, not the forged one', async () => {
    const u = await createUser(admin, { role: 'supervisor' });
    const r = await t.anonymous().request('POST', '/api/auth/login', { email: u.email, password: u.password }, { 'x-forwarded-for': '203.0.113.77' });
    expect(r.status).toBe(200);
    const entries = (await admin.get(`/api/audit?actorId=${u.id}&entity=session`)).body.items;
    expect(entries.map((e: any) => e.ip)).toEqual(['127.0.0.1']);
  });
  it('varying the header does not get around the per-IP sign-in limit (30 failures per IP)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const r = await t.anonymous().request('POST', '/api/auth/login', { email: `${unique('x').replace(/\s/g, '')}@nowhere.local`, password: 'wrong-password' }, { 'x-forwarded-for': `198.51.100.${i}` });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });

  it('nor the per-IP limit on new WebChat visitors (20 a minute)', async () => {
    const service = await createService(admin, {});
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const r = await t.anonymous().request('POST', '/webchat/visitors', { serviceKey: service.key }, { 'x-forwarded-for': `203.0.113.${i}` });
      statuses.push(r.status);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

});

describe('with TRUST_PROXY naming the proxy, its X-Forwarded-For is the client address', () => {
  let t: TestApp;
  let admin: Client;
  appForFile((app) => ({ t, admin } = app), { trustProxy: ['127.0.0.1'] });

  it('the audit log records the forwarded address', async () => {
    const r = await t.anonymous().request('POST', '/api/auth/login', { email: ADMIN_EMAIL, password: 'admin-password-1' }, { 'x-forwarded-for': '203.0.113.78' });
    expect(r.status).toBe(200);
    const me = (await admin.get('/api/auth/me')).body;
    const entries = (await admin.get(`/api/audit?actorId=${me.id}&entity=session`)).body.items;
    expect(entries.map((e: any) => e.ip)).toContain('203.0.113.78');
  });
});
