import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ErrorBody, IdParams, ListQuery, listOf } from '../../contracts/common.js';
import type { Database } from '../../db/database.js';
import {
  createResource,
  deactivateResource,
  getResource,
  listResource,
  updateResource,
  type ResourceDef,
} from '../../engine/admin/resource.js';
import type { Access } from '../auth/plugin.js';

interface CrudRoutes<Out extends { id: string }> {
  path: string;
  tag: string;
  def: ResourceDef<Out>;
  item: z.ZodType<Out>;
  create: z.ZodType<Record<string, unknown>>;
  update: z.ZodType<Record<string, unknown>>;
  read: Access;
  write: Access;
  /** after a change commits (live views that depend on this resource refresh from here) */
  onChange?: (after: Out, before: Out | null) => Promise<void>;
  /**
   * After a create or an update commits, what the answer says beyond the record (a provider's setup
   * that failed, as warnings); `saved` is then the schema of that answer.
   */
  afterSave?: (req: FastifyRequest, after: Out, input: Record<string, unknown>, created: boolean) => Promise<Out>;
  saved?: z.ZodType<Out>;
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** The five REST routes of an administrable resource: thin, validated, authorized, audited. */
export function registerCrud<Out extends { id: string }>(app: FastifyInstance, db: Database, r: CrudRoutes<Out>): void {
  // Not typed through the provider: `Out` is generic here, so requests are cast to the schemas' types.
  const api = app;
  type Query = z.infer<typeof ListQuery>;
  type Params = z.infer<typeof IdParams>;
  const tags = [r.tag];
  api.get(r.path, {
    config: { access: r.read },
    schema: { tags, summary: `List ${r.tag}`, querystring: ListQuery, response: { 200: listOf(r.item), ...errors } },
  }, async (req) => {
    const query = req.query as Query;
    return {
      items: await listResource(db, r.def, req.actor, {
        q: query.q,
        active: query.active === undefined ? undefined : query.active === 'true',
      }),
    };
  });

  api.post(r.path, {
    config: { access: r.write },
    schema: { tags, summary: `Create ${r.tag}`, body: r.create, response: { 201: r.saved ?? r.item, ...errors } },
  }, async (req, reply) => {
    const input = req.body as Record<string, unknown>;
    const created = await createResource(db, r.def, req.actor, input);
    await r.onChange?.(created, null);
    return reply.code(201).send(r.afterSave ? await r.afterSave(req, created, input, true) : created);
  });

  api.get(`${r.path}/:id`, {
    config: { access: r.read },
    schema: { tags, summary: `Read one of ${r.tag}`, params: IdParams, response: { 200: r.item, ...errors } },
  }, async (req) => getResource(db, r.def, req.actor, (req.params as Params).id));

  api.patch(`${r.path}/:id`, {
    config: { access: r.write },
    schema: { tags, summary: `Update one of ${r.tag}`, params: IdParams, body: r.update, response: { 200: r.saved ?? r.item, ...errors } },
  }, async (req) => {
    const id = (req.params as Params).id;
    const input = req.body as Record<string, unknown>;
    const before = r.onChange ? await getResource(db, r.def, req.actor, id) : null;
    const after = await updateResource(db, r.def, req.actor, id, input);
    await r.onChange?.(after, before);
    return r.afterSave ? r.afterSave(req, after, input, false) : after;
  });

  api.delete(`${r.path}/:id`, {
    config: { access: r.write },
    schema: { tags, summary: `Deactivate one of ${r.tag} (kept for history)`, params: IdParams, response: { 200: r.item, ...errors } },
  }, async (req) => {
    const id = (req.params as Params).id;
    const before = r.onChange ? await getResource(db, r.def, req.actor, id) : null;
    const after = await deactivateResource(db, r.def, req.actor, id);
    await r.onChange?.(after, before);
    return after;
  });
}
