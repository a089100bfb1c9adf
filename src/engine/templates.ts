import type { Template, TemplateStatus } from '../contracts/admin.js';
import type { Queryable } from '../db/database.js';
import { whatsappTemplateProblems } from '../shared/template-text.js';
import type { Actor } from './actor.js';
import { writeAudit } from './audit.js';
import { AppError, fieldError, notFound } from './errors.js';
import type { Row } from './admin/resource.js';
import type { Engine } from './engine.js';

// Templates that a provider approves (issue 17): a template tied to a WhatsApp account is checked as
// the provider would (400 naming the field), submitted by channels/whatsapp/templates.ts, and its
// status kept here from the submit's answer, the provider's status webhook and "Sincronizar".

export const TEMPLATE = { en: 'Template', pt: 'Template' };

/** A status the provider reported for one of its templates (webhook or sync). */
export interface TemplateStatusUpdate {
  /** the provider's id of the template; else its name and language */
  providerId?: string | null;
  name?: string | null;
  language?: string | null;
  status?: TemplateStatus | null;
  reason?: string | null;
  quality?: string | null;
}

const CONTENT = ['body', 'header', 'footer', 'buttons', 'examples', 'providerTemplate', 'providerCategory', 'language', 'channelAccountId'];

/**
 * The extra columns of a template being saved: a WhatsApp account makes it a provider template
 * (channel whatsapp, its components checked, DRAFT until submitted; a change to what the provider
 * approved sends it back to DRAFT). Without an account, a plain text template: no status.
 */
export async function prepareTemplate(input: Record<string, unknown>, tx: Queryable, existing?: Row): Promise<Record<string, unknown>> {
  const pick = <T>(field: string, column: string, fallback: T): T => (field in input ? (input[field] as T) : existing ? (existing[column] as T) : fallback);
  const accountId = pick<string | null>('channelAccountId', 'channel_account_id', null);
  if (!accountId) {
    return existing?.channel_account_id && 'channelAccountId' in input ? { status: null, provider_id: null, status_reason: null, quality: null, status_at: null } : {};
  }
  const { rows } = await tx.query<{ channel: string }>('SELECT channel FROM channel_accounts WHERE id = $1 AND active', [accountId]);
  if (rows[0]?.channel !== 'whatsapp') {
    throw fieldError(422, 'unknown_reference', 'channelAccountId', { en: 'not an active WhatsApp account', pt: 'não é uma conta de WhatsApp ativa' });
  }
  const channel = pick<string | null>('channel', 'channel', 'whatsapp');
  if (channel !== null && channel !== 'whatsapp') throw fieldError(400, 'validation_error', 'channel', { en: 'a template of a WhatsApp account is for WhatsApp', pt: 'um template de conta de WhatsApp é do canal WhatsApp' });
  const problems = whatsappTemplateProblems({
    providerTemplate: pick('providerTemplate', 'provider_template', null),
    body: pick('body', 'body', ''),
    header: pick('header', 'header', null),
    examples: pick('examples', 'examples', []),
    providerCategory: pick('providerCategory', 'provider_category', null),
    buttons: pick('buttons', 'buttons', []),
  });
  if (problems[0]) throw fieldError(400, 'validation_error', problems[0].field, problems[0].message, { issues: problems.map((p) => ({ path: p.field, message: p.message })) });
  const changed = !existing || CONTENT.some((f) => f in input);
  return { channel: 'whatsapp', ...(changed ? { status: 'DRAFT', status_reason: null, status_at: null } : {}) };
}

/** The presented fields a provider template adds to the plain one. */
export function presentProviderFields(r: Row): Pick<Template, 'channelAccountId' | 'providerCategory' | 'header' | 'footer' | 'buttons' | 'examples' | 'providerId' | 'status' | 'statusReason' | 'quality' | 'statusAt'> {
  return {
    channelAccountId: (r.channel_account_id as string | null) ?? null,
    providerCategory: (r.provider_category as Template['providerCategory']) ?? null,
    header: (r.header as string | null) ?? null,
    footer: (r.footer as string | null) ?? null,
    buttons: (r.buttons as Template['buttons'] | null) ?? [],
    examples: (r.examples as string[] | null) ?? [],
    providerId: (r.provider_id as string | null) ?? null,
    status: (r.status as TemplateStatus | null) ?? null,
    statusReason: (r.status_reason as string | null) ?? null,
    quality: (r.quality as string | null) ?? null,
    statusAt: r.status_at ? new Date(r.status_at as string).toISOString() : null,
  };
}

