import { describe, expect, it } from 'vitest';
import { serverNodeFlags } from '../../scripts/server-flags.mjs';

describe('the server’s Node.js flags (scripts/server-flags.mjs)', () => {
  it('on PGlite a larger young generation, on PostgreSQL none; the operator’s own choice wins, from NODE_OPTIONS or the command line', () => {
    expect(serverNodeFlags({ DATABASE_URL: 'postgres://db/mirante' }, [])).toEqual([]);
    expect(serverNodeFlags({ DATABASE_URL: 'postgres://db/mirante' }, ['--max-semi-space-size=32'])).toEqual(['--max-semi-space-size=32']);
    expect(serverNodeFlags({ DATABASE_URL: '' }, [])).toEqual(['--max-semi-space-size=64']);
    expect(serverNodeFlags({}, [])).toEqual(['--max-semi-space-size=64']);
    expect(serverNodeFlags({}, ['--import', 'tsx'])).toEqual(['--max-semi-space-size=64']);
    // NODE_OPTIONS reaches the server by inheritance: nothing to add
    expect(serverNodeFlags({ NODE_OPTIONS: '--max-old-space-size=4096 --max-semi-space-size=16' }, [])).toEqual([]);
    // given to `node scripts/start.mjs` itself: passed on to the server
    expect(serverNodeFlags({}, ['--max-semi-space-size=32', '--import', 'tsx'])).toEqual(['--max-semi-space-size=32']);
    // other options are the operator's too, and not ours to repeat
    expect(serverNodeFlags({ NODE_OPTIONS: '--max-old-space-size=4096' }, ['--trace-warnings'])).toEqual(['--max-semi-space-size=64']);
  });
});
