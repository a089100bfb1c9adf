import { describe, expect, it } from 'vitest';
import { isOwnOrigin } from './origin.js';

const req = (headers: Record<string, string>) => ({ headers });

describe('isOwnOrigin', () => {
  it('with a PUBLIC_URL on loopback, accepts its other loopback names on the same scheme and port, served from that host', () => {
    const pub = 'http://localhost:3000';
    expect(isOwnOrigin(req({ origin: 'http://localhost:3000', host: 'localhost:3000' }), pub)).toBe(true);
    expect(isOwnOrigin(req({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000', 'sec-fetch-site': 'same-origin' }), pub)).toBe(true);
    expect(isOwnOrigin(req({ origin: 'http://[::1]:3000', host: '[::1]:3000' }), pub)).toBe(true);
    // another port, another scheme, a page on loopback posting to another host, a foreign site
    expect(isOwnOrigin(req({ origin: 'http://127.0.0.1:4000', host: '127.0.0.1:4000' }), pub)).toBe(false);
    expect(isOwnOrigin(req({ origin: 'https://127.0.0.1:3000', host: '127.0.0.1:3000' }), pub)).toBe(false);
    expect(isOwnOrigin(req({ origin: 'http://127.0.0.1:3000', host: 'localhost:3000' }), pub)).toBe(false);
    expect(isOwnOrigin(req({ origin: 'http://evil.example:3000', host: 'evil.example:3000' }), pub)).toBe(false);
    expect(isOwnOrigin(req({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000', 'sec-fetch-site': 'cross-site' }), pub)).toBe(false);
  });

  it('with a public PUBLIC_URL, accepts its origin alone, whatever the Host', () => {
    const pub = 'https://mirante.example.com.br';
    expect(isOwnOrigin(req({ origin: 'https://mirante.example.com.br', host: 'internal:3000' }), pub)).toBe(true);
    expect(isOwnOrigin(req({ origin: 'http://localhost:3000', host: 'localhost:3000' }), pub)).toBe(false);
  });
});