export interface SubmittableTemplate {
  id: string;
  channelAccountId: string;
  name: string;
  providerTemplate: string;
  language: string;
  providerCategory: NonNullable<Template['providerCategory']>;
  header: string | null;
  body: string;
  footer: string | null;
  buttons: Template['buttons'];
  examples: string[];
  providerId: string | null;
  status: TemplateStatus;
}

/** A provider template to submit or sync; 404 unknown, 422 for a template without a WhatsApp account. */
export async function loadProviderTemplate(db: Queryable, id: string): Promise<SubmittableTemplate> {
  const { rows } = await db.query<Row>('SELECT * FROM templates WHERE id = $1', [id]);
  const r = rows[0];
  if (!r) throw notFound(TEMPLATE, id);
  if (!r.channel_account_id) {
    throw new AppError(422, 'not_provider_template', { en: 'the template has no WhatsApp account: it is plain text, nothing to submit', pt: 'o template não tem conta de WhatsApp: é texto simples, nada a enviar para aprovação' });
  }
  const p = presentProviderFields(r);
  return {
    id: r.id as string, channelAccountId: p.channelAccountId!, name: r.name as string, providerTemplate: r.provider_template as string, language: r.language as string,
    providerCategory: p.providerCategory!, header: p.header, body: r.body as string, footer: p.footer, buttons: p.buttons, examples: p.examples, providerId: p.providerId, status: p.status ?? 'DRAFT',
  };
}

/** The provider took the template: its id and first status (PENDING, or at once APPROVED/REJECTED), audited. */
export async function recordSubmitted(engine: Engine, actor: Actor, id: string, providerId: string, status: TemplateStatus, reason: string | null): Promise<void> {
  await engine.execute(async (u) => {
    const { rows } = await u.tx.query<{ status: string | null; provider_id: string | null }>('SELECT status, provider_id FROM templates WHERE id = $1 FOR UPDATE', [id]);
    await u.tx.query('UPDATE templates SET provider_id = $2, status = $3, status_reason = $4, status_at = $5, updated_at = $5 WHERE id = $1', [id, providerId, status, reason, u.now]);
    await writeAudit(u.tx, actor, { action: 'submit_template', entity: 'template', entityId: id, before: rows[0], after: { status, provider_id: providerId } });
  });
}

/**
 * Statuses the provider reported for an account's templates, matched by the provider's id (else
 * name and language). A status the provider did not name keeps the stored one (a quality update).
 * Returns how many templates changed.
 */
export async function applyTemplateStatuses(engine: Engine, accountId: string, updates: readonly TemplateStatusUpdate[]): Promise<number> {
  if (!updates.length) return 0;
  return engine.execute(async (u) => {
    let changed = 0;
    for (const x of updates) {
      const { rowCount } = await u.tx.query(
        `UPDATE templates SET
           status = COALESCE($4, status),
           status_reason = CASE WHEN $4::text IS NULL THEN status_reason WHEN $4 IN ('APPROVED', 'PENDING') THEN NULL ELSE COALESCE($5, status_reason) END,
           quality = COALESCE($6, quality),
           provider_id = COALESCE(provider_id, $2),
           status_at = $7, updated_at = $7
         WHERE channel_account_id = $1
           AND (provider_id = $2 OR (($2::text IS NULL OR provider_id IS NULL) AND provider_template = $3 AND ($8::text IS NULL OR language = $8)))
           AND (($4::text IS NOT NULL AND status IS DISTINCT FROM $4) OR ($5::text IS NOT NULL AND status_reason IS DISTINCT FROM $5) OR ($6::text IS NOT NULL AND quality IS DISTINCT FROM $6))`,
        [accountId, x.providerId ?? null, x.name ?? null, x.status ?? null, x.reason ?? null, x.quality ?? null, u.now, x.language ?? null],
      );
      changed += rowCount ?? 0;
    }
    return changed;
  });
}

/** The provider templates of an account, for a sync (id, name, language). */
export async function templatesOfAccount(db: Queryable, accountId: string): Promise<{ id: string; providerId: string | null; providerTemplate: string; language: string }[]> {
  const { rows } = await db.query<{ id: string; provider_id: string | null; provider_template: string; language: string }>(
    `SELECT id, provider_id, provider_template, language FROM templates WHERE channel_account_id = $1 AND status IS DISTINCT FROM 'DRAFT'`, [accountId],
  );
  return rows.map((r) => ({ id: r.id, providerId: r.provider_id, providerTemplate: r.provider_template, language: r.language }));
}
