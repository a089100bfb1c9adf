import { createServer, type Server } from 'node:http';
import { randomInt } from 'node:crypto';
import { hear, type DemoEnv, type Person } from './people.js';
import type { Arrivals } from './provider-customers.js';
import type { Session } from './session.js';

// Customers of the API channel (API Parceiros): they write through POST /api/channels/api/{service}/messages
// with the service's token and hear the bot and the agents on the service's outbound webhook, served
// here on loopback (which Parâmetros refuse unless allowPrivateWebhookTargets is on: the demo turns it on).

export async function apiCustomers(env: DemoEnv, admin: Session, api: { id: string; name: string }, teamIds: string[], onServer?: (url: string) => void): Promise<Arrivals & { stop(): void }> {
  const people = new Map<string, Person>();
  const hook: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      res.writeHead(200).end();
      try {
        const msg = JSON.parse(raw);
        // by the contact: the bot may speak before the customer's own request has returned
        const person = typeof msg.contact?.externalId === 'string' ? people.get(msg.contact.externalId) : undefined;
        if (!person || (msg.message?.authorType !== 'bot' && msg.message?.authorType !== 'agent')) return;
        hear(env, person, 'api', String(msg.message.text ?? ''));
      } catch {
        /* not ours */
      }
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const port = (hook.address() as { port: number }).port;
  onServer?.(`http://127.0.0.1:${port}`);
  const allowed = await admin.call('PATCH', '/api/settings', { allowPrivateWebhookTargets: true });
  if (allowed.status !== 200) throw new Error(`allowing the loopback webhook failed (${allowed.status}): ${JSON.stringify(allowed.body)}`);
  // every team serves the API traffic too, so that every simulated agent gets work
  const hooked = await admin.call('PATCH', `/api/services/${api.id}`, { outboundWebhookUrl: `http://127.0.0.1:${port}/hook`, teamIds });
  if (hooked.status !== 200) throw new Error(`setting the demo webhook failed (${hooked.status}): ${JSON.stringify(hooked.body)}`);
  const { token } = (await admin.call('POST', `/api/services/${api.id}/api-credentials`)).body;

  const write = (externalId: string, text: string, name?: string) =>
    admin.call('POST', `/api/channels/api/${api.id}/messages`, { contact: { externalId, name }, externalId: `demo-${Date.now()}-${randomInt(1e9)}`, text }, { authorization: `Bearer ${token}` });
  return {
    serviceName: api.name,
    channel: 'api',
    async arrive(name, text) {
      const externalId = `demo-cliente-${randomInt(1e9)}`;
      people.set(externalId, { chat: {}, replies: 0, say: (t) => write(externalId, t) });
      await write(externalId, text, name);
    },
    stop: () => void hook.close(),
  };
}
