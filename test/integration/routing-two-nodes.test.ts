// Routing skips a wake for a queue whose agents were all full at its last look (issue 13). That belief
// must not outlive a slot freed on another node: the freeing node's events reach this one over Redis
// and make every queue worth a look again. Two runtimes on one PostgreSQL and Redis, loops driven by
// hand, so nothing but that event can make the difference.
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, createService, createTeam, createUser, unique } from '../support/test-app.js';
import { severalNodesSkipReason, useTwoNodes } from '../support/two-nodes.js';

const skipReason = await severalNodesSkipReason();

describe.skipIf(skipReason !== null)(`routing's "all full" belief across nodes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const { nodes, signIn } = useTwoNodes();

  it('a slot freed on node B makes node A look at the queue it believed full', async () => {
    const [a, b] = nodes;
    const admin = await signIn(a, ADMIN_EMAIL, ADMIN_PASSWORD);
    const team = await createTeam(admin, { maxChat: 1 });
    const service = await createService(admin, { channel: 'api', teamIds: [team.id] });
    const { token } = (await admin.post(`/api/services/${service.id}/api-credentials`)).body;
    const x = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    const desk = await signIn(a, x.email, x.password);
    expect((await desk.post('/api/agent/login')).status).toBe(200);
    const send = async (customer: string) => {
      const r = await new Client(a.url).request('POST', `/api/channels/api/${service.id}/messages`, { contact: { externalId: customer }, externalId: unique('m'), text: 'oi' }, { authorization: `Bearer ${token}` });
      expect(r.status).toBe(202);
      await a.runtime.router.idle();
      return r.body.conversationId as string;
    };
    const state = async (id: string) => (await b.runtime.engine.db.query<{ state: string }>('SELECT state FROM conversations WHERE id = $1', [id])).rows[0].state;

    const c1 = await send(unique('c1'));
    expect(await state(c1)).toBe('in_service');
    // c2 waits: node A's pass finds the only agent full, and A now believes the queue full
    const c2 = await send(unique('c2'));
    expect(await state(c2)).toBe('queued');
    const skipped = a.runtime.router.skipped;
    await send(unique('probe'));
    expect(a.runtime.router.skipped).toBe(skipped + 1);

    // node B never routes here; the agent finishes c1 through node B
    await b.runtime.router.stop();
    const deskB = await signIn(b, x.email, x.password);
    expect((await deskB.post(`/api/conversations/${c1}/finish`, { outcome: 'completed' })).status).toBe(200);
    // B's agent event reaches A over Redis (A's projection shows the freed slot)
    for (let i = 0; i < 100 && a.runtime.projection.agents.get(x.id)?.openChat !== 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(a.runtime.projection.agents.get(x.id)?.openChat).toBe(0);
    expect(await state(c2)).toBe('queued');

    // the next arrival on A is not skipped: A looks, and the oldest (c2) gets the freed slot
    await send(unique('c3'));
    expect(await state(c2)).toBe('in_service');
  });
});
