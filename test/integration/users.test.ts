import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appForFile, createTeam, createUser, startTestApp, unique, type Client, type TestApp } from '../support/test-app.js';

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const email = () => `${unique('user').replace(/\s/g, '-')}@test.local`.toLowerCase();
const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((i) => i.id);

describe('users: create, read, list', () => {
  it('creates a user: 201 with the object and its id, never the password', async () => {
    const body = { email: email(), name: unique('Ana'), role: 'agent', password: 'password-123', agentEnabled: true, language: 'en' };
    const r = await admin.post('/api/users', body);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ email: body.email, name: body.name, role: 'agent', language: 'en', agentEnabled: true, active: true, teamIds: [], supervisedTeamIds: [] });
    expect(r.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body).not.toHaveProperty('password');
    expect(r.body).not.toHaveProperty('passwordHash');
    expect(new Date(r.body.createdAt).toISOString()).toBe(r.body.createdAt);

    const read = await admin.get(`/api/users/${r.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(r.body);
    // the new user can sign in with the password given
    await t.login(body.email, body.password);
  });

  it('stores the e-mail trimmed and lowercased', async () => {
    const e = email();
    const r = await admin.post('/api/users', { email: e.toUpperCase(), name: unique('Bia'), role: 'agent', password: 'password-123' });
    expect(r.status).toBe(201);
    expect(r.body.email).toBe(e);
  });

  it('lists with ?q= on the name (case-insensitive) and ?active=', async () => {
    const tag = unique('Zélia').replace(/\s/g, '');
    const a = await createUser(admin, { name: `${tag} Um` });
    const b = await createUser(admin, { name: `${tag} Dois` });
    await admin.del(`/api/users/${b.id}`);

    const found = await admin.get(`/api/users?q=${encodeURIComponent(tag.toUpperCase())}`);
    expect(found.status).toBe(200);
    expect(ids(found).sort()).toEqual([a.id, b.id].sort());
    expect(ids(await admin.get(`/api/users?q=${encodeURIComponent(tag)}&active=true`))).toEqual([a.id]);
    expect(ids(await admin.get(`/api/users?q=${encodeURIComponent(tag)}&active=false`))).toEqual([b.id]);
    // LIKE wildcards are searched literally
    expect(ids(await admin.get(`/api/users?q=${encodeURIComponent(tag + '%')}`))).toEqual([]);
    expect((await admin.get('/api/users?active=maybe')).status).toBe(400);
    expect((await admin.get('/api/users?sort=name')).status).toBe(400);
  });
});

describe('users: update and deactivate', () => {
  it('PATCH changes the given fields only, including the team links', async () => {
    const team = await createTeam(admin);
    const u = await createUser(admin);
    const r = await admin.patch(`/api/users/${u.id}`, { name: 'Nome Novo', role: 'supervisor', teamIds: [team.id], supervisedTeamIds: [team.id] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: u.id, email: u.email, name: 'Nome Novo', role: 'supervisor', teamIds: [team.id], supervisedTeamIds: [team.id] });
    expect(r.body.updatedAt >= u.updatedAt).toBe(true);
    // the team sees the same links from its side
    expect((await admin.get(`/api/teams/${team.id}`)).body).toMatchObject({ agentIds: [u.id], supervisorIds: [u.id] });
    // an empty list removes every link
    expect((await admin.patch(`/api/users/${u.id}`, { teamIds: [] })).body).toMatchObject({ teamIds: [], supervisedTeamIds: [team.id] });
  });

  it('PATCH with a new password changes the sign-in password', async () => {
    const u = await createUser(admin);
    expect((await admin.patch(`/api/users/${u.id}`, { password: 'brand-new-pass' })).status).toBe(200);
    await t.login(u.email, 'brand-new-pass');
    const old = await t.anonymous().post('/api/auth/login', { email: u.email, password: u.password });
    expect(old.status).toBe(401);
  });

  it('DELETE deactivates: active false, still readable, listed with ?active=false', async () => {
    const u = await createUser(admin);
    const r = await admin.del(`/api/users/${u.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: u.id, active: false });
    expect((await admin.get(`/api/users/${u.id}`)).body.active).toBe(false);
    expect(ids(await admin.get('/api/users?active=false'))).toContain(u.id);
    expect(ids(await admin.get('/api/users?active=true'))).not.toContain(u.id);
    // and back
    expect((await admin.patch(`/api/users/${u.id}`, { active: true })).body.active).toBe(true);
  });
});

