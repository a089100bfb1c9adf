// `npm run demo [-- --rate=8 --agents=12 --speed=1]`: Mirante with the demo contact center, and
// simulated customers (on every channel: the providers' ones through the in-process provider sandbox
// on loopback, e-mail by SMTP to Mirante's own listener on SMTP_LISTEN_PORT, 2525 unless set) and
// agents working through its real APIs. Open http://localhost:3000 and sign
// in as supervisor@mirante.demo / demo1234 to watch the monitor.
import { spawn } from 'node:child_process';

const simArgs = process.argv.slice(2);
const port = process.env.PORT ?? '3000';
// Mirante's SMTP listener (loopback only, SMTP_LISTEN_HOST's default): the e-mail customers write to it
const smtpPort = process.env.SMTP_LISTEN_PORT ?? '2525';
const env = {
  ...process.env,
  // Telegram is given its webhook (setWebhook) at PUBLIC_URL, and Twilio signs that URL: the sandbox
  // delivers both on loopback. Browse the demo at this address.
  PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
  // the simulator stands for the proxy in front of many WebChat visitors (X-Forwarded-For from loopback)
  TRUST_PROXY: process.env.TRUST_PROXY ?? 'loopback',
  SMTP_LISTEN_PORT: smtpPort,
};
const server = spawn(process.execPath, ['scripts/start.mjs', '--demo'], { stdio: 'inherit', env });
const sim = spawn(process.execPath, ['--import', 'tsx', 'src/demo/simulator.ts', `--smtp-port=${smtpPort}`, ...simArgs], { stdio: 'inherit' });
const stop = () => {
  sim.kill('SIGTERM');
  server.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => {
  sim.kill('SIGTERM');
  process.exit(code ?? 0);
});
sim.on('exit', (code) => {
  if (code) console.error('the simulator stopped; Mirante keeps running (Ctrl-C to stop)');
});
