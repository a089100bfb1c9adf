import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/contracts/settings.js';
import { createUser, startTestApp, type Client, type TestApp } from '../support/test-app.js';

// Settings are one row per key for the whole operation, so each test here changes keys no other
// test of this file touches.

let t: TestApp;
let admin: Client;
let agent: Client;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login();
  const a = await createUser(admin);
  agent = await t.login(a.email, a.password);
});
afterAll(() => t.close());

describe('reading', () => {
  it('GET /api/settings returns the defaults on a new database', async () => {
    const own = await startTestApp();
    try {
      const r = await (await own.login()).get('/api/settings');
      expect(r.status).toBe(200);
      expect(r.body).toEqual(DEFAULT_SETTINGS);
    } finally {
      await own.close();
    }
  });

  it('an agent can read all of them and one of them', async () => {
    const all = await agent.get('/api/settings');
    expect(all.status).toBe(200);
    expect(Object.keys(all.body).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
    const one = await agent.get('/api/settings/serviceLevel');
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ key: 'serviceLevel', value: DEFAULT_SETTINGS.serviceLevel, isDefault: true });
  });

  it('an unknown key is a 400 naming it', async () => {
    for (const r of [await admin.get('/api/settings/colour'), await admin.put('/api/settings/colour', { value: 1 }), await admin.del('/api/settings/colour')]) {
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain('params.key');
    }
    const patch = await admin.patch('/api/settings', { colour: 'blue' });
    expect(patch.status).toBe(400);
    expect(patch.body.error.message).toContain('body.colour');
  });

  it('needs a session', async () => {
    expect((await t.anonymous().get('/api/settings')).status).toBe(401);
    expect((await t.anonymous().get('/api/settings/timezone')).status).toBe(401);
  });
});

describe('PATCH /api/settings', () => {
  it('changes the keys given, keeps the others, and the change is read back', async () => {
    const r = await admin.patch('/api/settings', { timezone: 'America/Manaus', noInteractionMinutes: 7 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ timezone: 'America/Manaus', noInteractionMinutes: 7, shortAbandonSeconds: DEFAULT_SETTINGS.shortAbandonSeconds });
    expect((await agent.get('/api/settings')).body.timezone).toBe('America/Manaus');
    expect((await agent.get('/api/settings/noInteractionMinutes')).body).toEqual({ key: 'noInteractionMinutes', value: 7, isDefault: false });
  });

  it('validates each key by its own rule, naming it', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ timezone: 'Mars/Olympus_Mons' }, 'body.timezone'],
      [{ timezone: 42 }, 'body.timezone'],
      [{ timeInState: { lowMinutes: 30, highMinutes: 30 } }, 'body.timeInState'],
      [{ timeInState: { lowMinutes: 40, highMinutes: 10 } }, 'body.timeInState'],
      [{ timeInState: { lowMinutes: 5 } }, 'body.timeInState.highMinutes'],
      [{ timeInState: { lowMinutes: 5, highMinutes: 10, mid: 7 } }, 'body.timeInState.mid'],
      [{ shortAbandonSeconds: -1 }, 'body.shortAbandonSeconds'],
      [{ serviceLevel: { chatSeconds: 60, emailSeconds: 60, targetPercent: 101 } }, 'body.serviceLevel.targetPercent'],
      [{ timeouts: { ...DEFAULT_SETTINGS.timeouts, connectionLostAction: 'explode' } }, 'body.timeouts.connectionLostAction'],
      [{ alerts: { ...DEFAULT_SETTINGS.alerts, queueLength: 0 } }, 'body.alerts.queueLength'],
    ];
    for (const [body, field] of cases) {
      const r = await admin.patch('/api/settings', body);
      expect(r.status, field).toBe(400);
      expect(r.body.error.code).toBe('validation_error');
      expect(r.body.error.message, field).toContain(field);
    }
    const tis = await admin.patch('/api/settings', { timeInState: { lowMinutes: 30, highMinutes: 30 } });
    expect(tis.body.error.message).toContain('lowMinutes must be below highMinutes');
    // nothing of a rejected PATCH is kept, not even its valid keys
    const mixed = await admin.patch('/api/settings', { shortAbandonSeconds: 33, timezone: 'Nowhere/City' });
    expect(mixed.status).toBe(400);
    expect((await admin.get('/api/settings/shortAbandonSeconds')).body).toMatchObject({ value: DEFAULT_SETTINGS.shortAbandonSeconds, isDefault: true });
  });

  it('accepts a valid timeInState', async () => {
    const r = await admin.patch('/api/settings', { timeInState: { lowMinutes: 10, highMinutes: 20 } });
    expect(r.status).toBe(200);
    expect(r.body.timeInState).toEqual({ lowMinutes: 10, highMinutes: 20 });
  });

  it('an agent or a supervisor may not change settings (403)', async () => {
    const sup = await createUser(admin, { role: 'supervisor' });
    const sc = await t.login(sup.email, sup.password);
    for (const c of [agent, sc]) {
      expect((await c.patch('/api/settings', { alerts: { ...DEFAULT_SETTINGS.alerts, queueLength: 99 } })).status).toBe(403);
      expect((await c.put('/api/settings/alerts', { value: { ...DEFAULT_SETTINGS.alerts, queueLength: 99 } })).status).toBe(403);
      expect((await c.del('/api/settings/alerts')).status).toBe(403);
    }
    expect((await admin.get('/api/settings/alerts')).body).toEqual({ key: 'alerts', value: DEFAULT_SETTINGS.alerts, isDefault: true });
  });
});

