import { randomBytes } from 'node:crypto';
import type { MetaWhatsAppSandbox } from '../../src/sandbox/meta-whatsapp.js';
import { startSandbox, type Sandbox, type SandboxProvider } from '../../src/sandbox/sandbox.js';
import { expectOutbound } from './outbound-guard.js';
import { unique, type Client } from './test-app.js';

// The provider sandbox (src/sandbox/) for a test: started on loopback and registered with the
// outbound guard, so the app may call it; closing it withdraws the registration.
export async function startTestSandbox(providers: SandboxProvider[]): Promise<Sandbox> {
  const sandbox = await startSandbox({ providers });
  const unexpect = expectOutbound(sandbox.url);
  return {
    ...sandbox,
    close: async () => {
      unexpect();
      await sandbox.close();
    },
  };
}

/** Waits until `check` passes (a provider's receipts and callbacks arrive on their own time). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

const hex = () => randomBytes(5).toString('hex');

/**
 * A number on Meta's WhatsApp Cloud API in the sandbox: the channel account created in Mirante (its
 * Graph address the sandbox's) and the sandbox's side connected to that account's webhook, receipts
 * off unless `number` says otherwise.
 */
export async function metaWhatsAppAccount(
  appUrl: string,
  admin: Client,
  sb: Sandbox,
  wa: MetaWhatsAppSandbox,
  number: Partial<Parameters<MetaWhatsAppSandbox['connect']>[0]> = {},
): Promise<{ account: { id: string; name: string }; phoneNumberId: string; wabaId: string; credentials: { accessToken: string; appSecret: string; verifyToken: string } }> {
  const phoneNumberId = `pn${hex()}`;
  const wabaId = `waba${hex()}`;
  const credentials = { accessToken: `EAAG${hex()}`, appSecret: hex(), verifyToken: hex() };
  const res = await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: unique('WA'), provider: 'meta', config: { phoneNumberId, wabaId, apiBaseUrl: `${sb.url}/meta-whatsapp/v21.0` }, credentials });
  if (res.status !== 201) throw new Error(`fixture: channel account ${res.status} ${JSON.stringify(res.body)}`);
  wa.connect({ phoneNumberId, wabaId, ...credentials, webhookUrl: `${appUrl}/webhooks/whatsapp/${res.body.id}`, autoReceipts: false, ...number });
  return { account: res.body, phoneNumberId, wabaId, credentials };
}
