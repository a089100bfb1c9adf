import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type { StoredEvent } from '../../src/contracts/events.js';
import { appendEvents } from '../../src/engine/events.js';
import { freshDatabase } from '../support/test-app.js';

// The event log's append: one statement text for any number of events (arrays, the payloads as one
// JSON array), the seqs drawn in the events' order, past the 1,000 events of one statement too.
describe('appendEvents', () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ db, drop } = await freshDatabase()));
  afterAll(() => drop());

  it('stores every event in its order, its payload and its ids as given, in one or several statements', async () => {
    const agents = [randomUUID(), randomUUID()];
    // a text the JSON array must carry intact: quotes, a backslash, a comma, a bracket, accents, an emoji
    const tricky = 'Olá, "cliente" \\ [ação] 😀 {x}';
    const make = (n: number): StoredEvent =>
      (n % 3 === 0
        ? { type: 'catalog.updated', v: 1, serviceId: null, agentId: null, n, note: tricky }
        : { type: 'agent.updated', v: 1, reason: 'assigned', serviceId: null, agentId: agents[n % 2], n }) as unknown as StoredEvent;
    for (const count of [1, 7, 1203]) {
      const events = Array.from({ length: count }, (_, i) => make(i));
      const at = new Date('2026-12-07T12:00:00.000Z');
      const stored = await db.transaction((tx) => appendEvents(tx, db.kind, events, at));
      expect(stored.map((e) => (e as unknown as { n: number }).n)).toEqual(events.map((_, i) => i));
      const seqs = stored.map((e) => e.seq);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
      const { rows } = await db.query<{ seq: number; type: string; agent_id: string | null; conversation_id: string | null; n: number; note: string | null; at: Date }>(
        `SELECT seq, type, agent_id, conversation_id, (payload->>'n')::int AS n, payload->>'note' AS note, at FROM events WHERE seq >= $1 ORDER BY seq`,
        [seqs[0]],
      );
      expect(rows.map((r) => r.seq)).toEqual(seqs);
      expect(rows.map((r) => r.n)).toEqual(events.map((_, i) => i));
      expect(rows.map((r) => r.type)).toEqual(events.map((e) => e.type));
      expect(rows.map((r) => r.agent_id)).toEqual(events.map((e) => e.agentId));
      expect(rows.every((r) => r.conversation_id === null && r.at.getTime() === at.getTime())).toBe(true);
      expect(rows.filter((r) => r.type === 'catalog.updated').every((r) => r.note === tricky)).toBe(true);
    }
  });
});
