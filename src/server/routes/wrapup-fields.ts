import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import { ReplaceWrapupFields, WrapupFieldList } from '../../contracts/wrapup-fields.js';
import { listWrapupFields, replaceWrapupFields } from '../../engine/admin/wrapup-fields.js';
import { MonitorService } from '../../engine/monitor/monitor-service.js';
import type { Runtime } from '../../engine/runtime.js';
import { ADMIN, ALL_ROLES } from '../auth/plugin.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody };

/** Campos da ficha: the fields of a service's wrap-up. */
export function wrapupFieldRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { engine } = runtime;
  const tags = ['services'];

  // the desk reads them on Concluir: every role, within the scope that shows it the service
  api.get('/api/services/:id/wrapup-fields', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'The wrap-up fields of a service, in order', params: IdParams, response: { 200: WrapupFieldList, ...errors } },
  }, async (req) => ({ items: await listWrapupFields(engine.db, req.actor, req.params.id) }));

  api.put('/api/services/:id/wrapup-fields', {
    config: { access: ADMIN },
    schema: {
      tags,
      summary: 'Replace the wrap-up fields of a service (the whole ordered list; audited)',
      params: IdParams,
      body: ReplaceWrapupFields,
      response: { 200: WrapupFieldList, ...errors },
    },
  }, async (req) => {
    const items = await replaceWrapupFields(engine.db, req.actor, req.params.id, req.body.items);
    // a service's configuration changed: every node refreshes what it caches of the services
    await MonitorService.announceCatalogChange(engine);
    return { items };
  });
}
