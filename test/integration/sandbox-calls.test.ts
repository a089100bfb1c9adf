import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox, SandboxCall } from '../../src/sandbox/sandbox.js';
import { telegramProvider } from '../../src/sandbox/telegram.js';
import { startTestSandbox } from '../support/provider-sandbox.js';

// The sandbox tells its listeners of each call Mirante makes, with the answer it gave (the demo's
// customers react to what Mirante sent them): one listener for every provider, in sandbox.ts.

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox([telegramProvider()]);
  return () => sandbox.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${sandbox.url}/telegram${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the sandbox\'s call listeners', () => {
  it('hear each call with its status and parsed answer, until they unsubscribe', async () => {
    const heard: SandboxCall[] = [];
    const stop = sandbox.onCall((c) => heard.push(c));
    await post('/bot11:abc/sendMessage', { chat_id: 42, text: 'Olá' });
    await post('/bot11:abc/sendMessage', { chat_id: 42, text: '' });
    expect(heard).toHaveLength(2);
    expect(heard[0]).toMatchObject({ provider: 'telegram', method: 'POST', url: '/bot11:abc/sendMessage', status: 200, body: { chat_id: 42, text: 'Olá' } });
    expect((heard[0].response as { result: { text: string; chat: { id: number } } }).result).toMatchObject({ text: 'Olá', chat: { id: 42 } });
    expect(heard[1]).toMatchObject({ status: 400, response: { ok: false, description: 'Bad Request: message text is empty' } });
    // the same call as the record tests read
    expect(sandbox.requests.at(-1)?.url).toBe('/bot11:abc/sendMessage');
    stop();
    await post('/bot11:abc/sendMessage', { chat_id: 42, text: 'de novo' });
    expect(heard).toHaveLength(2);
  });

  it('keep the sandbox answering when a listener throws', async () => {
    const stop = sandbox.onCall(() => {
      throw new Error('a listener of its own failing');
    });
    const r = await post('/bot11:abc/getMe', {});
    expect(r.status).toBe(200);
    stop();
  });
});
