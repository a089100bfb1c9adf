// Issue 12, "Sessions": a user sees and ends their own open sessions (Meu perfil), an admin ends all
// of a user's sessions (audited), a password change ends the others. A session shows a public id
// (never its token or the token's hash), when it began and was last used, its IP and browser.
import { describe, expect, it } from 'vitest';
import { appForFile, Client, createUser, type TestApp } from '../support/test-app.js';

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

async function signIn(email: string, password: string, userAgent?: string): Promise<Client> {
  const c = new Client(t.url);
  const r = await c.request('POST', '/api/auth/login', { email, password }, userAgent ? { 'user-agent': userAgent } : {});
  expect(r.status).toBe(200);
  return c;
}

describe('my sessions', () => {
  it('every route needs a session (401)', async () => {
    const anon = t.anonymous();
    expect((await anon.get('/api/auth/sessions')).status).toBe(401);
    expect((await anon.del('/api/auth/sessions/00000000-0000-4000-8000-000000000000')).status).toBe(401);
    expect((await anon.post('/api/auth/sessions/end-others')).status).toBe(401);
    expect((await anon.post('/api/users/00000000-0000-4000-8000-000000000000/end-sessions')).status).toBe(401);
  });

  it('lists my open sessions with when, where and which browser, this one marked; no token or hash', async () => {
    const u = await createUser(admin);
    const here = await signIn(u.email, u.password, CHROME);
    await signIn(u.email, u.password, FIREFOX);
    const r = await here.get('/api/auth/sessions');
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(2);
    const [first, second] = r.body.items;
    expect(first).toMatchObject({ current: true, userAgent: CHROME, ip: '127.0.0.1' });
    expect(second).toMatchObject({ current: false, userAgent: FIREFOX, ip: '127.0.0.1' });
    for (const s of r.body.items) {
      expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(Object.keys(s).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'id', 'ip', 'lastSeenAt', 'userAgent']);
      expect(Date.parse(s.expiresAt)).toBeGreaterThan(Date.parse(s.createdAt));
    }
    // another user's list holds none of these
    const other = await createUser(admin);
    const theirs = (await (await signIn(other.email, other.password)).get('/api/auth/sessions')).body.items;
    expect(theirs.map((s: { id: string }) => s.id)).not.toContain(first.id);
    expect(JSON.stringify(r.body)).not.toContain(here.cookie.split('=')[1]);
  });

  it('ends one of my sessions: that browser is signed out, this one goes on', async () => {
    const u = await createUser(admin);
    const here = await signIn(u.email, u.password);
    const there = await signIn(u.email, u.password);
    const other = (await here.get('/api/auth/sessions')).body.items.find((s: { current: boolean }) => !s.current);
    expect((await here.del(`/api/auth/sessions/${other.id}`)).status).toBe(204);
    expect((await there.get('/api/auth/me')).status).toBe(401);
    expect((await here.get('/api/auth/me')).status).toBe(200);
    expect((await here.get('/api/auth/sessions')).body.items).toHaveLength(1);
    // ended already: not found
    expect((await here.del(`/api/auth/sessions/${other.id}`)).status).toBe(404);
  });

  it('another user’s session id is 404 and that session lives on; a malformed id is 400', async () => {
    const a = await createUser(admin);
    const b = await createUser(admin);
    const aClient = await signIn(a.email, a.password);
    const bClient = await signIn(b.email, b.password);
    const bSession = (await bClient.get('/api/auth/sessions')).body.items[0];
    const r = await aClient.request('DELETE', `/api/auth/sessions/${bSession.id}`, undefined, { 'accept-language': 'pt-BR' });
    expect(r.status).toBe(404);
    expect(r.body.error.message).toMatch(/^Sessão .* não encontrada$/);
    expect((await bClient.get('/api/auth/me')).status).toBe(200);
    expect((await aClient.del('/api/auth/sessions/not-an-id')).status).toBe(400);
  });

  it('ends all my other sessions at once', async () => {
    const u = await createUser(admin);
    const here = await signIn(u.email, u.password);
    const others = [await signIn(u.email, u.password), await signIn(u.email, u.password)];
    const r = await here.post('/api/auth/sessions/end-others');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ended: 2 });
    for (const o of others) expect((await o.get('/api/auth/me')).status).toBe(401);
    expect((await here.get('/api/auth/sessions')).body.items.map((s: { current: boolean }) => s.current)).toEqual([true]);
  });

  it('a password change ends my other sessions and keeps this one', async () => {
    const u = await createUser(admin);
    const here = await signIn(u.email, u.password);
    const there = await signIn(u.email, u.password);
    expect((await here.patch('/api/auth/me', { currentPassword: u.password, newPassword: 'another-password-7' })).status).toBe(200);
    expect((await there.get('/api/auth/me')).status).toBe(401);
    expect((await here.get('/api/auth/sessions')).body.items).toHaveLength(1);
  });
});

