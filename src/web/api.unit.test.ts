import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, call, resources, SESSION_CHECK_EVENT, searchOf, upload } from './api';

// The web app's calls by operationId: the URL, method and body come from the OpenAPI document
// (openapi.gen.ts), refusals become ApiError with the server's issues, a 401 asks who is signed in.

vi.mock('./i18n', () => ({ default: { language: 'en', t: (key: string) => key } }));

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}
let sent: Sent[];
let answer: { status: number; body?: unknown };
let sessionChecks: number;

beforeEach(() => {
  sent = [];
  answer = { status: 200, body: {} };
  sessionChecks = 0;
  const win = new EventTarget();
  win.addEventListener(SESSION_CHECK_EVENT, () => sessionChecks++);
  vi.stubGlobal('window', win);
  vi.stubGlobal('fetch', async (url: string, init: { method: string; headers: Record<string, string>; body?: unknown }) => {
    sent.push({ url, method: init.method, headers: init.headers, body: init.body });
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    return new Response(answer.status === 204 ? null : text, { status: answer.status, headers: { 'content-type': 'application/json' } });
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('call: one operation by its operationId', () => {
  it('fills the path parameters, sends the JSON body, and answers the server’s JSON', async () => {
    answer = { status: 201, body: { id: 'm1', text: 'oi' } };
    const m = await call('postConversationsByIdMessages', { params: { id: 'a b' }, body: { text: 'oi' } });
    expect(m).toEqual({ id: 'm1', text: 'oi' });
    expect(sent).toEqual([{ url: '/api/conversations/a%20b/messages', method: 'POST', headers: { 'accept-language': 'en', 'content-type': 'application/json' }, body: '{"text":"oi"}' }]);
  });

  it('writes the query as the API reads it (lists comma-separated, undefined left out), and sends no body without one', async () => {
    answer = { status: 200, body: { rows: [], next: null } };
    await call('getLookbackConversations', { query: { states: ['queued', 'bot'], serviceIds: undefined, limit: 50 } });
    await call('postAgentLogin');
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/lookback/conversations?states=queued%2Cbot&limit=50', 'POST /api/agent/login']);
    expect(sent[1].body).toBeUndefined();
    expect(sent[1].headers['content-type']).toBeUndefined();
  });

  it('answers undefined for a 204', async () => {
    answer = { status: 204 };
    await expect(call('deleteAuthSessionsById', { params: { id: 's1' } })).resolves.toBeUndefined();
    expect(sent[0]).toMatchObject({ url: '/api/auth/sessions/s1', method: 'DELETE' });
  });

  it('throws ApiError with the code, the message and the field issues', async () => {
    answer = { status: 400, body: { error: { code: 'validation_error', message: 'name: obrigatório', issues: [{ path: 'body.name', message: 'obrigatório' }] } } };
    const e = await call('postTeams', { body: { name: '' } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 400, code: 'validation_error', message: 'name: obrigatório', issues: [{ path: 'body.name', message: 'obrigatório' }] });
    expect(sessionChecks).toBe(0);
  });

  it('asks who is signed in on a 401, except from the sign-in routes themselves', async () => {
    answer = { status: 401, body: { error: { code: 'unauthorized', message: 'sign in' } } };
    await expect(call('getTeams')).rejects.toMatchObject({ status: 401 });
    expect(sessionChecks).toBe(1);
    await expect(call('getAuthMe')).rejects.toMatchObject({ status: 401 });
    expect(sessionChecks).toBe(1);
  });

  it('turns a network failure into ApiError 0 in the screen’s words', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(call('getTeams')).rejects.toMatchObject({ status: 0, code: 'network', message: 'common.network' });
  });
});

describe('resources, upload and searchOf', () => {
  it('reaches a resource’s list, create, update and deactivate by its operationIds', async () => {
    answer = { status: 200, body: { items: [{ id: 't1' }] } };
    expect(await resources.list('Teams', { active: 'true' })).toEqual([{ id: 't1' }]);
    await resources.create('PauseReasons', { name: 'Almoço' });
    await resources.update('TemplateCategories', 'c1', { active: true });
    await resources.deactivate('ChannelAccounts', 'a1');
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/teams?active=true',
      'POST /api/pause-reasons',
      'PATCH /api/template-categories/c1',
      'DELETE /api/channel-accounts/a1',
    ]);
    expect(resources.path('Users')).toBe('/api/users');
  });

  it('uploads a file as the raw body, named in x-filename', async () => {
    answer = { status: 201, body: { id: 'f1', name: 'nota fiscal.pdf', type: 'application/pdf', size: 3, url: '/api/attachments/f1' } };
    const file = new File(['abc'], 'nota fiscal.pdf', { type: 'application/pdf' });
    const up = await upload('postConversationsByIdAttachments', { params: { id: 'c1' } }, file);
    expect(up.id).toBe('f1');
    expect(sent[0]).toMatchObject({ url: '/api/conversations/c1/attachments', method: 'POST', body: file });
    expect(sent[0].headers).toMatchObject({ 'content-type': 'application/pdf', 'x-filename': 'nota%20fiscal.pdf' });
  });

  it('writes a query as URL parameters for a download', () => {
    expect(searchOf({ from: '2026-01-01', serviceIds: ['a', 'b'], channel: undefined }).toString()).toBe('from=2026-01-01&serviceIds=a%2Cb');
  });
});

describe('the compiler checks each call against the OpenAPI document', () => {
  it('refuses a wrong field, a missing parameter, an unknown operation or a non-upload upload', () => {
    // never called: these lines are here for tsc (npm run typecheck fails if one stops being an error)
    const unbuildable = () => {
      // @ts-expect-error postTeams has no field "colour"
      void call('postTeams', { body: { name: 'x', colour: 'blue' } });
      // @ts-expect-error getTeamsById needs its id
      void call('getTeamsById');
      // @ts-expect-error the id of a conversation is a string
      void call('getConversationsById', { params: { id: 7 } });
      // @ts-expect-error "mine" is 'true' or 'false' in the query, not a boolean
      void call('getConversations', { query: { mine: true } });
      // @ts-expect-error no such operation
      void call('getNothing');
      // @ts-expect-error postTeams takes JSON, not a file
      void upload('postTeams', {}, new File([], 'x'));
      // @ts-expect-error Teams is a resource; Team is not
      void resources.list('Team');
      // the answer is typed too: a team has a name, not a title
      void call('getTeamsById', { params: { id: 't' } }).then((team) => {
        // @ts-expect-error no field "title" on a team
        void team.title;
        return team.name;
      });
    };
    expect(typeof unbuildable).toBe('function');
  });
});
