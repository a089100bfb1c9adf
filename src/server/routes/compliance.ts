import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import { ComplianceContact, ComplianceContactQuery, DataAccessList, DataAccessQuery, RetentionPreview } from '../../contracts/compliance.js';
import { assertPrivacyOfficer, exportDataAccess, findContacts, listDataAccess } from '../../engine/compliance/data-access.js';
import { previewRetention } from '../../engine/retention/run.js';
import type { Runtime } from '../../engine/runtime.js';
import { ALL_ROLES } from '../auth/plugin.js';
import { requestLanguage } from '../language.js';
import { sendExport } from '../send-export.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

// the permission is checked before the input, so a caller without it learns nothing from a 400
const officerOnly = async (req: FastifyRequest) => assertPrivacyOfficer(req.actor);

/**
 * Acessos a dados (LGPD) and the retention dry run. Any signed-in role reaches the handler; the engine
 * lets through admins and the users marked "Encarregado de dados (DPO)" only (403 for the rest).
 */
export function complianceRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = runtime.engine;
  const tags = ['lgpd'];

  api.get('/api/lgpd/contacts', {
    config: { access: ALL_ROLES },
    preValidation: officerOnly,
    schema: { tags, summary: 'Acessos a dados: find a contact by name, phone, e-mail, CPF or protocol (admins and the DPO)', querystring: ComplianceContactQuery, response: { 200: z.object({ items: z.array(ComplianceContact) }), ...errors } },
  }, async (req) => ({ items: await findContacts(db, req.actor, req.query.q) }));

  api.get('/api/lgpd/contacts/:id/accesses', {
    config: { access: ALL_ROLES },
    preValidation: officerOnly,
    schema: {
      tags, params: IdParams, querystring: DataAccessQuery, response: { 200: DataAccessList, ...errors },
      summary: 'Who accessed this contact’s data, when and from where (IP, browser), newest first; `format=csv` downloads every row (audited)',
    },
  }, async (req, reply) => {
    if (req.query.format === 'csv') return sendExport(reply, await exportDataAccess(db, req.actor, req.params.id, req.query, requestLanguage(req)));
    return listDataAccess(db, req.actor, req.params.id, req.query);
  });

  api.get('/api/retention/preview', {
    config: { access: ALL_ROLES },
    preValidation: officerOnly,
    schema: { tags, summary: 'Retention dry run: how many records each rule (on or off) would touch if it ran now (admins and the DPO)', response: { 200: RetentionPreview, ...errors } },
  }, async () => previewRetention(db, clock.now()));
}
