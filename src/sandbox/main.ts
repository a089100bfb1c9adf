import { SANDBOX_PROVIDERS } from './providers.js';
import { startSandbox } from './sandbox.js';

// `npm run sandbox`: the provider sandbox on its own (PORT, default 4010), for trying the channels by
// hand; the demo starts it in-process.

const providers = SANDBOX_PROVIDERS;

const sandbox = await startSandbox({ providers, host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 4010) });
console.log(`provider sandbox at ${sandbox.url} (${providers.map((p) => p.name).join(', ') || 'no providers yet'})`);
const stop = () => void sandbox.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
