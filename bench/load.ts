// The customers' systems: the load generators of the ingest benchmarks, and the proof that they are
// not the limit (issue 13): every ingest figure is printed beside the rate the same generator reaches
// against a bare route on this machine at that moment, and beside a proven generator's (autocannon,
// in worker threads; Debian's wrk too when it is installed).
import { randomUUID } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import Fastify from 'fastify';

/** Worker threads that post (each its own event loop, as other hosts would be). */
export const GENERATOR_THREADS = Number(process.env.BENCH_GENERATOR_THREADS || 2);

// One thread of the generator: node:http with a keep-alive agent, a lean client (fetch cost about
// 0.8 ms of CPU per request here). Customers first..first+customers-1; each message waits for its 202.
const LOAD_GENERATOR = `
const { parentPort, workerData: w } = require('node:worker_threads');
const http = require('node:http');
const now = () => performance.timeOrigin + performance.now();
// this thread's CPU time in ms (utime + stime, in ticks of 1/100 s)
const threadCpu = () => require('node:fs').readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b) * 10, 0);
const targets = w.urls.map((u) => new URL(u));
const agent = new http.Agent({ keepAlive: true, maxSockets: w.concurrency });
function post(target, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => { try { resolve({ status: res.statusCode, body: JSON.parse(text) }); } catch (e) { resolve({ status: res.statusCode, body: { text } }); } });
    });
    req.on('error', reject);
    req.end(body);
  });
}
const text = (c, j) => 'mensagem ' + j + ' do cliente ' + c;
// the API channel: one message per POST, with the service's bearer token
function apiRequest(items) {
  const { c, j } = items[0];
  return { body: JSON.stringify({ contact: { externalId: w.prefix + c, name: 'Cliente ' + c }, externalId: w.prefix + c + '-' + j, text: text(c, j) }), headers: { authorization: 'Bearer ' + w.token } };
}
// WhatsApp's Cloud API as Meta delivers it: entries of one WABA, a message each, signed with the app secret
function whatsappRequest(items) {
  const waId = (c) => String(5511900000000 + w.whatsapp.phoneBase + c);
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: items.map(({ c, j }) => ({ id: w.whatsapp.wabaId, changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '551140000000', phone_number_id: w.whatsapp.phoneNumberId },
    contacts: [{ profile: { name: 'Cliente ' + c }, wa_id: waId(c) }],
    messages: [{ from: waId(c), id: 'wamid.' + w.prefix + c + '-' + j, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text(c, j) } }],
  } }] })) });
  const signature = 'sha256=' + require('node:crypto').createHmac('sha256', w.whatsapp.appSecret).update(body).digest('hex');
  return { body, headers: { 'x-hub-signature-256': signature } };
}
(async () => {
  const order = [];
  for (let j = 0; j < w.perCustomer; j++) for (let c = w.first; c < w.first + w.customers; c++) order.push({ c, j });
  // a webhook may carry several messages (of different customers: a customer's next one waits for this POST)
  const batch = w.whatsapp ? w.whatsapp.batch : 1;
  const requests = [];
  for (let i = 0; i < order.length; i += batch) requests.push(order.slice(i, i + batch));
  const out = new Array(requests.length);
  let next = 0;
  const t0 = now();
  const cpu0 = threadCpu();
  await Promise.all(Array.from({ length: w.concurrency }, async () => {
    while (next < requests.length) {
      const i = next++;
      const items = requests[i];
      const start = now();
      const { body, headers } = w.whatsapp ? whatsappRequest(items) : apiRequest(items);
      // a customer always writes to the same node (its provider's webhook), as behind a sticky balancer
      const res = await post(targets[items[0].c % targets.length], body, headers);
      out[i] = { status: res.status, messages: items.length, conversationId: res.body.conversationId, messageId: res.body.messageId, ms: now() - start, at: now() };
    }
  }));
  const cpuMs = threadCpu() - cpu0;
  agent.destroy();
  parentPort.postMessage({ t0, results: out, cpuMs });
})().catch((err) => parentPort.postMessage({ error: String(err && err.stack || err) }));
`;

/** One POST: its answer, and (API channel) the message it stored. */
export interface Sent {
  status: number;
  /** messages the POST carried (a webhook may carry several) */
  messages: number;
  conversationId: string;
  messageId: number;
  ms: number;
  at: number;
}