describe('an admin ends a user’s sessions', () => {
  it('signs the user out everywhere, audited; 403 for anyone else, 404 for an unknown user', async () => {
    const u = await createUser(admin, { role: 'supervisor' });
    const sessions = [await signIn(u.email, u.password), await signIn(u.email, u.password)];
    const r = await admin.post(`/api/users/${u.id}/end-sessions`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ended: 2 });
    for (const s of sessions) expect((await s.get('/api/auth/me')).status).toBe(401);
    const audit = (await admin.get(`/api/audit?entity=user&entityId=${u.id}`)).body.items;
    expect(audit[0]).toMatchObject({ action: 'end_sessions', entity: 'user', entityId: u.id, after: { ended: 2 } });

    const sup = await signIn(u.email, u.password);
    const victim = await createUser(admin);
    await signIn(victim.email, victim.password);
    expect((await sup.post(`/api/users/${victim.id}/end-sessions`)).status).toBe(403);
    const agent = await signIn(victim.email, victim.password);
    expect((await agent.post(`/api/users/${u.id}/end-sessions`)).status).toBe(403);
    expect((await agent.get('/api/auth/me')).status).toBe(200);
    expect((await admin.post('/api/users/00000000-0000-4000-8000-000000000000/end-sessions')).status).toBe(404);
  });

  it('a deactivated user’s sessions do not come back when the user is reactivated', async () => {
    const u = await createUser(admin);
    const c = await signIn(u.email, u.password);
    expect((await admin.del(`/api/users/${u.id}`)).status).toBe(200);
    expect((await admin.patch(`/api/users/${u.id}`, { active: true })).status).toBe(200);
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  it('an admin who resets a user’s password signs that user out everywhere; the admin’s own row keeps the admin signed in', async () => {
    const u = await createUser(admin);
    const c = await signIn(u.email, u.password);
    expect((await admin.patch(`/api/users/${u.id}`, { password: 'a-new-password-9' })).status).toBe(200);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    expect((await signIn(u.email, 'a-new-password-9').then((x) => x.get('/api/auth/me'))).status).toBe(200);
    // an admin setting their own password from Usuários is not signed out by it
    const other = await createUser(admin, { role: 'admin' });
    const self = await signIn(other.email, other.password);
    expect((await self.patch(`/api/users/${other.id}`, { password: 'my-own-new-pass-1' })).status).toBe(200);
    expect((await self.get('/api/auth/me')).status).toBe(200);
  });

  it('the routes are in the OpenAPI', async () => {
    const paths = (await t.anonymous().get('/api/openapi.json')).body.paths;
    expect(Object.keys(paths['/api/auth/sessions'])).toEqual(['get']);
    expect(Object.keys(paths['/api/auth/sessions/{id}'])).toEqual(['delete']);
    expect(Object.keys(paths['/api/auth/sessions/end-others'])).toEqual(['post']);
    expect(Object.keys(paths['/api/users/{id}/end-sessions'])).toEqual(['post']);
  });
});
