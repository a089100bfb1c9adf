import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The deployment files are checked where no container engine runs: every variable compose.yaml and
// the Dockerfile set on Mirante is one src/server/config.ts reads (a misspelt one would be ignored
// in silence), the nodes, proxy and stores are there, and the image keeps its promises.

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

/** The environment variables config.ts reads: every `env.NAME`. */
const CONFIG_READS = new Set([...read('src/server/config.ts').matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));

interface Block {
  name: string;
  lines: { indent: number; text: string }[];
}

/**
 * compose.yaml's top-level entries and services as blocks of lines (a small reader for the subset
 * the file uses: maps, lists, `&anchor` and `<<: *anchor`; no yaml dependency).
 */
function composeBlocks(text: string): { services: Block[]; anchors: Map<string, Block> } {
  const lines = text
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'))
    .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
  const services: Block[] = [];
  const anchors = new Map<string, Block>();
  let top = '';
  let current: Block | null = null;
  for (const line of lines) {
    if (line.indent === 0) {
      top = line.text.replace(/:.*$/, '');
      current = null;
      const anchor = /&([\w-]+)\s*$/.exec(line.text);
      if (anchor) anchors.set(anchor[1], (current = { name: top, lines: [] }));
      continue;
    }
    if (top === 'services' && line.indent === 2) {
      services.push((current = { name: line.text.replace(/:.*$/, ''), lines: [] }));
      continue;
    }
    current?.lines.push(line);
  }
  return { services, anchors };
}

/** A block's lines with its `<<: *anchor` merges expanded. */
function effective(block: Block, anchors: Map<string, Block>): Block['lines'] {
  return block.lines.flatMap((l) => {
    const merge = /^<<:\s*\*([\w-]+)$/.exec(l.text);
    if (!merge) return [l];
    const target = anchors.get(merge[1]);
    if (!target) throw new Error(`${block.name}: no anchor ${merge[1]}`);
    return effective(target, anchors);
  });
}

/** The names under a block's `environment:` (map `NAME: value` or list `- NAME=value`). */
function environmentOf(lines: Block['lines']): string[] {
  const names: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].text !== 'environment:') continue;
    for (let j = i + 1; j < lines.length && lines[j].indent > lines[i].indent; j++) {
      const m = /^(?:-\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*[:=]/.exec(lines[j].text);
      if (m) names.push(m[1]);
    }
  }
  return names;
}

describe('compose.yaml', () => {
  const { services, anchors } = composeBlocks(read('compose.yaml'));
  const nodes = services.filter((s) => effective(s, anchors).some((l) => l.text.startsWith('build:')));

  it('runs two Mirante nodes with PostgreSQL, Redis and a proxy', () => {
    expect(nodes.map((n) => n.name)).toEqual(['mirante-1', 'mirante-2']);
    expect(services.map((s) => s.name)).toEqual(expect.arrayContaining(['postgres', 'redis', 'proxy']));
  });

  it('sets on the nodes only variables config.ts reads, and the ones a shared deployment needs', () => {
    expect(CONFIG_READS.size).toBeGreaterThan(10);
    for (const node of nodes) {
      const env = environmentOf(effective(node, anchors));
      expect(env.length, node.name).toBeGreaterThan(5);
      expect(env.filter((name) => !CONFIG_READS.has(name)), `${node.name}: variables config.ts does not read`).toEqual([]);
      expect(env).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'MIRANTE_SECRET_KEY', 'TRUST_PROXY', 'PUBLIC_URL']));
    }
  });

  it('reads a misspelt variable as one config.ts does not read (the check can fail)', () => {
    const { services: s, anchors: a } = composeBlocks('services:\n  one:\n    build: .\n    environment:\n      DATABSE_URL: x\n      PORT: "1"\n');
    expect(environmentOf(effective(s[0], a)).filter((n) => !CONFIG_READS.has(n))).toEqual(['DATABSE_URL']);
  });

  it("gives the proxy a committed config that sends to both nodes and passes WebSockets", () => {
    const proxy = services.find((s) => s.name === 'proxy')!;
    const mount = proxy.lines.map((l) => /^-\s*\.\/(\S+?):/.exec(l.text)?.[1]).find(Boolean)!;
    expect(existsSync(new URL(mount, root))).toBe(true);
    const caddy = read(mount);
    for (const node of nodes) expect(caddy).toContain(`${node.name}:3000`);
    expect(caddy).toMatch(/health_uri \/healthz/);
  });
});

describe('Dockerfile', () => {
  const docker = read('Dockerfile');
  const instructions = docker.split('\n').filter((l) => /^[A-Z]+\s/.test(l));

  it('builds in one stage and runs production dependencies, as a non-root user, in another', () => {
    const froms = instructions.filter((l) => l.startsWith('FROM '));
    expect(froms).toEqual(['FROM node:20-bookworm-slim AS build', 'FROM node:20-bookworm-slim AS runtime']);
    const runtime = docker.slice(docker.indexOf('AS runtime'));
    expect(docker.slice(0, docker.indexOf('AS runtime'))).toMatch(/RUN npm run build/);
    expect(runtime).toMatch(/RUN npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist/);
    expect(runtime).toMatch(/^USER (?!root)\w+/m);
    // tsx runs the server: it must be a runtime dependency, not a dev one
    expect(JSON.parse(read('package.json')).dependencies.tsx).toBeDefined();
    expect(runtime).toMatch(/CMD \["node", "--import", "tsx", "src\/server\/main.ts"\]/);
    expect(existsSync(new URL('src/server/main.ts', root))).toBe(true);
  });

  it('sets only variables config.ts reads, exposes its port, checks /healthz and keeps DATA_DIR on a volume', () => {
    const env = Object.fromEntries([...docker.matchAll(/^\s*(?:ENV\s+)?([A-Z][A-Z0-9_]*)=(\S+?)\s*\\?$/gm)].map((m) => [m[1], m[2]]));
    expect(Object.keys(env).sort()).toEqual(['DATA_DIR', 'HOST', 'LOG_FORMAT', 'PORT', 'WEB_DIR', 'WIDGET_DIR']);
    expect(Object.keys(env).filter((name) => !CONFIG_READS.has(name))).toEqual([]);
    expect(docker).toMatch(new RegExp(`^EXPOSE ${env.PORT}$`, 'm'));
    expect(docker).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(docker).toMatch(new RegExp(`^VOLUME \\["${env.DATA_DIR}"\\]$`, 'm'));
  });

  it('.dockerignore keeps out what the build does not need, and nothing it does', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.git', 'test']));
    for (const needed of ['src', 'package.json', 'package-lock.json', 'tsconfig.json']) expect(ignored).not.toContain(needed);
  });
});