export interface LoadSpec {
  /** one URL, or several (nodes): customer c always posts to urls[c % urls.length] */
  urls: string[];
  token: string;
  customers: number;
  perCustomer: number;
  /** requests in flight, over all threads */
  concurrency: number;
  prefix: string;
  threads?: number;
  /**
   * Post WhatsApp Cloud API webhooks (signed with the app secret, `batch` messages per POST, customer c
   * writing from +55 11 9 (phoneBase + c)) instead of the API channel's messages.
   */
  whatsapp?: { phoneNumberId: string; wabaId: string; appSecret: string; batch: number; phoneBase: number };
}

/**
 * Posts every customer's messages (each customer's in order, the customers interleaved), from
 * `threads` worker threads sharing the customers and the concurrency. `t0` is the first thread's
 * start; `cpuMs` the generator threads' CPU time together.
 */
export async function generateLoad(spec: LoadSpec): Promise<{ t0: number; results: Sent[]; cpuMs: number }> {
  const threads = Math.max(1, Math.min(spec.threads ?? GENERATOR_THREADS, spec.customers));
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, k) => {
      const first = Math.floor((spec.customers * k) / threads);
      const customers = Math.floor((spec.customers * (k + 1)) / threads) - first;
      const concurrency = Math.max(1, Math.round(spec.concurrency / threads));
      return new Promise<{ t0: number; results: Sent[]; cpuMs: number }>((resolve, reject) => {
        const worker = new Worker(LOAD_GENERATOR, { eval: true, workerData: { ...spec, first, customers, concurrency } });
        worker.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
        worker.once('error', reject);
      });
    }),
  );
  return { t0: Math.min(...parts.map((p) => p.t0)), results: parts.flatMap((p) => p.results), cpuMs: parts.reduce((a, p) => a + p.cpuMs, 0) };
}

/** Messages per second of a load's results: all of them over the time from the first start to the last answer. */
export const rateOf = ({ t0, results }: { t0: number; results: Sent[] }) =>
  results.reduce((n, r) => n + r.messages, 0) / ((Math.max(...results.map((r) => r.at)) - t0) / 1000);

/**
 * The front door alone: a bare Fastify route that parses the same JSON body and answers 202, in this
 * process (as Mirante's HTTP is), driven by `generateLoad` with the same shape but ten times the
 * customers (best of three, the first warms the JIT) and by autocannon in two worker threads (5 s; and wrk when installed). No
 * ingest through HTTP can be faster on this machine at this moment; if the proven generators get far
 * more than ours, ours is the limit.
 */
export async function bareRoute(shape: { customers: number; perCustomer: number; concurrency: number }): Promise<{ ours: number; autocannon: number; wrk: number | null }> {
  // ten times the ingest pass's requests: at tens of thousands a second, a pass of 3,000 would be
  // over in a tenth of a second, most of it the threads' start and a cold JIT (it measured 3–6k/s)
  shape = { ...shape, customers: shape.customers * 10 };
  const app = Fastify({ logger: false });
  app.post('/messages', async (_req, reply) => reply.code(202).send({ conversationId: randomUUID(), protocol: '202611220000001', messageId: 1, duplicate: false }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/messages`;
  const body = JSON.stringify({ contact: { externalId: 'c-1', name: 'Cliente 1' }, externalId: 'c-1-1', text: 'mensagem 1 do cliente 1' });
  try {
    let ours = 0;
    for (let i = 0; i < 3; i++) ours = Math.max(ours, rateOf(await generateLoad({ urls: [url], token: 'x', ...shape, prefix: `f${i}-` })));
    const cannon = await autocannon({
      url, method: 'POST', body, connections: shape.concurrency, duration: 5, workers: 2,
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
    });
    return { ours, autocannon: cannon.requests.average, wrk: await wrkRate(url, body, shape.concurrency) };
  } finally {
    await app.close();
  }
}

/**
 * wrk (Debian's package) against the URL for 5 s, when it is installed; null otherwise. Run without
 * blocking: the bare route it drives is served by this process's event loop (a spawnSync here held
 * the loop for the whole run, and wrk measured 0 requests a second).
 */
async function wrkRate(url: string, body: string, connections: number): Promise<number | null> {
  if (spawnSync('sh', ['-c', 'command -v wrk']).status !== 0) return null;
  const script = `/tmp/mirante-wrk-${process.pid}.lua`;
  writeFileSync(script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n`);
  try {
    const child = spawn('wrk', ['-t2', `-c${connections}`, '-d5s', '-s', script, url]);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.resume();
    const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
    const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
    if (code !== 0 || !m) throw new Error(`wrk ended with ${code} and no rate: ${out.slice(0, 300)}`);
    return Number(m[1]);
  } finally {
    rmSync(script, { force: true });
  }
}
