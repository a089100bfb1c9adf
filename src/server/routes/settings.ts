import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../contracts/common.js';
import { PatchSettingsBody, SETTING_SCHEMAS, Setting, SettingKeyParams, SettingsBody } from '../../contracts/settings.js';
import type { Database } from '../../db/database.js';
import { getSettings, resetSetting, setSettings, withoutMeta } from '../../engine/settings.js';
import { AppError, at } from '../../engine/errors.js';
import { check } from '../../engine/issues.js';
import { z } from 'zod';
import { ADMIN, ALL_ROLES } from '../auth/plugin.js';
import type { Runtime } from '../../engine/runtime.js';
import { MonitorService } from '../../engine/monitor/monitor-service.js';

export function settingsRoutes(app: FastifyInstance, { db, runtime }: { db: Database; runtime: Runtime }): void {
  // parameters feed every node's live views (time zone, thresholds): each change is announced
  const announce = <T>(v: T) => MonitorService.announceCatalogChange(runtime.engine).then(() => v);
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['settings'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  // every signed-in user reads the parameters: the web app needs the time zone and thresholds
  api.get('/api/settings', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'All parameters (defaults filled in)', response: { 200: SettingsBody, ...errors } },
  }, async () => withoutMeta(await getSettings(db)));

  api.patch('/api/settings', {
    config: { access: ADMIN },
    schema: { tags, summary: 'Change some parameters', body: PatchSettingsBody, response: { 200: SettingsBody, ...errors } },
  }, async (req) => announce(await setSettings(db, req.actor, req.body)));

  api.get('/api/settings/:key', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'One parameter', params: SettingKeyParams, response: { 200: Setting, ...errors } },
  }, async (req) => {
    const s = await getSettings(db);
    return { key: req.params.key, value: s[req.params.key], isDefault: !s._stored.includes(req.params.key) };
  });

  api.put('/api/settings/:key', {
    config: { access: ADMIN },
    schema: { tags, summary: 'Set one parameter', params: SettingKeyParams, body: z.strictObject({ value: z.unknown() }), response: { 200: Setting, ...errors } },
  }, async (req) => {
    const key = req.params.key;
    const parsed = check(SETTING_SCHEMAS[key] as z.ZodType, req.body.value);
    if (!parsed.ok) {
      const issue = parsed.issues[0];
      throw new AppError(400, 'validation_error', at(['value', ...issue.path].join('.'), issue.message));
    }
    const s = await announce(await setSettings(db, req.actor, { [key]: parsed.value }));
    return { key, value: s[key], isDefault: false };
  });

  api.delete('/api/settings/:key', {
    config: { access: ADMIN },
    schema: { tags, summary: 'Restore the default of one parameter', params: SettingKeyParams, response: { 200: Setting, ...errors } },
  }, async (req) => {
    const s = await announce(await resetSetting(db, req.actor, req.params.key));
    return { key: req.params.key, value: s[req.params.key], isDefault: true };
  });
}
