import { Redis } from 'ioredis';

// Tests of several nodes need a PostgreSQL server and a Redis; without them they skip, saying why.
export const DATABASE_URL = process.env.DATABASE_URL;
export const REDIS_URL = process.env.REDIS_URL || (DATABASE_URL ? 'redis://127.0.0.1:6379' : undefined);

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Why a test of several nodes cannot run here, or null when PostgreSQL and Redis both answer. */
export async function severalNodesSkipReason(): Promise<string | null> {
  if (!DATABASE_URL) return 'needs DATABASE_URL (a PostgreSQL server) and Redis';
  if (!(await redisAnswers(REDIS_URL!))) return `Redis does not answer at ${REDIS_URL} (set REDIS_URL)`;
  return null;
}
