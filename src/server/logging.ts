import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import PinoPretty from 'pino-pretty';
import type { LogFormat } from './config.js';

/** Query parameters whose value is a secret: the widget's visitor token, OAuth and provider challenges. */
const SECRET_PARAMS = /^(token|access_token|id_token|refresh_token|code|secret|password|key|api_key|apikey|signature|sig|hub\.verify_token|verify_token)$/i;

/** The URL with the values of secret query parameters replaced, so a request line never carries one. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        /* keep it as it came */
      }
      return eq >= 0 && SECRET_PARAMS.test(decoded) ? `${name}=[REDACTED]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/**
 * Where a secret could sit in a log line's object: headers, bodies and credentials logged by mistake,
 * errors that carry a request's configuration. pino replaces the value with "[REDACTED]".
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.secret',
  '*.webhookSecret',
  '*.credentials',
  '*.accessToken',
  '*.apiKey',
  '*.authToken',
  '*.botToken',
  'err.config.headers',
];

/** pino options for the server: the level, the redactions, and request lines with their URL redacted. */
export function loggerOptions(level: string) {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.headers.host,
        remoteAddress: req.ip,
      }),
    },
  };
}

/**
 * Where log lines go: readable lines for a person at a terminal (pino-pretty, in this process: one
 * line per request, its id first), else nothing here, and pino writes JSON to stdout.
 */
export function logStream(format: LogFormat, destination?: NodeJS.WritableStream): NodeJS.WritableStream | undefined {
  if (format !== 'pretty') return undefined;
  return PinoPretty({
    ...(destination && { destination, colorize: false }),
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,reqId,req,res,responseTime',
    messageFormat: '{if reqId}[{reqId}] {end}{msg}{if req.method} {req.method} {req.url}{end}{if res.statusCode} {res.statusCode} {responseTime} ms{end}',
  });
}

/** A request id a client or proxy may choose: short, and only characters safe in a log line and a header. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request's id: the `X-Request-Id` it came with when that is a safe one, else a new one. */
export function requestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * A background loop's failure in the log (the outbox, the router, the mailbox watchers). An error
 * that says its own level (`logLevel: 'warn'`, the outbox's attempt that will be retried) is one line
 * at that level: its message (what failed, what comes next), then its cause's; anything else is an
 * error, with its stack and its cause's.
 */
export function logLoopFailure(log: { warn(msg: string): void; error(obj: object, msg: string): void }, loop: string, err: unknown): void {
  const e = err as { logLevel?: unknown; message?: unknown; cause?: unknown } | null;
  if (e?.logLevel !== 'warn') return log.error({ err }, loop);
  const cause = e.cause === undefined ? '' : `: ${String((e.cause as Error | null)?.message ?? e.cause)}`;
  log.warn(`${loop}: ${String(e.message)}${cause}`);
}
