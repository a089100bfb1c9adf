// `npm run bench [name…]`: runs the benchmarks (all, or those named) and prints one JSON line per result.
const BENCHES: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  routing: () => import('./routing.js'),
  'monitor-snapshot': () => import('./monitor-snapshot.js'),
  'monitor-fanout': () => import('./monitor-fanout.js'),
  'monitor-frames': () => import('./monitor-frames.js'),
  ingest: () => import('./ingest.js'),
  'routing-engine': () => import('./routing-engine.js'),
  webchat: () => import('./webchat.js'),
  'widget-size': () => import('./widget-size.js'),
};

const wanted = process.argv.slice(2);
for (const [name, load] of Object.entries(BENCHES)) {
  if (wanted.length && !wanted.includes(name)) continue;
  await (await load()).run();
}
export {};
