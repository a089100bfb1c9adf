import { VERSION } from './version.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ErrorBody } from '../contracts/common.js';
import { registerSchemaComponents } from '../contracts/components.js';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { Database } from '../db/database.js';
import { startRuntime, type Runtime } from '../engine/runtime.js';
import type { Config } from './config.js';
import { registerErrorHandling } from './errors.js';
import { validatorCompiler } from './validation.js';
import { registerAuth } from './auth/plugin.js';
import { ReportMailer } from '../engine/reports/schedule-mailer.js';
import { registerRoutes } from './routes/index.js';
import { registerChannels } from '../channels/index.js';
import { startSmtpListener } from '../channels/email/smtp-listener.js';
import { ChannelWorkerPool } from '../channels/workers.js';
import { CampaignSender } from '../channels/campaign-sender.js';
import { registerGateway } from './realtime/gateway.js';
import { CallRelay } from './realtime/call-relay.js';
import { registerMetrics } from './metrics.js';
import { registerWebchat } from './routes/webchat.js';
import { registerWebhooks } from './routes/webhooks.js';
import type { WebchatLimits } from './rate-limit.js';
import { resolveSecretKey } from '../engine/secrets.js';
import { registerHttpHardening } from './http-hardening.js';
import { registerGracefulClose } from './shutdown.js';
import { refuseNul } from './nul.js';
import { loggerOptions, logLoopFailure, logStream, requestId } from './logging.js';
import { openapiTransform, openapiTransformObject } from './openapi.js';

declare module 'fastify' {
  interface FastifyInstance {
    runtime: Runtime;
    /** the campaign sender of this node (runs under its lease when the app started its own runtime; tests drive it) */
    campaigns: CampaignSender;
  }
}

export interface AppDeps {
  db: Database;
  config: Config;
  /** the engine and its loops; started here (and stopped with the app) when not given */
  runtime?: Runtime;
  logger?: boolean | object;
  /** WebChat rate limits (per node); the defaults suit the public internet, benchmarks raise them */
  webchatLimits?: Partial<WebchatLimits>;
}


