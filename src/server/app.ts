import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Database } from '../db/database.js';
import type { Config } from './config.js';
import { registerErrorHandling } from './errors.js';
import { registerAuth } from './auth/plugin.js';
import { registerRoutes } from './routes/index.js';

export interface AppDeps {
  db: Database;
  config: Config;
  logger?: boolean | object;
}

const VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;

export async function buildApp({ db, config, logger = false }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger === true ? { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'] } : logger,
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const indexPath = join(config.webDir, 'index.html');
  const indexHtml = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : undefined;
  registerErrorHandling(app, indexHtml);

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Mirante API', version: VERSION, description: 'Omnichannel contact center: administration, conversations, monitor.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'mirante_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerAuth(app, db);

  app.get('/healthz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await db.query('SELECT 1');
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/version', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ version: VERSION }));

  await app.register(async (api) => registerRoutes(api, { db, config }));

  if (indexHtml) await app.register(fastifyStatic, { root: config.webDir, wildcard: false, index: false });
  return app;
}
