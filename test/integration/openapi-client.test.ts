import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallError, apiClient, operationUrl } from '../../src/contracts/api-client.js';
import { clientModule, type OpenApiDocument } from '../../src/server/openapi-types.js';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { ADMIN_EMAIL, createService, createTeam, startTestApp, unique, type Client, type TestApp } from '../support/test-app.js';

// The typed client generated from the OpenAPI document: the generated types match the document the
// server serves now, and calls by operationId reach the right routes with their parameters.

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login();
});
afterAll(() => t.close());

describe('the typed API client', () => {
  it('is generated from the OpenAPI document the server serves (run `npx tsx scripts/openapi-client.ts` when this fails)', async () => {
    const doc = (await t.anonymous().get('/api/openapi.json')).body as OpenApiDocument;
    const generated = readFileSync(new URL('../../src/contracts/openapi.gen.ts', import.meta.url), 'utf8');
    expect(generated).toBe(clientModule(doc));
    // every operation is there
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => (op as { operationId: string }).operationId));
    for (const id of ids) expect(generated).toContain(`  ${id}: { method: `);
  });

  it('calls operations by id: path parameters, bodies, query lists, errors as ApiCallError', async () => {
    const call = apiClient(t.url, { headers: { cookie: admin.cookie } });
    const me = await call('getAuthMe');
    expect(me.email).toBe(ADMIN_EMAIL);
    expect(me.role).toBe('admin');

    const name = unique('Equipe');
    const created = await call('postTeams', { body: { name, maxChat: 4 } });
    const read = await call('getTeamsById', { params: { id: created.id } });
    expect(read).toMatchObject({ id: created.id, name, maxChat: 4 });

    const missing = await call('getTeamsById', { params: { id: randomUUID() } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiCallError);
    expect((missing as ApiCallError).status).toBe(404);
    expect((missing as ApiCallError).body).toMatchObject({ error: { code: 'not_found' } });
    await expect(apiClient(t.url)('getAuthMe')).rejects.toMatchObject({ status: 401 });

    // a list in the query goes comma-separated, as the API reads it
    const team = await createTeam(admin);
    const s = await createService(admin, { channel: 'telegram', teamIds: [team.id] });
    await receiveInbound(t.runtime.engine, { serviceId: s.id, channel: 'telegram', contact: { externalId: unique('c') }, externalId: unique('m'), text: 'oi' });
    await t.settle();
    // the contact center's day (São Paulo), not UTC's: from 21:00 there UTC is already tomorrow
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(new Date());
    const page = await call('getLookbackConversations', { query: { family: 'messaging', from: today, to: today, serviceIds: [s.id, randomUUID()], states: ['queued', 'bot'] } });
    expect(page.rows.map((c) => c.serviceId)).toEqual([s.id]);
  });

  it('is checked by the compiler: a missing path parameter or a wrong field does not build', () => {
    const call = apiClient(t.url);
    // never called: these lines are here for tsc (npm run typecheck fails if one stops being an error)
    const unbuildable = () => {
      // @ts-expect-error getTeamsById needs its id
      void call('getTeamsById');
      // @ts-expect-error a team has no field "colour"
      void call('postTeams', { body: { name: 'x', colour: 'blue' } });
      // @ts-expect-error no such operation
      void call('getNothing');
    };
    expect(typeof unbuildable).toBe('function');
  });

  it('builds URLs: encoded path parameters, lists comma-separated, undefined left out', () => {
    expect(operationUrl('http://x', '/api/teams/{id}', { id: 'a b/c' })).toBe('http://x/api/teams/a%20b%2Fc');
    expect(operationUrl('', '/api/q', {}, { ids: ['a', 'b'], n: 3, skip: undefined })).toBe('/api/q?ids=a%2Cb&n=3');
    expect(() => operationUrl('', '/api/teams/{id}')).toThrow(/id is missing/);
  });
});