describe('one key: PUT and DELETE /api/settings/:key', () => {
  it('PUT sets one key; DELETE restores its default', async () => {
    const value = { ...DEFAULT_SETTINGS.timeouts, queueSeconds: 600, connectionLostAction: 'finish' };
    const put = await admin.put('/api/settings/timeouts', { value });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ key: 'timeouts', value, isDefault: false });
    expect((await agent.get('/api/settings')).body.timeouts).toEqual(value);

    const del = await admin.del('/api/settings/timeouts');
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ key: 'timeouts', value: DEFAULT_SETTINGS.timeouts, isDefault: true });
    expect((await admin.get('/api/settings/timeouts')).body).toEqual({ key: 'timeouts', value: DEFAULT_SETTINGS.timeouts, isDefault: true });
    // restoring a default that is already in place is fine
    expect((await admin.del('/api/settings/timeouts')).status).toBe(200);
  });

  it('PUT validates the value by the key’s rule, naming what is wrong', async () => {
    const tz = await admin.put('/api/settings/timezone', { value: 'Brasil/Brasília' });
    expect(tz.status).toBe(400);
    expect(tz.body.error.message).toMatch(/^value: not an IANA time zone/);
    const sl = await admin.put('/api/settings/serviceLevel', { value: { chatSeconds: 0, emailSeconds: 60, targetPercent: 80 } });
    expect(sl.status).toBe(400);
    expect(sl.body.error.message).toContain('value.chatSeconds');
    const missing = await admin.put('/api/settings/serviceLevel', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('value');
    const extra = await admin.put('/api/settings/serviceLevel', { value: DEFAULT_SETTINGS.serviceLevel, also: 1 });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('body.also');
    expect((await admin.get('/api/settings/serviceLevel')).body.isDefault).toBe(true);
  });

  it('every change and reset goes to the audit log with before and after', async () => {
    const me = (await admin.get('/api/auth/me')).body;
    await admin.put('/api/settings/alerts', { value: { ...DEFAULT_SETTINGS.alerts, pauseMinutes: 20 } });
    await admin.del('/api/settings/alerts');
    const audit = await admin.get('/api/audit?entity=setting&entityId=alerts');
    expect(audit.status).toBe(200);
    const [reset, update] = audit.body.items;
    expect(update).toMatchObject({
      actorId: me.id,
      action: 'update',
      entity: 'setting',
      entityId: 'alerts',
      before: { value: DEFAULT_SETTINGS.alerts },
      after: { value: { ...DEFAULT_SETTINGS.alerts, pauseMinutes: 20 } },
    });
    expect(reset).toMatchObject({
      action: 'reset',
      before: { value: { ...DEFAULT_SETTINGS.alerts, pauseMinutes: 20 } },
      after: { value: DEFAULT_SETTINGS.alerts },
    });
  });
});
