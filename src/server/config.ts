import { resolve } from 'node:path';
import type { MailConfig } from '../engine/reports/schedule-mailer.js';
import { parseIceConfig, type IceConfig } from '../engine/calls/ice.js';

/** Everything Mirante reads from the environment (README lists each variable). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  secretKey?: string;
  adminEmail?: string;
  adminPassword?: string;
  logLevel: string;
  /** `pretty` (readable lines, pino-pretty) or `json` (one object a line); LOG_FORMAT, else pretty on a terminal and json otherwise */
  logFormat: LogFormat;
  /** METRICS_TOKEN: when set, /metrics answers anyone with `Authorization: Bearer <token>` (else only loopback) */
  metricsToken?: string;
  cookieSecure: boolean;
  sessionHours: number;
  /** Folder of the built web app; served at / when it exists. */
  webDir: string;
  /** Folder of the built WebChat widget (`npm run build:widget`); widget.js is served from it. */
  widgetDir: string;
  /** Mirante's public base URL (`https://mirante.example.com`), without a trailing slash; its origin is the only one trusted for cookie requests and /ws when set. */
  publicUrl?: string;
  /** Fastify's trustProxy: false (default), a hop count, or addresses/CIDRs of the proxies whose X-Forwarded-For is believed. */
  trustProxy: boolean | number | string[];
  /** The hard deadline of a shutdown (SIGTERM, Ctrl-C), in ms: past it the process exits with code 1. */
  shutdownTimeoutMs: number;
  /** SMTP_LISTEN_PORT: when set, this node runs Mirante's SMTP listener for e-mail accounts received by SMTP (channels/email/smtp-listener.ts) */
  smtpListenPort?: number;
  /** SMTP_LISTEN_HOST, default 127.0.0.1 */
  smtpListenHost: string;
  /** SMTP_LISTEN_SECRET: when set, senders must AUTH with it as the password */
  smtpListenSecret?: string;
  /** MAIL_SMTP_HOST, MAIL_SMTP_PORT, MAIL_SMTP_SECURE, MAIL_SMTP_USER, MAIL_SMTP_PASSWORD, MAIL_FROM: the system's SMTP relay, for the scheduled reports; unset, nothing is e-mailed */
  mail?: MailConfig;
  /** ICE_SERVERS and TURN_SECRET: what the two sides of a WebChat call use to find each other (engine/calls/ice.ts) */
  ice?: IceConfig;
}

/** The system's SMTP relay from MAIL_SMTP_*; undefined without MAIL_SMTP_HOST. */
export function parseMailConfig(env: NodeJS.ProcessEnv): MailConfig | undefined {
  const host = env.MAIL_SMTP_HOST?.trim();
  if (!host) return undefined;
  const secure = env.MAIL_SMTP_SECURE === 'true';
  const port = Number(env.MAIL_SMTP_PORT || (secure ? 465 : 587));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`MAIL_SMTP_PORT must be a port number, got "${env.MAIL_SMTP_PORT}"`);
  const from = env.MAIL_FROM?.trim();
  if (!from) throw new Error('MAIL_FROM is required with MAIL_SMTP_HOST (e.g. "Mirante <relatorios@empresa.com.br>")');
  return { host, port, secure, user: env.MAIL_SMTP_USER || undefined, password: env.MAIL_SMTP_PASSWORD || undefined, from };
}

export type LogFormat = 'json' | 'pretty';

/** `LOG_FORMAT`: json or pretty; unset, readable lines when stdout is a terminal and JSON when it is not (a file, a collector). */
export function parseLogFormat(value: string | undefined, stdoutIsTty: boolean): LogFormat {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return stdoutIsTty ? 'pretty' : 'json';
  if (v === 'json' || v === 'pretty') return v;
  throw new Error(`LOG_FORMAT must be json or pretty, got "${value}"`);
}

/** `TRUST_PROXY`: unset/`false` trusts nobody, `true` every hop, a number that many hops, else a comma list of addresses or CIDRs. */
export function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const list = v.split(',').map((x) => x.trim()).filter(Boolean);
  for (const item of list) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(item) && !['loopback', 'linklocal', 'uniquelocal'].includes(item)) {
      throw new Error(`TRUST_PROXY must be true, false, a hop count or a comma list of addresses/CIDRs; "${item}" is none of these`);
    }
  }
  return list;
}

function parsePublicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`PUBLIC_URL must be an absolute http(s) URL, got "${value}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`PUBLIC_URL must be an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, '');
}

function parseShutdownTimeout(value: string | undefined): number {
  if (value === undefined || value === '') return 10_000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1000) throw new Error(`SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds, at least 1000; got "${value}"`);
  return ms;
}

function parseSmtpListenPort(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SMTP_LISTEN_PORT must be a port number, got "${value}"`);
  return port;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    secretKey: env.MIRANTE_SECRET_KEY || undefined,
    adminEmail: env.MIRANTE_ADMIN_EMAIL || undefined,
    adminPassword: env.MIRANTE_ADMIN_PASSWORD || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    logFormat: parseLogFormat(env.LOG_FORMAT, process.stdout.isTTY === true),
    metricsToken: env.METRICS_TOKEN || undefined,
    cookieSecure: env.COOKIE_SECURE === 'true',
    sessionHours: Number(env.SESSION_HOURS ?? 12),
    webDir: resolve(env.WEB_DIR ?? './dist/web'),
    widgetDir: resolve(env.WIDGET_DIR ?? './dist/widget'),
    publicUrl: parsePublicUrl(env.PUBLIC_URL),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    shutdownTimeoutMs: parseShutdownTimeout(env.SHUTDOWN_TIMEOUT_MS),
    smtpListenPort: parseSmtpListenPort(env.SMTP_LISTEN_PORT),
    smtpListenHost: env.SMTP_LISTEN_HOST || '127.0.0.1',
    smtpListenSecret: env.SMTP_LISTEN_SECRET || undefined,
    mail: parseMailConfig(env),
    ice: parseIceConfig(env),
  };
}