describe('users: errors', () => {
  it('unknown id → 404, malformed id → 400', async () => {
    const missing = randomUUID();
    for (const r of [await admin.get(`/api/users/${missing}`), await admin.patch(`/api/users/${missing}`, { name: 'x' }), await admin.del(`/api/users/${missing}`)]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    const bad = await admin.get('/api/users/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('params.id');
  });

  it('a missing required field or an unknown field is a 400 naming it', async () => {
    const missing = await admin.post('/api/users', { email: email(), name: 'Sem Senha', role: 'agent' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_error');
    expect(missing.body.error.message).toContain('body.password');
    expect(missing.body.error.issues).toContainEqual({ path: 'body.password', message: 'required' });

    const extra = await admin.post('/api/users', { email: email(), name: 'Extra', role: 'agent', password: 'password-123', isRoot: true });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('body.isRoot');

    const patchExtra = await admin.patch(`/api/users/${(await createUser(admin)).id}`, { passwordHash: 'x' });
    expect(patchExtra.status).toBe(400);
    expect(patchExtra.body.error.message).toContain('body.passwordHash');
  });

  it('wrong types and values are a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ role: 'root' }, 'body.role'],
      [{ email: 'not-an-email' }, 'body.email'],
      [{ password: 'short' }, 'body.password'],
      [{ language: 'fr' }, 'body.language'],
      [{ teamIds: ['nope'] }, 'body.teamIds.0'],
      [{ agentEnabled: 'yes' }, 'body.agentEnabled'],
    ];
    for (const [over, field] of cases) {
      const r = await admin.post('/api/users', { email: email(), name: 'Tipos', role: 'agent', password: 'password-123', ...over });
      expect(r.status, field).toBe(400);
      expect(r.body.error.message, field).toContain(field);
    }
  });

  it('an over-long string is a 400; a body over 1 MiB is a 413', async () => {
    const long = await admin.post('/api/users', { email: email(), name: 'x'.repeat(121), role: 'agent', password: 'password-123' });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain('body.name');
    const longEmail = await admin.post('/api/users', { email: `${'a'.repeat(250)}@test.local`, name: 'Longo', role: 'agent', password: 'password-123' });
    expect(longEmail.status).toBe(400);
    expect(longEmail.body.error.message).toContain('body.email');

    const huge = await admin.post('/api/users', { email: email(), name: 'Enorme', role: 'agent', password: 'x'.repeat(1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });

  it('a duplicate e-mail, in any case, is a 409 on create and on update', async () => {
    const u = await createUser(admin);
    const dup = await admin.post('/api/users', { email: u.email.toUpperCase(), name: 'Dup', role: 'agent', password: 'password-123' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
    expect(dup.body.error.message).toContain('email');
    // the field in `issues`, for the form to show the message under it
    expect(dup.body.error.issues).toEqual([{ path: 'email', message: 'a user with this e-mail already exists' }]);

    const other = await createUser(admin);
    const rename = await admin.patch(`/api/users/${other.id}`, { email: ` ${u.email.toUpperCase()}`.trim() });
    expect(rename.status).toBe(409);
    expect((await admin.get(`/api/users/${other.id}`)).body.email).toBe(other.email);
  });

  it('a link to a team that does not exist is a 422 and changes nothing', async () => {
    const e = email();
    const r = await admin.post('/api/users', { email: e, name: 'Sem Equipe', role: 'agent', password: 'password-123', teamIds: [randomUUID()] });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('unknown_reference');
    expect(r.body.error.message).toContain('teamIds');
    // the transaction rolled back: the e-mail is still free
    expect((await admin.post('/api/users', { email: e, name: 'Agora Sim', role: 'agent', password: 'password-123' })).status).toBe(201);

    const u = await createUser(admin);
    const patch = await admin.patch(`/api/users/${u.id}`, { supervisedTeamIds: [randomUUID()] });
    expect(patch.status).toBe(422);
    expect(patch.body.error.message).toContain('supervisedTeamIds');
  });
});

describe('errors in the language the request asks for', () => {
  const pt = { 'accept-language': 'pt-BR,pt;q=0.9,en;q=0.8' };

  it('Accept-Language pt-BR gets Portuguese; none, or English, gets English; the code and the paths stay the same', async () => {
    const body = { email: 'not-an-email', name: '', role: 'agent', password: 'password-123', isRoot: true };
    const en = await admin.post('/api/users', body);
    const br = await admin.request('POST', '/api/users', body, pt);
    expect([en.status, br.status]).toEqual([400, 400]);
    expect(br.body.error.code).toBe(en.body.error.code);
    expect(br.body.error.issues.map((i: { path: string }) => i.path)).toEqual(en.body.error.issues.map((i: { path: string }) => i.path));
    expect(br.body.error.issues).toEqual(expect.arrayContaining([
      { path: 'body.email', message: 'e-mail inválido' },
      { path: 'body.name', message: 'não pode ficar vazio' },
      { path: 'body.isRoot', message: 'campo desconhecido' },
    ]));
    expect(en.body.error.issues).toContainEqual({ path: 'body.isRoot', message: 'unknown field' });
    expect((await admin.request('POST', '/api/users', { email: 'x@y.z' }, { 'accept-language': 'en-US' })).body.error.issues)
      .toContainEqual({ path: 'body.password', message: 'required' });
    expect((await admin.request('POST', '/api/users', { email: 'x@y.z' }, pt)).body.error.issues).toContainEqual({ path: 'body.password', message: 'obrigatório' });
  });

  it('the domain’s refusals too: a conflict, a missing thing, a forbidden role, an unknown route', async () => {
    const existing = await createUser(admin);
    const dup = await admin.request('POST', '/api/users', { email: existing.email, name: 'Outra', role: 'agent', password: 'password-123' }, pt);
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('email: já existe um usuário com este e-mail');
    const missing = await admin.request('GET', `/api/users/${randomUUID()}`, undefined, pt);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/^Usuário [0-9a-f-]{36} não encontrado$/);
    const team = await admin.request('GET', `/api/teams/${randomUUID()}`, undefined, pt);
    expect(team.body.error.message).toMatch(/^Departamento .* não encontrado$/);
    const agentUser = await createUser(admin, { role: 'agent' });
    const agent = await t.login(agentUser.email, agentUser.password);
    const denied = await agent.request('POST', '/api/teams', { name: unique('Equipe') }, pt);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('o perfil agente não permite esta ação');
    expect((await admin.request('GET', '/api/nada', undefined, pt)).body.error.message).toBe('rota inexistente: GET /api/nada');
    expect((await admin.request('GET', '/api/nada')).body.error.message).toBe('no route GET /api/nada');
  });
});

describe('users: roles', () => {
  it('only an admin writes: an agent or a supervisor gets 403', async () => {
    const agent = await createUser(admin, { role: 'agent' });
    const supervisor = await createUser(admin, { role: 'supervisor' });
    const target = await createUser(admin);
    for (const u of [agent, supervisor]) {
      const c = await t.login(u.email, u.password);
      const body = { email: email(), name: 'Intrusa', role: 'admin', password: 'password-123' };
      const post = await c.post('/api/users', body);
      expect(post.status, u.role).toBe(403);
      expect(post.body.error.code).toBe('forbidden');
      expect((await c.patch(`/api/users/${target.id}`, { role: 'admin' })).status).toBe(403);
      expect((await c.patch(`/api/users/${u.id}`, { role: 'admin' })).status).toBe(403);
      expect((await c.del(`/api/users/${target.id}`)).status).toBe(403);
    }
    expect((await admin.get(`/api/users/${target.id}`)).body).toMatchObject({ role: 'agent', active: true });
  });

  it('an agent sees only themself in /api/users', async () => {
    const agent = await createUser(admin);
    const other = await createUser(admin);
    const c = await t.login(agent.email, agent.password);
    const list = await c.get('/api/users');
    expect(list.status).toBe(200);
    expect(ids(list)).toEqual([agent.id]);
    expect((await c.get(`/api/users/${agent.id}`)).status).toBe(200);
    expect((await c.get(`/api/users/${other.id}`)).status).toBe(404);
  });
});

describe('users: the last active admin', () => {
  it('cannot be demoted or deactivated (409); with a second admin it can', async () => {
    // its own database, so no admin made by another test counts
    const own = await startTestApp();
    try {
      const root = await own.login();
      const me = (await root.get('/api/auth/me')).body;
      const demote = await root.patch(`/api/users/${me.id}`, { role: 'supervisor' });
      expect(demote.status).toBe(409);
      expect(demote.body.error.code).toBe('conflict');
      expect((await root.del(`/api/users/${me.id}`)).status).toBe(409);
      expect((await root.patch(`/api/users/${me.id}`, { active: false })).status).toBe(409);
      expect((await root.get(`/api/users/${me.id}`)).body).toMatchObject({ role: 'admin', active: true });

      // a deactivated admin does not count as the other admin
      const sleeping = await createUser(root, { role: 'admin', active: false });
      expect((await root.del(`/api/users/${me.id}`)).status).toBe(409);

      const second = await createUser(root, { role: 'admin' });
      expect((await root.patch(`/api/users/${me.id}`, { role: 'supervisor' })).status).toBe(200);
      const c2 = await own.login(second.email, second.password);
      expect((await c2.del(`/api/users/${second.id}`)).status).toBe(409);
      expect((await c2.patch(`/api/users/${sleeping.id}`, { active: true })).status).toBe(200);
      expect((await c2.del(`/api/users/${second.id}`)).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('two admins demoting each other at the same time leave one admin', async () => {
    const own = await startTestApp();
    try {
      const root = await own.login();
      const me = (await root.get('/api/auth/me')).body;
      for (let round = 0; round < 10; round++) {
        const other = await createUser(root, { role: 'admin' });
        const c2 = await own.login(other.email, other.password);
        const [a, b] = await Promise.all([
          root.patch(`/api/users/${other.id}`, { role: 'agent' }),
          c2.patch(`/api/users/${me.id}`, { role: 'agent' }),
        ]);
        // the loser is refused by the guard (409), or by the sign-in check once it is no longer an admin (403)
        expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1);
        expect([a.status, b.status].filter((s) => s !== 200)[0]).toBeOneOf([403, 409]);
        const admins = (await own.db.query<{ id: string }>(`SELECT id FROM users WHERE role = 'admin' AND active`)).rows;
        expect(admins).toHaveLength(1);
        // whoever is left restores the other side for the next round
        if (admins[0].id !== me.id) {
          await c2.patch(`/api/users/${me.id}`, { role: 'admin' });
          await root.patch(`/api/users/${other.id}`, { role: 'agent' });
        }
      }
    } finally {
      await own.close();
    }
  });
});

describe('users: the password stays secret', () => {
  it('never appears in a response nor in the audit log, where it is [redacted]', async () => {
    const password = `secret-${randomUUID()}`;
    const created = await admin.post('/api/users', { email: email(), name: unique('Segredo'), role: 'agent', password });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const newPassword = `other-${randomUUID()}`;
    const responses = [
      created,
      await admin.get(`/api/users/${id}`),
      await admin.get('/api/users'),
      await admin.patch(`/api/users/${id}`, { password: newPassword }),
      await admin.del(`/api/users/${id}`),
    ];
    const { rows } = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [id]);
    const audit = await admin.get(`/api/audit?entity=user&entityId=${id}`);
    expect(audit.body.items.map((i: { action: string }) => i.action)).toEqual(['deactivate', 'update', 'create']);
    for (const r of [...responses, audit]) {
      const text = JSON.stringify(r.body);
      expect(text).not.toContain(password);
      expect(text).not.toContain(newPassword);
      expect(text).not.toContain(rows[0].password_hash);
      expect(text).not.toMatch(/passwordHash|password_hash/);
    }
    // the audit says the password was set, without the value
    const [, update, create] = audit.body.items;
    expect(create.after.password).toBe('[redacted]');
    expect(update.after.password).toBe('[redacted]');
    expect(update.before).not.toHaveProperty('password');
  });
});
