import { resolve } from 'node:path';

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
  cookieSecure: boolean;
  sessionHours: number;
  /** Folder of the built web app; served at / when it exists. */
  webDir: string;
  /** Folder of the built WebChat widget (`npm run build:widget`); widget.js is served from it. */
  widgetDir: string;
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
    cookieSecure: env.COOKIE_SECURE === 'true',
    sessionHours: Number(env.SESSION_HOURS ?? 12),
    webDir: resolve(env.WEB_DIR ?? './dist/web'),
    widgetDir: resolve(env.WIDGET_DIR ?? './dist/widget'),
  };
}
