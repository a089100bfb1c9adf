import { instantOf, localTime } from '../../core/business-hours.js';
import type { Settings } from '../../contracts/settings.js';
import type { Queryable } from '../../db/database.js';
import { allowAuditRewrite } from '../audit.js';

// The retention rules (Retenção de dados, LGPD): what each one touches, as one SQL condition shared by
// the dry run (count) and the run (apply), so the dry run's figure is what the run then touches.

export const RETENTION_RULES = ['messages', 'emailBodies', 'attachments', 'accessRecords', 'auditLog'] as const;
export type RetentionRule = (typeof RETENTION_RULES)[number];

export type RetentionConfig = Settings['retention'];

export interface RuleCutoff {
  rule: RetentionRule;
  enabled: boolean;
  /** records finished (service records) or made (access records, audit rows) before this go */
  cutoff: Date;
}

const pad = (n: number) => String(n).padStart(2, '0');
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * Service records: the local midnight (in the contact center's time zone) that starts today's date
 * N years ago. A demand finished on day D is kept through the whole local day D + N years and goes in
 * the first run of the day after. 29 February maps to 28 February.
 */
export function yearsCutoff(now: Date, years: number, timeZone: string): Date {
  const [y, m, d] = localTime(now.getTime(), timeZone).date.split('-').map(Number);
  const year = y - years;
  return new Date(instantOf(`${year}-${pad(m)}-${pad(Math.min(d, daysIn(year, m)))}`, 0, timeZone));
}

/** Access records and the audit log: the same instant N calendar months ago (31 August − 6 months = 28/29 February). */
export function monthsCutoff(now: Date, months: number): Date {
  const total = now.getUTCFullYear() * 12 + now.getUTCMonth() - months;
  const y = Math.floor(total / 12);
  const m = total % 12;
  const out = new Date(now);
  out.setUTCFullYear(y, m, Math.min(now.getUTCDate(), daysIn(y, m + 1)));
  return out;
}

export function ruleCutoffs(cfg: RetentionConfig, now: Date, timeZone: string): RuleCutoff[] {
  return [
    { rule: 'messages', enabled: cfg.messagesEnabled, cutoff: yearsCutoff(now, cfg.messagesYears, timeZone) },
    { rule: 'emailBodies', enabled: cfg.emailBodiesEnabled, cutoff: yearsCutoff(now, cfg.emailBodiesYears, timeZone) },
    { rule: 'attachments', enabled: cfg.attachmentsEnabled, cutoff: yearsCutoff(now, cfg.attachmentsYears, timeZone) },
    { rule: 'accessRecords', enabled: cfg.accessRecordsEnabled, cutoff: monthsCutoff(now, cfg.accessRecordsMonths) },
    { rule: 'auditLog', enabled: cfg.auditLogEnabled, cutoff: monthsCutoff(now, cfg.auditLogMonths) },
  ];
}

// A finished demand: its conversation left the open states before the cutoff.
const FINISHED = `c.finished_at < $1 AND c.state NOT IN ('triage', 'bot', 'queued', 'in_service')`;

/** One kind of record a rule touches: how to count it and how to apply the rule to one batch of it. */
interface Target {
  label: string;
  count: string;
  /** $1 the cutoff, $2 the batch size, $3 (when used) the run's time */
  apply: string;
}

const messagesOf = (emailOnly: boolean) => {
  const where = `m.content_purged_at IS NULL AND c.channel ${emailOnly ? '=' : '<>'} 'email' AND ${FINISHED}`;
  const from = `FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE ${where}`;
  return {
    label: 'messages',
    count: `SELECT count(*)::int AS n ${from}`,
    // the text and the provider's payload go; author, times, delivery state and the row itself stay
    apply: `UPDATE messages SET body = '', payload = NULL, content_purged_at = $3
             WHERE id IN (SELECT m.id ${from} ORDER BY m.id LIMIT $2 FOR UPDATE OF m SKIP LOCKED)`,
  };
};

const TARGETS: Record<RetentionRule, Target[]> = {
  messages: [messagesOf(false)],
  emailBodies: [messagesOf(true)],
  attachments: [
    {
      label: 'files',
      count: `SELECT count(*)::int AS n FROM attachments a JOIN conversations c ON c.id = a.conversation_id WHERE ${FINISHED}`,
      apply: `DELETE FROM attachments WHERE id IN (
                SELECT a.id FROM attachments a JOIN conversations c ON c.id = a.conversation_id WHERE ${FINISHED}
                 ORDER BY a.id LIMIT $2 FOR UPDATE OF a SKIP LOCKED)`,
    },
    {
      // the file names and links the message listed
      label: 'messageAttachments',
      count: `SELECT count(*)::int AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.attachments IS NOT NULL AND ${FINISHED}`,
      apply: `UPDATE messages SET attachments = NULL WHERE id IN (
                SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.attachments IS NOT NULL AND ${FINISHED}
                 ORDER BY m.id LIMIT $2 FOR UPDATE OF m SKIP LOCKED)`,
    },
  ],
  accessRecords: [
    {
      label: 'signIns',
      count: `SELECT count(*)::int AS n FROM audit_log WHERE action = 'login' AND at < $1`,
      apply: `DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE action = 'login' AND at < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    },
    {
      label: 'loginFailures',
      count: `SELECT count(*)::int AS n FROM login_failures WHERE at < $1`,
      apply: `DELETE FROM login_failures WHERE id IN (SELECT id FROM login_failures WHERE at < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    },
    {
      label: 'sessions',
      count: `SELECT count(*)::int AS n FROM sessions WHERE expires_at < $1`,
      apply: `DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    },
  ],
  // sign-ins are the access records' rule; every other audit row is this one's
  auditLog: [
    {
      label: 'auditRows',
      count: `SELECT count(*)::int AS n FROM audit_log WHERE action <> 'login' AND at < $1`,
      apply: `DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE action <> 'login' AND at < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    },
  ],
};

export function targetsOf(rule: RetentionRule): readonly Target[] {
  return TARGETS[rule];
}

/** How many records the rule would touch at this cutoff, by kind (the dry run). */
export async function countRule(db: Queryable, rule: RetentionRule, cutoff: Date): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TARGETS[rule]) out[t.label] = (await db.query<{ n: number }>(t.count, [cutoff])).rows[0].n;
  return out;
}

/**
 * Applies one batch of one kind of record, inside the caller's transaction; returns the rows touched.
 * The transaction says it is the retention job's, which the audit log's append-only trigger allows.
 */
export async function applyBatch(tx: Queryable, target: Target, cutoff: Date, limit: number, now: Date): Promise<number> {
  await allowAuditRewrite(tx);
  const params = target.apply.includes('$3') ? [cutoff, limit, now] : [cutoff, limit];
  const { rowCount } = await tx.query(target.apply, params);
  return rowCount;
}
