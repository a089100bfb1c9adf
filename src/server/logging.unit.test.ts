import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseLogFormat } from './config.js';
import { OutboxAttemptFailed } from '../engine/outbox.js';
import { logLoopFailure, logStream, requestId } from './logging.js';

describe('log format', () => {
  it('LOG_FORMAT wins; unset, readable on a terminal and JSON elsewhere', () => {
    expect(parseLogFormat(undefined, true)).toBe('pretty');
    expect(parseLogFormat(undefined, false)).toBe('json');
    expect(parseLogFormat('json', true)).toBe('json');
    expect(parseLogFormat(' Pretty ', false)).toBe('pretty');
    expect(() => parseLogFormat('xml', true)).toThrow(/LOG_FORMAT must be json or pretty/);
  });

  it('json writes nothing of its own (pino writes JSON); pretty writes one readable line per request, its id first', async () => {
    expect(logStream('json')).toBeUndefined();
    const out = new PassThrough();
    let text = '';
    out.on('data', (c) => (text += String(c)));
    const log = pino({ level: 'info' }, logStream('pretty', out)!);
    log.child({ reqId: 'r-42' }).info({ req: { method: 'GET', url: '/api/teams' }, res: { statusCode: 404 }, responseTime: 3.2 }, 'request completed');
    log.info('plain line');
    await new Promise((r) => setImmediate(r));
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/INFO.*\[r-42\] request completed GET \/api\/teams 404 3\.2 ms$/);
    expect(lines[1]).toMatch(/INFO.*plain line$/);
    expect(text).not.toMatch(/^\s*\{/m);
  });
});

describe('requestId', () => {
  it('keeps a short id of safe characters, and makes a new one for anything else', () => {
    expect(requestId('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(requestId('x'.repeat(64))).toBe('x'.repeat(64));
    for (const bad of [undefined, '', 'x'.repeat(65), 'a b', 'a\nb', 'ação', ['a', 'b']]) {
      expect(requestId(bad as string | string[] | undefined)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(requestId(undefined)).not.toBe(requestId(undefined));
  });
});

describe('logLoopFailure', () => {
  it('an outbox attempt to be retried is one warning line saying what comes next; one given up is an error with its stack', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c) => (text += String(c)));
    const log = pino({ level: 'info' }, logStream('pretty', out)!);
    const hangUp = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const item = { id: 7, kind: 'channel_send', message_id: 42 };
    logLoopFailure(log, 'engine loop', new OutboxAttemptFailed(item, 3, 6_400, hangUp));
    logLoopFailure(log, 'engine loop', new OutboxAttemptFailed({ ...item, message_id: null }, 12, null, hangUp));
    logLoopFailure(log, 'engine loop', new Error('the database went away'));
    await new Promise((r) => setImmediate(r));
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/WARN.*engine loop: outbox item 7 \(channel_send, message 42\): attempt 3 failed, retried in 6\.4 s: socket hang up$/);
    // the warning is one line: no stack
    expect(lines[1]).toMatch(/ERROR.*engine loop$/);
    expect(text).toMatch(/"message": "outbox item 7 \(channel_send\): attempt 12 failed, given up: socket hang up"/);
    expect(text).toMatch(/caused by: Error: socket hang up/);
    expect(text).toMatch(/ERROR.*engine loop\n[\s\S]*the database went away[\s\S]*at /);
    expect(text.match(/WARN/g)).toHaveLength(1);
    expect(text.match(/ERROR/g)).toHaveLength(2);
  });
});
