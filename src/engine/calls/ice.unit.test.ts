import { describe, expect, it } from 'vitest';
import { iceServersFor, parseIceConfig, turnCredential } from './ice.js';

const CALL = '3f2b1c9e-0000-4000-8000-000000000001';
const NOW = new Date(1_700_000_000_000);

describe('ICE servers and per-call TURN credentials (coturn REST scheme)', () => {
  it('username <expiry-unix>:<callId>, credential base64(HMAC-SHA1(secret, username))', () => {
    // computed by hand: echo -n '1700021600:<call>' | openssl dgst -sha1 -hmac 'coturn-shared-secret' -binary | base64
    expect(turnCredential('coturn-shared-secret', CALL, NOW)).toEqual({
      username: `1700021600:${CALL}`,
      credential: 'tWBkrC3VxnB03GikRjgt8dAcOWg=',
    });
    // another secret, another credential: nothing fixed is ever handed out
    expect(turnCredential('other', CALL, NOW).credential).not.toBe('tWBkrC3VxnB03GikRjgt8dAcOWg=');
  });

  it('TURN entries without their own username get the call’s credential; STUN and explicit ones stay as configured', () => {
    const config = parseIceConfig({
      ICE_SERVERS: JSON.stringify([
        { urls: 'stun:stun.example.com:3478' },
        { urls: ['turn:turn.example.com:3478', 'turns:turn.example.com:5349'] },
        { urls: 'turn:fixed.example.com', username: 'u', credential: 'p' },
      ]),
      TURN_SECRET: 'coturn-shared-secret',
    });
    const servers = iceServersFor(config, CALL, NOW);
    expect(servers[0]).toEqual({ urls: 'stun:stun.example.com:3478' });
    expect(servers[1]).toEqual({ urls: ['turn:turn.example.com:3478', 'turns:turn.example.com:5349'], username: `1700021600:${CALL}`, credential: 'tWBkrC3VxnB03GikRjgt8dAcOWg=' });
    expect(servers[2]).toEqual({ urls: 'turn:fixed.example.com', username: 'u', credential: 'p' });
    // without TURN_SECRET the TURN entry goes as configured
    expect(iceServersFor({ servers: config.servers }, CALL, NOW)[1]).toEqual({ urls: ['turn:turn.example.com:3478', 'turns:turn.example.com:5349'] });
  });

  it('default: no servers; a malformed ICE_SERVERS stops the start with a message that says what is wrong', () => {
    expect(parseIceConfig({}).servers).toEqual([]);
    expect(() => parseIceConfig({ ICE_SERVERS: 'turn:x' })).toThrow(/ICE_SERVERS must be JSON/);
    expect(() => parseIceConfig({ ICE_SERVERS: '[{"url":"turn:x"}]' })).toThrow(/ICE_SERVERS must be an array.*urls/);
  });
});
