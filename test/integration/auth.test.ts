import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createUser, startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('health', () => {
  it('answers ok when the database answers', async () => {
    const r = await t.anonymous().get('/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok' });
  });
});

describe('sign-in', () => {
  it('sets an HttpOnly SameSite cookie and returns the user with its role', async () => {
    const c = t.anonymous();
    const r = await c.post('/api/auth/login', { email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ email: ADMIN_EMAIL, role: 'admin', language: 'pt-BR' });
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await c.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('admin');
    expect(me.body).not.toHaveProperty('passwordHash');
  });

  it('logout ends the session', async () => {
    const c = await t.login();
    const session = c.cookie;
    expect((await c.post('/api/auth/logout')).status).toBe(204);
    c.cookie = session; // replaying the old cookie must not work
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  it('rejects a wrong password with 401 and throttles repeated failures with 429', async () => {
    const admin = await t.login();
    const u = await createUser(admin);
    const c = t.anonymous();
    for (let i = 0; i < 5; i++) {
      const r = await c.post('/api/auth/login', { email: u.email, password: 'wrong-password' });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('invalid_credentials');
    }
    const blocked = await c.post('/api/auth/login', { email: u.email, password: u.password });
    expect(blocked.status).toBe(429);
  });

  it('a deactivated user cannot sign in and loses the open session', async () => {
    const admin = await t.login();
    const u = await createUser(admin);
    const c = await t.login(u.email, u.password);
    expect((await admin.del(`/api/users/${u.id}`)).status).toBe(200);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    expect((await t.anonymous().post('/api/auth/login', { email: u.email, password: u.password })).status).toBe(401);
  });

  it('names the missing or unknown field', async () => {
    const c = t.anonymous();
    const missing = await c.post('/api/auth/login', { email: 'a@b.c' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('body.password');
    const extra = await c.post('/api/auth/login', { email: 'a@b.c', password: 'x', admin: true });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('body.admin');
    const broken = await c.request('POST', '/api/auth/login', '{"email":', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
  });

  it('remembers the language per user', async () => {
    const admin = await t.login();
    const u = await createUser(admin);
    const c = await t.login(u.email, u.password);
    expect((await c.patch('/api/auth/me', { language: 'en' })).body.language).toBe('en');
    const again = await t.login(u.email, u.password);
    expect((await again.get('/api/auth/me')).body.language).toBe('en');
  });

  it('changes the password only with the current one', async () => {
    const admin = await t.login();
    const u = await createUser(admin);
    const c = await t.login(u.email, u.password);
    expect((await c.patch('/api/auth/me', { currentPassword: 'nope', newPassword: 'new-password-9' })).status).toBe(403);
    expect((await c.patch('/api/auth/me', { currentPassword: u.password, newPassword: 'new-password-9' })).status).toBe(200);
    await t.login(u.email, 'new-password-9');
  });
});

describe('access', () => {
  it('every /api route needs a session (401) except login', async () => {
    const c = t.anonymous();
    for (const p of ['/api/auth/me', '/api/users', '/api/teams', '/api/services', '/api/settings', '/api/audit', '/api/pause-reasons']) {
      expect((await c.get(p)).status, p).toBe(401);
    }
  });

  it('the OpenAPI document lists every route', async () => {
    const r = await t.anonymous().get('/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    for (const p of ['/api/auth/login', '/api/users', '/api/users/{id}', '/api/teams', '/api/services', '/api/pause-reasons', '/api/classifications', '/api/template-categories', '/api/templates', '/api/settings', '/api/audit']) {
      expect(r.body.paths, p).toHaveProperty([p]);
    }
  });

  it('an unknown route is a JSON 404', async () => {
    const r = await (await t.login()).get('/api/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});
