import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { channelRegistry, type AccountContext, type ConnectionCheck } from '../../channels/adapter.js';
import * as c from '../../contracts/admin.js';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import { channelAccounts } from '../../engine/admin/channel-accounts.js';
import { loadChannelAccountById, type LoadedChannelAccount } from '../../engine/channel-accounts.js';
import { AppError, type Said } from '../../engine/errors.js';
import { ADMIN } from '../auth/plugin.js';
import { requestLanguage } from '../language.js';
import { registerCrud } from './crud.js';
import type { RouteDeps } from './index.js';

// Administração → Canais: the accounts (CRUD, checked against each provider's fields), "Testar
// conexão", and the provider's own setup once an account is saved (Telegram's setWebhook), whose
// failure keeps the account saved and comes back to the admin as a warning.

/** A provider that does not answer leaves the admin waiting: this long at most. */
const PROVIDER_WAIT_MS = 20_000;

const NO_TEST: Said = { en: 'this channel has no connection test', pt: 'este canal não tem teste de conexão' };
const CONNECTED: Said = { en: 'Connection OK', pt: 'Conexão OK' };

class ProviderTimeout extends Error {}

function withinWait<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProviderTimeout()), PROVIDER_WAIT_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** An error's words for the admin, without any of the account's secrets (a Telegram URL holds the bot token). */
function whatFailed(err: unknown, account: LoadedChannelAccount): Said {
  if (err instanceof ProviderTimeout) {
    const s = PROVIDER_WAIT_MS / 1000;
    return { en: `the provider did not answer within ${s} s`, pt: `o provedor não respondeu em ${s} s` };
  }
  const said: Said = err instanceof AppError ? err.said : { en: String((err as Error)?.message ?? err), pt: String((err as Error)?.message ?? err) };
  const hide = (text: string) => Object.values(account.credentials).filter((v) => v.length >= 4).reduce((t, v) => t.split(v).join('[…]'), text);
  return { en: hide(said.en), pt: hide(said.pt) };
}

/** `catalogChanged`: tells every node an account changed (their webhook routes read it again). */
export function channelAccountRoutes(app: FastifyInstance, { db, secretKey, config }: RouteDeps, catalogChanged: () => Promise<void>): void {
  const publicUrl = config.publicUrl?.replace(/\/+$/, '');
  const context = (account: LoadedChannelAccount): AccountContext => ({ account, db, publicUrl });

  registerCrud(app, db, {
    path: '/api/channel-accounts', tag: 'channel-accounts', def: channelAccounts(secretKey, publicUrl), item: c.ChannelAccount, saved: c.SavedChannelAccount,
    create: c.CreateChannelAccount, update: c.UpdateChannelAccount, read: ADMIN, write: ADMIN, onChange: catalogChanged,
    async afterSave(req, after, input, created) {
      const changed = created || ['provider', 'config', 'credentials', 'active'].some((k) => input[k] !== undefined);
      const adapter = channelRegistry.get(after.channel);
      if (!after.active || !changed || !adapter?.accountSaved) return after;
      const account = await loadChannelAccountById(db, secretKey, after.id);
      try {
        await withinWait(adapter.accountSaved(context(account)));
        return after;
      } catch (err) {
        const failed = whatFailed(err, account);
        req.log.warn({ accountId: after.id, channel: after.channel, problem: failed.en }, 'channel account saved; the provider setup failed');
        const lang = requestLanguage(req);
        const message = lang === 'pt' ? `A conta foi salva, mas a configuração no provedor falhou: ${failed.pt}` : `The account is saved, but setting it up at the provider failed: ${failed.en}`;
        return { ...after, warnings: [{ code: 'provider_setup_failed', message }] };
      }
    },
  });

  app.withTypeProvider<ZodTypeProvider>().post('/api/channel-accounts/:id/test', {
    config: { access: ADMIN },
    schema: {
      tags: ['channel-accounts'],
      summary: 'Testar conexão: calls the provider with the account\'s credentials and says what is wrong',
      params: IdParams,
      response: { 200: c.ConnectionTestResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
    },
  }, async (req) => {
    const account = await loadChannelAccountById(db, secretKey, req.params.id);
    const adapter = channelRegistry.get(account.channel);
    if (!adapter?.testConnection) throw new AppError(422, 'no_connection_test', NO_TEST);
    let check: ConnectionCheck;
    try {
      check = await withinWait(adapter.testConnection(context(account)));
    } catch (err) {
      check = { ok: false, problem: whatFailed(err, account) };
    }
    const lang = requestLanguage(req);
    const said = check.ok ? (check.detail ?? CONNECTED) : check.problem;
    return { ok: check.ok, message: lang === 'pt' ? said.pt : said.en };
  });
}
