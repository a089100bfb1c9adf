import type { Campaign, CampaignValidation, CreateCampaign, RecipientStatus } from '../../contracts/campaigns.js';
import type { Queryable } from '../../db/database.js';
import { templateParameterCount } from '../../shared/template-text.js';
import { policyOf } from '../access.js';
import type { Actor } from '../actor.js';
import { writeAudit } from '../audit.js';
import type { Engine } from '../engine.js';
import { conflict, fieldError, notFound, NOUNS, type Noun } from '../errors.js';
import { parseCampaignCsv } from './csv.js';
import { announceCampaign } from './progress.js';
import { CAMPAIGN_SELECT, loadCampaignRow, presentCampaign, presentRecipient, type CampaignRow, type RecipientRow } from './present.js';
import { checkRows, type CheckedRow } from './validate.js';

// Campaigns (Mensagens ativas): validated and stored here; sent by channels/campaign-sender.ts.
// Supervisors act on the campaigns of the services they supervise, admins on all; outside the scope
// a campaign, a service or its template does not exist (404).

export const CAMPAIGN: Noun = { en: 'Campaign', pt: 'Campanha', fem: true };
const TEMPLATE: Noun = { en: 'Template', pt: 'Template' };

interface Sendable {
  serviceId: string;
  accountId: string;
  templateId: string;
  parameterCount: number;
}

/** The service and template of an upload: 404 unknown or outside the scope; 422 when they cannot send a campaign. */
async function sendable(db: Queryable, actor: Actor, templateId: string, serviceId: string): Promise<Sendable> {
  const { rows: s } = await db.query<{ channel: string; channel_account_id: string | null }>('SELECT channel, channel_account_id FROM services WHERE id = $1', [serviceId]);
  if (!s[0] || !(await policyOf(actor).supervisesService(db, serviceId))) throw fieldError(404, 'not_found', 'serviceId', { en: `${NOUNS.service.en} ${serviceId} not found`, pt: `${NOUNS.service.pt} ${serviceId} não encontrado` });
  if (s[0].channel !== 'whatsapp' || !s[0].channel_account_id) {
    throw fieldError(422, 'not_whatsapp', 'serviceId', { en: 'campaigns go through a WhatsApp service with its account', pt: 'campanhas são enviadas por um serviço de WhatsApp com sua conta' });
  }
  const { rows: t } = await db.query<{ body: string; channel_account_id: string | null; status: string | null }>('SELECT body, channel_account_id, status FROM templates WHERE id = $1', [templateId]);
  if (!t[0]) throw fieldError(404, 'not_found', 'templateId', { en: `${TEMPLATE.en} ${templateId} not found`, pt: `${TEMPLATE.pt} ${templateId} não encontrado` });
  if (t[0].channel_account_id !== s[0].channel_account_id) {
    throw fieldError(422, 'template_account', 'templateId', { en: 'the template belongs to another WhatsApp account than the service’s', pt: 'o template é de outra conta de WhatsApp que não a do serviço' });
  }
  if (t[0].status !== 'APPROVED') {
    throw fieldError(422, 'template_not_approved', 'templateId', { en: `only an APPROVED template can be sent (it is ${t[0].status ?? 'DRAFT'})`, pt: `só um template APROVADO pode ser enviado (ele está ${t[0].status ?? 'DRAFT'})` });
  }
  return { serviceId, accountId: s[0].channel_account_id, templateId, parameterCount: templateParameterCount(t[0].body) };
}

const SAMPLE = 20;

const presentChecked = (r: CheckedRow, lang: 'en' | 'pt') => ({
  line: r.line, phone: r.phone, name: r.name, parameters: r.parameters, ok: r.reason === null, reason: r.reason, message: r.message ? r.message[lang] : null,
});

async function checkUpload(db: Queryable, actor: Actor, input: { templateId: string; serviceId: string; csv: string }) {
  const target = await sendable(db, actor, input.templateId, input.serviceId);
  const rows = await checkRows(db, await parseCampaignCsv(input.csv, target.parameterCount));
  return { target, rows };
}

/** POST /api/campaigns/validate: the rows as they would go, nothing stored. */
export async function validateCampaign(db: Queryable, actor: Actor, input: { templateId: string; serviceId: string; csv: string }, lang: 'en' | 'pt'): Promise<CampaignValidation> {
  const { rows } = await checkUpload(db, actor, input);
  const problems = rows.filter((r) => r.reason !== null);
  return {
    rows: rows.length,
    ok: rows.length - problems.length,
    skipped: problems.length,
    problems: problems.map((r) => presentChecked(r, lang)),
    sample: rows.filter((r) => r.reason === null).slice(0, SAMPLE).map((r) => presentChecked(r, lang)),
  };
}

