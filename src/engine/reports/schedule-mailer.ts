import nodemailer from 'nodemailer';
import type { Readable } from 'node:stream';
import type { ReportSchedule } from '../../contracts/report-schedules.js';
import type { ReportId } from '../../contracts/reports.js';
import type { Queryable } from '../../db/database.js';
import { SYSTEM_ACTOR, type Actor } from '../actor.js';
import { actorOf, loadUser } from '../auth/sessions.js';
import { writeAudit } from '../audit.js';
import type { Engine } from '../engine.js';
import { AppError } from '../errors.js';
import { foldRollups } from '../rollups/fold.js';
import { getSettings } from '../settings.js';
import { exportReport } from './export.js';
import { REPORTS } from './catalogue.js';
import { nextRunAfter, periodOfSending } from './schedules.js';

// The sending of Agendamentos: every minute on every node, each due schedule is taken with FOR
// UPDATE SKIP LOCKED (another node skips it), its report exported in its owner's scope and e-mailed
// with the file attached, and next_run_at advanced and audited in that same transaction: a due time is
// sent once across nodes and restarts. A failed SMTP delivery rolls back and is retried next tick; a
// report that cannot run (an unsupported format, its owner deactivated) is skipped, audited with why.

/** The system's SMTP relay (MAIL_SMTP_HOST…, server/config.ts): what an IT department hands out. */
export interface MailConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

interface DueRow {
  id: string; report_id: ReportId; filters: ReportSchedule['filters']; period: ReportSchedule['period']; format: ReportSchedule['format'];
  recipients: string[]; frequency: ReportSchedule['frequency']; hour: number; owner_id: string; next_run_at: Date;
}

async function bufferOf(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

export class ReportMailer {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<number> | null = null;
  private stopped = false;
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(private readonly engine: Engine, private readonly mail: MailConfig, private readonly onError: (err: unknown) => void = () => undefined) {
    this.transport = nodemailer.createTransport({
      host: mail.host, port: mail.port, secure: mail.secure,
      ...(mail.user && mail.password ? { auth: { user: mail.user, pass: mail.password } } : {}),
      connectionTimeout: 20_000, greetingTimeout: 15_000, socketTimeout: 60_000,
    });
  }

  start(intervalMs = 60_000): void {
    this.timer = setInterval(() => void this.runDue().catch(this.onError), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy?.catch(() => undefined);
    this.transport.close();
  }

  /** Sends every schedule due by the engine's clock, one transaction each; returns how many were sent. */
  async runDue(): Promise<number> {
    if (this.busy) return 0;
    this.busy = (async () => {
      let sent = 0;
      // a schedule skipped stays locked by nobody and is not due again (next_run_at moved), so this ends
      while (!this.stopped && (await this.runOne())) sent++;
      return sent;
    })();
    try {
      return await this.busy;
    } finally {
      this.busy = null;
    }
  }

  /** One due schedule: false when none is due (or all are held by another node). */
  private async runOne(): Promise<boolean> {
    const now = this.engine.clock.now();
    // the report runs in the schedule's transaction, where the rollups are not folded (fold.ts)
    await foldRollups(this.engine.db);
    return this.engine.db.transaction(async (tx) => {
      const { rows } = await tx.query<DueRow>(
        `SELECT id, report_id, filters, period, format, recipients, frequency, hour, owner_id, next_run_at
           FROM report_schedules WHERE active AND next_run_at <= $1 ORDER BY next_run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      const s = rows[0];
      if (!s) return false;
      const { timezone } = await getSettings(tx);
      const due = new Date(s.next_run_at);
      const next = await nextRunAfter(tx, now, s.frequency, s.hour, timezone);
      const period = await periodOfSending(tx, due, s.period, timezone);
      const owner = await loadUser(tx, s.owner_id);
      const actor = owner ? actorOf(owner) : null;
      const record = { reportId: s.report_id, ...period, format: s.format, recipients: s.recipients, due: due.toISOString() };
      let skipped: string | null = null;
      if (!owner?.active || !actor) skipped = 'owner inactive';
      else {
        try {
          await this.send(tx, actor, s, period, now, owner.language === 'en' ? 'en' : 'pt');
        } catch (err) {
          // the report itself refused (format, a filter no longer valid): retrying cannot mend it
          if (!(err instanceof AppError)) throw err;
          skipped = err.message;
        }
      }
      await tx.query('UPDATE report_schedules SET next_run_at = $2, last_run_at = CASE WHEN $3 THEN $4::timestamptz ELSE last_run_at END WHERE id = $1', [s.id, next, skipped === null, now]);
      await writeAudit(tx, actor ?? SYSTEM_ACTOR, {
        action: 'send_report', entity: 'report_schedule', entityId: s.id, after: skipped === null ? record : { ...record, skipped },
      });
      if (skipped !== null) this.onError(new Error(`report schedule ${s.id} skipped: ${skipped}`));
      return true;
    });
  }

  private async send(tx: Queryable, actor: Actor, s: DueRow, period: { from: string; to: string }, now: Date, lang: 'pt' | 'en'): Promise<void> {
    const file = await exportReport(tx, actor, s.report_id, { ...s.filters, ...period, format: s.format }, lang, now);
    const content = await bufferOf(file.body);
    const title = REPORTS.get(s.report_id)?.title[lang] ?? s.report_id;
    const en = lang === 'en';
    const days = period.from === period.to ? day(period.from, en) : `${day(period.from, en)} ${en ? 'to' : 'a'} ${day(period.to, en)}`;
    await this.transport.sendMail({
      from: this.mail.from,
      to: s.recipients,
      subject: `Mirante — ${title} — ${days}`,
      text: en
        ? `Attached is the report “${title}” of ${days}, scheduled by ${actor.name}.\n\nTo change or cancel this sending, open Reports → Schedules in Mirante.`
        : `Segue anexo o relatório “${title}” de ${days}, agendado por ${actor.name}.\n\nPara alterar ou cancelar este envio, acesse Relatórios → Agendamentos no Mirante.`,
      attachments: [{ filename: file.fileName, content, contentType: file.contentType }],
    });
  }
}

const day = (d: string, en: boolean) => (en ? d : `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`);
