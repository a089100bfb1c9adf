import { startSandbox, type Sandbox, type SandboxProvider } from '../../src/sandbox/sandbox.js';
import { expectOutbound } from './outbound-guard.js';

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