const INSERT_SLICE = 5000;

/**
 * POST /api/campaigns: the campaign and one recipient per CSV row (the skipped ones with their
 * reason), inserted in slices of one statement each, counts set, audited, announced. 422 when no
 * row can be sent.
 */
export async function createCampaign(engine: Engine, actor: Actor, input: CreateCampaign): Promise<Campaign> {
  const { target, rows } = await checkUpload(engine.db, actor, input);
  const ok = rows.filter((r) => r.reason === null).length;
  if (!ok) {
    throw fieldError(422, 'nothing_to_send', 'csv', { en: `none of the ${rows.length} rows can be sent`, pt: `nenhuma das ${rows.length} linhas pode ser enviada` });
  }
  return engine.execute(async (u) => {
    const startAt = input.startAt ? new Date(input.startAt) : u.now;
    if (Number.isNaN(startAt.getTime())) throw fieldError(400, 'validation_error', 'startAt', { en: 'not a date-time', pt: 'não é uma data e hora' });
    const { rows: created } = await u.tx.query<{ id: string }>(
      `INSERT INTO campaigns (name, template_id, service_id, channel_account_id, window_from, window_to, start_at, status, total, queued, skipped, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
      [input.name, target.templateId, target.serviceId, target.accountId, input.window.from, input.window.to, startAt, startAt > u.now ? 'scheduled' : 'running',
        rows.length, ok, rows.length - ok, actor.id, u.now],
    );
    const id = created[0].id;
    for (let i = 0; i < rows.length; i += INSERT_SLICE) {
      const slice = rows.slice(i, i + INSERT_SLICE);
      await u.tx.query(
        `INSERT INTO campaign_recipients (campaign_id, line, phone, name, parameters, status, reason)
         SELECT $1, x.line, x.phone, x.name, x.parameters::jsonb, CASE WHEN x.reason IS NULL THEN 'queued' ELSE 'skipped' END, x.reason
           FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(line, phone, name, parameters, reason)`,
        [id, slice.map((r) => r.line), slice.map((r) => r.phone ?? ''), slice.map((r) => r.name), slice.map((r) => JSON.stringify(r.parameters)), slice.map((r) => r.reason)],
      );
    }
    await writeAudit(u.tx, actor, { action: 'create_campaign', entity: 'campaign', entityId: id, after: { name: input.name, templateId: target.templateId, serviceId: target.serviceId, rows: rows.length, ok } });
    await announceCampaign(u, id);
    return presentCampaign((await loadCampaignRow(u.tx, id))!);
  });
}

/** A campaign the actor supervises (404 otherwise). */
async function campaignInScope(db: Queryable, actor: Actor, id: string, lock = false): Promise<CampaignRow> {
  const row = await loadCampaignRow(db, id);
  if (!row || !(await policyOf(actor).supervisesService(db, row.service_id))) throw notFound(CAMPAIGN, id);
  if (lock) await db.query('SELECT 1 FROM campaigns WHERE id = $1 FOR UPDATE', [id]);
  return row;
}

export async function getCampaign(db: Queryable, actor: Actor, id: string): Promise<Campaign> {
  return presentCampaign(await campaignInScope(db, actor, id));
}

const cursorOf = (parts: (string | number)[]) => Buffer.from(parts.join('|')).toString('base64url');
const partsOf = (cursor: string, field = 'cursor') => {
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  if (parts.length < 1 || parts.some((p) => p === '')) throw fieldError(400, 'validation_error', field, { en: 'not a cursor this list gave', pt: 'não é um cursor desta lista' });
  return parts;
};

/** GET /api/campaigns: newest first, those of the services the actor supervises. */
export async function listCampaigns(db: Queryable, actor: Actor, q: { cursor?: string; limit?: number }): Promise<{ rows: Campaign[]; next: string | null }> {
  const limit = q.limit ?? 50;
  const scope = policyOf(actor).servicesSql('c.service_id', 1);
  const params: unknown[] = [...scope.params];
  let after = '';
  if (q.cursor) {
    const [at, id] = partsOf(q.cursor);
    if (!id || Number.isNaN(Date.parse(at))) throw fieldError(400, 'validation_error', 'cursor', { en: 'not a cursor this list gave', pt: 'não é um cursor desta lista' });
    params.push(at, id);
    after = ` AND (c.created_at, c.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  params.push(limit + 1);
  const { rows } = await db.query<CampaignRow>(`${CAMPAIGN_SELECT} WHERE ${scope.sql}${after} ORDER BY c.created_at DESC, c.id DESC LIMIT $${params.length}`, params);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page.map(presentCampaign), next: rows.length > limit && last ? cursorOf([new Date(last.created_at).toISOString(), last.id]) : null };
}

/** GET /api/campaigns/{id}/recipients: in line order, of one status or all; `sending` rows count as queued. */
export async function listRecipients(
  db: Queryable, actor: Actor, id: string, q: { status?: RecipientStatus; cursor?: string; limit?: number }, lang: 'en' | 'pt',
): Promise<{ rows: ReturnType<typeof presentRecipient>[]; next: string | null; total: number }> {
  const c = await campaignInScope(db, actor, id);
  const limit = q.limit ?? 100;
  const statuses = q.status === 'queued' ? ['queued', 'sending'] : q.status ? [q.status] : null;
  const afterLine = q.cursor ? Number(partsOf(q.cursor)[0]) : 0;
  if (!Number.isSafeInteger(afterLine)) throw fieldError(400, 'validation_error', 'cursor', { en: 'not a cursor this list gave', pt: 'não é um cursor desta lista' });
  const { rows } = await db.query<RecipientRow>(
    `SELECT id, line, phone, name, parameters, status, reason, error_code, error_message, sent_at, delivered_at, read_at, answered_at, conversation_id
       FROM campaign_recipients WHERE campaign_id = $1 AND ($2::text[] IS NULL OR status = ANY($2::text[])) AND line > $3 ORDER BY line LIMIT $4`,
    [id, statuses, afterLine, limit + 1],
  );
  const page = rows.slice(0, limit);
  // the total of a status is on the campaign row (no count over the recipients)
  const total = q.status ? c[q.status] : c.total;
  return { rows: page.map((r) => presentRecipient(r, lang)), next: rows.length > limit ? cursorOf([page.at(-1)!.line]) : null, total };
}

type Action = 'pause' | 'resume' | 'cancel';
const FROM: Record<Action, Campaign['status'][]> = { pause: ['scheduled', 'running'], resume: ['paused'], cancel: ['scheduled', 'running', 'paused'] };
const AUDIT_ACTION = { pause: 'pause_campaign', resume: 'resume_campaign', cancel: 'cancel_campaign' } as const;

/** Pause, resume or cancel (409 from a status that does not allow it); audited and announced. */
export function changeCampaign(engine: Engine, actor: Actor, id: string, action: Action): Promise<Campaign> {
  return engine.execute(async (u) => {
    const c = await campaignInScope(u.tx, actor, id, true);
    const fresh = (await loadCampaignRow(u.tx, id))!;
    if (!FROM[action].includes(fresh.status)) {
      throw conflict({ en: `a ${fresh.status} campaign cannot be ${action === 'pause' ? 'paused' : action === 'resume' ? 'resumed' : 'cancelled'}`, pt: `uma campanha ${STATUS_PT[fresh.status]} não pode ser ${action === 'pause' ? 'pausada' : action === 'resume' ? 'retomada' : 'cancelada'}` }, { status: fresh.status });
    }
    // resumed: scheduled again when its start has not come, else running (the sender finishes it if nothing is left)
    const next = action === 'pause' ? 'paused' : action === 'cancel' ? 'cancelled' : new Date(c.start_at) > u.now ? 'scheduled' : 'running';
    await u.tx.query(
      `UPDATE campaigns SET status = $2, updated_at = $3, finished_at = CASE WHEN $2 = 'cancelled' THEN $3 ELSE finished_at END WHERE id = $1`,
      [id, next, u.now],
    );
    // cancelled: what had not gone yet never will — skipped, saying so (a row in flight, `sending`,
    // is the sender's to store, whatever the provider answers)
    if (next === 'cancelled') {
      await u.tx.query(
        `WITH moved AS (UPDATE campaign_recipients SET status = 'skipped', reason = 'cancelled' WHERE campaign_id = $1 AND status = 'queued' RETURNING 1)
         UPDATE campaigns SET queued = queued - (SELECT count(*) FROM moved), skipped = skipped + (SELECT count(*) FROM moved) WHERE id = $1`,
        [id],
      );
    }
    await writeAudit(u.tx, actor, { action: AUDIT_ACTION[action], entity: 'campaign', entityId: id, before: { status: fresh.status }, after: { status: next } });
    await announceCampaign(u, id);
    return presentCampaign((await loadCampaignRow(u.tx, id))!);
  });
}

const STATUS_PT: Record<Campaign['status'], string> = { scheduled: 'agendada', running: 'em andamento', paused: 'pausada', finished: 'concluída', cancelled: 'cancelada' };

