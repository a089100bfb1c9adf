import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, appForFile, createApiService, type Client, type TestApp } from '../support/test-app.js';

// A page on another site (a sibling subdomain passes SameSite=Lax) must not act with the user's
// cookie: a state-changing cookie request needs Mirante's own Origin and a JSON body.

const foreign = { origin: 'https://widget-host.example.com', 'sec-fetch-site': 'same-site' };

describe('cross-site requests with the session cookie (no PUBLIC_URL: the Origin must be the Host)', () => {
  let t: TestApp;
  let admin: Client;
  appForFile((app) => ({ t, admin } = app));

  it("an empty text/plain POST from a foreign page does not rotate a service's API credentials", async () => {
    const { service, send } = await createApiService(t, admin);
    const r = await admin.request('POST', `/api/services/${service.id}/api-credentials`, '', { ...foreign, 'content-type': 'text/plain' });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('cross_site_request');
    // the old token still works: nothing was rotated
    expect((await send({ contact: { externalId: 'c' }, externalId: 'e1', text: 'oi' })).status).toBe(202);
  });

  it('nor marks every alert read, with only the Origin or only Sec-Fetch-Site telling', async () => {
    const tries: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }];
    for (const headers of tries) {
      const r = await admin.request('POST', '/api/alerts/read-all', undefined, headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
    }
  });

  it("Mirante's own pages go through: Origin equal to the Host, Sec-Fetch-Site same-origin", async () => {
    const own = { origin: t.url, 'sec-fetch-site': 'same-origin' };
    expect((await admin.request('POST', '/api/alerts/read-all', undefined, own)).status).toBe(204);
    expect((await admin.request('POST', '/api/teams', { name: 'Equipe da casa' }, own)).status).toBe(201);
    // reads are not state changes: a foreign Origin on a GET is not refused here
    expect((await admin.request('GET', '/api/teams', undefined, foreign)).status).toBe(200);
  });

  it('a cookie request whose body is not JSON is a 415, even from our own Origin', async () => {
    const r = await admin.request('POST', '/api/teams', 'name=Equipe', { origin: t.url, 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(415);
    expect(r.body.error.message).toContain('application/json');
  });

  it('sign-in from a foreign page is refused (no login CSRF); from no page at all (curl) it works', async () => {
    const body = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD };
    expect((await t.anonymous().request('POST', '/api/auth/login', body, foreign)).status).toBe(403);
    expect((await t.anonymous().request('POST', '/api/auth/login', body)).status).toBe(200);
  });

  it('in Portuguese when asked', async () => {
    const r = await admin.request('POST', '/api/alerts/read-all', undefined, { ...foreign, 'accept-language': 'pt-BR' });
    expect(r.body.error.message).toBe('esta requisição veio de outro site; use o Mirante pelo próprio endereço dele');
  });
});

describe('with PUBLIC_URL, its origin is the only one accepted', () => {
  let t: TestApp;
  let admin: Client;
  appForFile((app) => ({ t, admin } = app), { publicUrl: 'https://mirante.example.com.br' });

  it('the public origin passes; the Host the request reached does not stand in for it', async () => {
    expect((await admin.request('POST', '/api/alerts/read-all', undefined, { origin: 'https://mirante.example.com.br' })).status).toBe(204);
    expect((await admin.request('POST', '/api/alerts/read-all', undefined, { origin: t.url })).status).toBe(403);
    const wrong = await admin.request('POST', '/api/alerts/read-all', undefined, { origin: 'http://mirante.example.com.br' });
    expect(wrong.status).toBe(403);
    // the refusal names the address to use
    expect(wrong.body.error.message).toBe('this request came from another site; use Mirante from its own address (https://mirante.example.com.br)');
  });
});