export async function buildApp({ db, config, runtime: given, logger = false, webchatLimits }: AppDeps): Promise<FastifyInstance> {
  const stream = logger === true ? logStream(config.logFormat) : undefined;
  const app = Fastify({
    logger: logger === true ? { ...loggerOptions(config.logLevel), ...(stream && { stream }) } : logger,
    // X-Request-Id: Fastify's requestIdHeader would take any value as it came; a log line and a
    // response header get only a short, safe one (else a new id), and every line of the request has it
    requestIdHeader: false,
    genReqId: (req) => requestId(req.headers['x-request-id']),
    bodyLimit: 1024 * 1024,
    // a hop count is documented by Fastify but missing from its types
    trustProxy: config.trustProxy as boolean | string[],
    // requests during the close are refused by registerGracefulClose, in our error shape
    return503OnClosing: false,
    // one line per request at info cost a busy node as much as a tenth of its CPU (the API channel
    // takes thousands of messages a second): requestLog below keeps what operators read
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  requestLog(app);
  // first: a request refused during a shutdown costs nothing else; the drain gets most of the deadline
  registerGracefulClose(app, { drainMs: Math.round(config.shutdownTimeoutMs * 0.7) });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const indexPath = join(config.webDir, 'index.html');
  const indexHtml = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : undefined;
  registerErrorHandling(app, indexHtml);
  refuseNul(app);

  await app.register(cookie);
  await registerHttpHardening(app, config);
  registerSchemaComponents();
  await app.register(swagger, {
    openapi: {
      info: { title: 'Mirante API', version: VERSION, description: 'Omnichannel contact center: administration, conversations, monitor.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'mirante_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'API channel token of one service' },
          visitorToken: { type: 'apiKey', in: 'header', name: 'x-visitor-token', description: 'a WebChat visitor’s token (POST /webchat/visitors); on downloads also ?token=' },
        },
      },
      security: [{ session: [] }],
    },
    // every operation gets an operationId and its security (none for the public routes); uploads their body
    transform: openapiTransform,
    // the shared schemas (contracts/components.ts) once under components.schemas, the routes $ref them
    transformObject: openapiTransformObject,
  });
  registerAuth(app, db, { publicUrl: config.publicUrl });
  // before the engine starts: on PostgreSQL without MIRANTE_SECRET_KEY this refuses to go on
  const secretKey = resolveSecretKey(config, (msg) => app.log.warn(msg));
  const runtime = given ?? (await startRuntime(db, { redisUrl: config.redisUrl, onError: (err) => logLoopFailure(app.log, 'engine loop', err) }));
  if (!given) app.addHook('onClose', () => runtime.stop());
  app.decorate('runtime', runtime);
  registerChannels(runtime, secretKey, config.publicUrl?.replace(/\/+$/, ''));
  if (!given) {
    // the channels' background workers (mailbox watchers), each on one node at a time
    const workers = new ChannelWorkerPool(runtime.engine, secretKey, { onError: (err) => logLoopFailure(app.log, 'channel worker', err) });
    workers.start();
    app.addHook('onClose', () => workers.stop());
  }
  // Mensagens ativas: one node at a time sends the campaigns (channels/campaign-sender.ts)
  const campaigns = new CampaignSender(runtime.engine, secretKey, {
    maxRatePerSecond: config.campaignMaxRate, publicUrl: config.publicUrl?.replace(/\/+$/, ''), onError: (err) => app.log.error({ err }, 'campaign sender'),
  });
  app.decorate('campaigns', campaigns);
  if (!given) {
    campaigns.start();
    app.addHook('onClose', () => campaigns.stop());
  }
  if (!given && config.mail) {
    // Agendamentos of Relatórios: due schedules e-mailed through the system's SMTP relay
    const mailer = new ReportMailer(runtime.engine, config.mail, (err) => app.log.error({ err }, 'report schedules'));
    mailer.start();
    app.addHook('onClose', () => mailer.stop());
  }
  if (config.smtpListenPort !== undefined) {
    // Mirante's own SMTP listener, for e-mail accounts received by SMTP; closed with the app
    const smtp = await startSmtpListener(runtime.engine, secretKey, {
      port: config.smtpListenPort, host: config.smtpListenHost, secret: config.smtpListenSecret, onError: (err) => app.log.error({ err }, 'smtp listener'),
      onCatalogUpdated: (fn) => runtime.projection.onCatalogUpdated(fn),
    });
    app.log.info({ host: config.smtpListenHost, port: smtp.port }, 'SMTP listener started');
    app.addHook('onClose', () => smtp.close());
  }

  app.get('/healthz', {
    config: { access: 'public' },
    schema: {
      tags: ['ops'],
      summary: 'Liveness and readiness: 200 while the database answers, 503 when it does not or the node is shutting down',
      response: { 200: z.object({ status: z.literal('ok') }), 503: z.union([z.object({ status: z.literal('unavailable') }), ErrorBody]) },
    },
  }, async (_req, reply) => {
    try {
      await db.query('SELECT 1');
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/version', {
    config: { access: 'public' },
    schema: { tags: ['ops'], summary: 'The version of Mirante this node runs', response: { 200: z.object({ version: z.string() }) } },
  }, async () => ({ version: VERSION }));

  // one call relay per node, shared by the desk's and the widget's sockets
  const calls = new CallRelay(runtime, config.ice);
  app.addHook('onClose', async () => calls.close());
  await registerGateway(app, db, runtime, { publicUrl: config.publicUrl, calls });
  const metrics = registerMetrics(app, runtime, config.metricsToken, calls);
  await registerWebchat(app, { runtime, widgetDir: config.widgetDir, limits: webchatLimits, calls });
  await registerWebhooks(app, { runtime, secretKey, publicUrl: config.publicUrl, onFailure: (channel, reason) => metrics.webhookFailure(channel, reason) });
  await app.register(async (api) => registerRoutes(api, { db, config, secretKey, runtime }));

  if (indexHtml) await app.register(fastifyStatic, { root: config.webDir, wildcard: false, index: false });
  return app;
}

const LOG_LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/** A request slower than this is logged at warn, whatever its answer. */
const SLOW_REQUEST_MS = 1000;

/**
 * The request log: a refused request (4xx) at info, a failed one (5xx) and a slow one at warn, every
 * other request at debug (`LOG_LEVEL=debug` shows them all). Each line has the method, the URL with
 * its secrets redacted, the status and the time taken; a WebSocket upgrade at debug when it arrives.
 */
function requestLog(app: FastifyInstance): void {
  // a WebSocket's upgrade is taken over by the socket and never answered here: its line comes first
  app.addHook('onRequest', (req, _reply, done) => {
    if (req.headers.upgrade && LOG_LEVELS.debug >= (LOG_LEVELS[req.log.level] ?? 0)) req.log.debug({ req }, 'upgrade request');
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    const level = status >= 500 || ms >= SLOW_REQUEST_MS ? 'warn' : status >= 400 ? 'info' : 'debug';
    if (LOG_LEVELS[level] >= (LOG_LEVELS[req.log.level] ?? 0)) {
      req.log[level]({ req, res: { statusCode: status }, responseTime: Math.round(ms * 10) / 10 }, ms >= SLOW_REQUEST_MS ? 'slow request' : 'request completed');
    }
    done();
  });
}
