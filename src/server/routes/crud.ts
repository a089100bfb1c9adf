import type { FastifyInstance } from 'fastify';
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
    schema: { tags, summary: `Create ${r.tag}`, body: r.create, response: { 201: r.item, ...errors } },
  }, async (req, reply) => reply.code(201).send(await createResource(db, r.def, req.actor, req.body as Record<string, unknown>)));

  api.get(`${r.path}/:id`, {
    config: { access: r.read },
    schema: { tags, summary: `Read one of ${r.tag}`, params: IdParams, response: { 200: r.item, ...errors } },
  }, async (req) => getResource(db, r.def, req.actor, (req.params as Params).id));

  api.patch(`${r.path}/:id`, {
    config: { access: r.write },
    schema: { tags, summary: `Update one of ${r.tag}`, params: IdParams, body: r.update, response: { 200: r.item, ...errors } },
  }, async (req) => updateResource(db, r.def, req.actor, (req.params as Params).id, req.body as Record<string, unknown>));

  api.delete(`${r.path}/:id`, {
    config: { access: r.write },
    schema: { tags, summary: `Deactivate one of ${r.tag} (kept for history)`, params: IdParams, response: { 200: r.item, ...errors } },
  }, async (req) => deactivateResource(db, r.def, req.actor, (req.params as Params).id));
}
