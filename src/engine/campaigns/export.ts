import type { RecipientStatus } from '../../contracts/campaigns.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../actor.js';
import { localTimeText, openTableExport, type ExportColumn, type ExportFormat, type ExportLanguage, type Label, type OpenedExport } from '../exports/table-export.js';
import { getSettings } from '../settings.js';
import { getCampaign } from './campaigns.js';
import { presentRecipient, type RecipientRow } from './present.js';

// A campaign's rows as a download (CSV or XLSX, engine/exports/table-export.ts), streamed from a
// cursor in line order, times in the contact center's time zone; audited as an export.

const STATUS_LABELS: Record<RecipientStatus, Label> = {
  queued: { pt: 'Na fila', en: 'Queued' },
  sent: { pt: 'Enviada', en: 'Sent' },
  delivered: { pt: 'Entregue', en: 'Delivered' },
  read: { pt: 'Lida', en: 'Read' },
  failed: { pt: 'Falhou', en: 'Failed' },
  answered: { pt: 'Respondida', en: 'Answered' },
  skipped: { pt: 'Ignorada', en: 'Skipped' },
};

type Line = ReturnType<typeof presentRecipient>;

function columns(timeZone: string, format: ExportFormat): ExportColumn<Line>[] {
  const time = (pick: (r: Line) => string | null) => (r: Line, l: ExportLanguage) => localTimeText(pick(r), timeZone, format, l);
  return [
    { header: { pt: 'Linha', en: 'Line' }, kind: 'number', value: (r) => r.line },
    { header: { pt: 'Telefone', en: 'Phone' }, kind: 'text', value: (r) => r.phone },
    { header: { pt: 'Nome', en: 'Name' }, kind: 'text', value: (r) => r.name },
    { header: { pt: 'Parâmetros', en: 'Parameters' }, kind: 'text', value: (r) => r.parameters.join(' | ') },
    { header: { pt: 'Situação', en: 'Status' }, kind: 'text', value: (r, l) => STATUS_LABELS[r.status][l] },
    { header: { pt: 'Motivo', en: 'Reason' }, kind: 'text', value: (r) => r.reason },
    { header: { pt: 'Enviada em', en: 'Sent at' }, kind: 'time', value: time((r) => r.sentAt) },
    { header: { pt: 'Entregue em', en: 'Delivered at' }, kind: 'time', value: time((r) => r.deliveredAt) },
    { header: { pt: 'Lida em', en: 'Read at' }, kind: 'time', value: time((r) => r.readAt) },
    { header: { pt: 'Respondida em', en: 'Answered at' }, kind: 'time', value: time((r) => r.answeredAt) },
  ];
}

export async function exportRecipients(db: Database, actor: Actor, id: string, q: { status?: RecipientStatus; format: ExportFormat }, lang: ExportLanguage): Promise<OpenedExport> {
  const campaign = await getCampaign(db, actor, id);
  const { timezone } = await getSettings(db);
  const statuses = q.status === 'queued' ? ['queued', 'sending'] : q.status ? [q.status] : null;
  const rows = db.stream<RecipientRow>(
    `SELECT id, line, phone, name, parameters, status, reason, error_code, error_message, sent_at, delivered_at, read_at, answered_at, conversation_id
       FROM campaign_recipients WHERE campaign_id = $1 AND ($2::text[] IS NULL OR status = ANY($2::text[])) ORDER BY line`,
    [id, statuses], { batchSize: 1000 },
  );
  async function* presented() {
    for await (const batch of rows) yield batch.map((r) => presentRecipient(r, lang));
  }
  const slug = campaign.name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60) || 'campanha';
  return openTableExport(db, actor, presented(), {
    columns: columns(timezone, q.format), format: q.format, lang, sheet: { pt: 'Campanha', en: 'Campaign' },
    entity: 'campaign', filters: { campaignId: id, status: q.status ?? null }, fileName: `campanha_${slug}`,
    total: q.status ? campaign.counts[q.status] : campaign.counts.total,
  });
}
