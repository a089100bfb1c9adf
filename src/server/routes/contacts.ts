import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import {
  AnonymizeBody, AnonymizeResult, ContactCorrection, ContactDetail, ContactHistoryQuery, ContactSearchQuery, ContactSearchResult, HISTORY_SCHEMA,
} from '../../contracts/contacts.js';
import type { Database } from '../../db/database.js';
import { anonymizeContact } from '../../engine/contacts/anonymize.js';
import { exportHistory } from '../../engine/contacts/history.js';
import { contactDetail, contactInScope, correctContact, searchContacts } from '../../engine/contacts/registry.js';
import { fieldError } from '../../engine/errors.js';
import type { Runtime } from '../../engine/runtime.js';
import { ADMIN, STAFF } from '../auth/plugin.js';
import { requestLanguage } from '../language.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['contacts'];

/** Titulares (LGPD): admins see every contact, supervisors those with a conversation in a service they supervise. */
export function contactRoutes(app: FastifyInstance, { db, runtime }: { db: Database; runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { clock } = runtime.engine;
  api.get('/api/contacts', {
    config: { access: STAFF },
    schema: { tags, summary: 'Titulares: contacts by name, e-mail, phone, CPF, channel handle or protocol', querystring: ContactSearchQuery, response: { 200: ContactSearchResult, ...errors } },
  }, async (req) => searchContacts(db, req.actor, req.query));

  api.get('/api/contacts/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'What Mirante holds on a person (LGPD art. 18): data, identities per channel, conversations', params: IdParams, response: { 200: ContactDetail, ...errors } },
  }, async (req) => contactDetail(db, req.actor, req.params.id));

  api.patch('/api/contacts/:id', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Correction (LGPD art. 18, III): name, e-mail, phone, CPF, each validated; audited before/after', params: IdParams, body: ContactCorrection,
      response: { 200: ContactDetail, ...errors },
    },
  }, async (req) => correctContact(db, req.actor, req.params.id, req.body, clock.now()));

  api.get('/api/contacts/:id/history', {
    config: { access: STAFF },
    schema: {
      tags, params: IdParams, querystring: ContactHistoryQuery, produces: ['application/json', 'application/pdf'],
      summary: 'The consumer’s history (SAC decree art. 13): every conversation, its states and messages, as JSON or PDF; audited',
      description: `JSON: schema \`${HISTORY_SCHEMA}\` (docs/LGPD.md): the company, the contact, the period, and \`conversations\`, each with its protocol,
service, channel, states with their times, who answered, and \`messages\` (time, from, author, subject, text, attachments by name). Times are in the
contact center's time zone with their offset. PDF: the same, readable, in Portuguese (English when Accept-Language asks for it). Both are streamed.`,
      response: errors,
    },
  }, async (req, reply) => {
    const format = req.query.format ?? 'json';
    // Portuguese unless English is asked for by name (a bare client sends none, or `*`)
    const lang = /\ben\b/i.test(req.headers['accept-language'] ?? '') && requestLanguage(req) === 'en' ? 'en' : 'pt';
    const file = await exportHistory(db, req.actor, req.params.id, format, lang, clock.now());
    reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).header('cache-control', 'no-store');
    return reply.send(file.body as never);
  });

  api.post('/api/contacts/:id/anonymize', {
    config: { access: ADMIN },
    schema: {
      tags, params: IdParams, body: AnonymizeBody, response: { 200: AnonymizeResult, ...errors },
      summary: 'Erasure: the person’s values leave every table, irreversibly; protocols, times, states and figures stay. 409 when done already or conversations are open',
    },
  }, async (req) => {
    const contact = await contactInScope(db, req.actor, req.params.id);
    const typed = req.body.confirm.trim().toLowerCase();
    if (typed !== contact.id.toLowerCase() && (contact.name === null || typed !== contact.name.trim().toLowerCase())) {
      throw fieldError(400, 'validation_error', 'confirm', { en: 'type the contact’s id or name to confirm', pt: 'digite o id ou o nome do titular para confirmar' }, { field: 'confirm' });
    }
    return anonymizeContact(db, req.actor, req.params.id, req.body.reason, clock.now());
  });
}
