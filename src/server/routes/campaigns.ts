import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Campaign, CampaignListQuery, CampaignPage, CampaignValidation, CreateCampaign, CsvUpload, RecipientPage, RecipientQuery } from '../../contracts/campaigns.js';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import { changeCampaign, createCampaign, getCampaign, listCampaigns, listRecipients, validateCampaign } from '../../engine/campaigns/campaigns.js';
import { exportRecipients } from '../../engine/campaigns/export.js';
import { STAFF } from '../auth/plugin.js';
import { requestLanguage } from '../language.js';
import { sendExport } from '../send-export.js';
import type { RouteDeps } from './index.js';

// Campaigns (Mensagens ativas): supervisors (their services) and admins; agents 403. The CSV travels
// in the JSON body, so these two routes take bodies up to 32 MB (the CSV itself at most 20 M
// characters and 100,000 rows: 413 beyond).
const CSV_BODY_LIMIT = 32 * 1024 * 1024;

export function campaignRoutes(app: FastifyInstance, { db, runtime }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
  const tags = ['campaigns'];

  api.get('/api/campaigns', {
    config: { access: STAFF },
    schema: { tags, summary: 'Campaigns, newest first (supervisors: those of the services they supervise)', querystring: CampaignListQuery, response: { 200: CampaignPage, ...errors } },
  }, async (req) => listCampaigns(db, req.actor, req.query));

  api.post('/api/campaigns/validate', {
    config: { access: STAFF },
    bodyLimit: CSV_BODY_LIMIT,
    schema: {
      tags, summary: 'Checks a CSV of contacts against a template and a service, row by row, storing nothing',
      description: 'Every row that will not go, with its line number and reason (invalid_phone, missing_parameter, duplicate, opted_out, invalid_row), and the first rows that will. 400 naming `csv` for a file without the telefone column or a parameter column the template needs; 413 past 100,000 rows or 32 MB; 404 for a service outside the caller’s supervision or an unknown template; 422 for a service without a WhatsApp account or a template not APPROVED.',
      body: CsvUpload, response: { 200: CampaignValidation, ...errors, 413: ErrorBody, 422: ErrorBody },
    },
  }, async (req) => validateCampaign(db, req.actor, req.body, requestLanguage(req)));

  api.post('/api/campaigns', {
    config: { access: STAFF },
    bodyLimit: CSV_BODY_LIMIT,
    schema: {
      tags, summary: 'Creates a campaign: one row per CSV line (the skipped ones with their reason), sent within the window of hours from startAt',
      description: 'As /validate, then stored. 422 `nothing_to_send` when no row can be sent.',
      body: CreateCampaign, response: { 201: Campaign, ...errors, 413: ErrorBody, 422: ErrorBody },
    },
  }, async (req, reply) => reply.code(201).send(await createCampaign(runtime.engine, req.actor, req.body)));

  api.get('/api/campaigns/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'One campaign with its progress', params: IdParams, response: { 200: Campaign, ...errors } },
  }, async (req) => getCampaign(db, req.actor, req.params.id));

  api.get('/api/campaigns/:id/recipients', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'A campaign’s rows in line order, of one status or all, with the reason of each skipped or failed one; format=csv|xlsx downloads them all',
      params: IdParams, querystring: RecipientQuery, response: { 200: RecipientPage, ...errors },
    },
  }, async (req, reply) => {
    const lang = requestLanguage(req);
    if (req.query.format) return sendExport(reply, await exportRecipients(db, req.actor, req.params.id, { status: req.query.status, format: req.query.format }, lang));
    return listRecipients(db, req.actor, req.params.id, req.query, lang);
  });

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    api.post(`/api/campaigns/:id/${action}`, {
      config: { access: STAFF },
      schema: {
        tags, summary: { pause: 'Pauses a campaign: nothing more is sent until it is resumed', resume: 'Resumes a paused campaign', cancel: 'Cancels a campaign: what was not sent never is' }[action],
        description: '409 from a status that does not allow it.',
        params: IdParams, response: { 200: Campaign, ...errors, 409: ErrorBody },
      },
    }, async (req) => changeCampaign(runtime.engine, req.actor, req.params.id, action));
  }
}
