// Nova campanha's rules as the screen applies them before asking the server: which services and
// templates it offers, the example CSV a supervisor downloads for the chosen template, what the file
// picker checks; and the progress of a campaign (no IO: unit-tested in Node).
import type { Template } from '../../../contracts/admin';
import type { Campaign, CampaignCounts } from '../../../contracts/campaigns';

/** A service a campaign can go through: an active WhatsApp service with its account (the server's 422 otherwise). */
export function campaignService(s: { channel: string; active: boolean; channelAccountId?: string | null }): boolean {
  return s.active && s.channel === 'whatsapp' && !!s.channelAccountId;
}

/** The templates a campaign through this account can send: active, approved by the provider, submitted through the same account. */
export function sendableTemplates(templates: readonly Template[], channelAccountId: string | null | undefined): Template[] {
  if (!channelAccountId) return [];
  return templates.filter((x) => x.active && x.status === 'APPROVED' && x.channelAccountId === channelAccountId);
}

/** A CSV field quoted when it holds the separator, a quote or a line break. */
const field = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * The example CSV for a template with `count` parameters: the header the server reads
 * (telefone;nome;param1…paramN) and two rows, the parameters filled with the template's own examples
 * (or "exemplo N" where it has none). `;`-separated, as a spreadsheet in pt-BR writes it.
 */
export function exampleCsv(count: number, examples: readonly string[]): string {
  const header = ['telefone', 'nome', ...Array.from({ length: count }, (_, i) => `param${i + 1}`)];
  const params = Array.from({ length: count }, (_, i) => examples[i]?.trim() || `exemplo ${i + 1}`);
  const rows = [
    ['+5511987654321', 'Maria Souza', ...params],
    ['+5521912345678', 'João Lima', ...params],
  ];
  return `${[header, ...rows].map((r) => r.map(field).join(';')).join('\r\n')}\r\n`;
}

/** The data lines of a CSV's text (the header and blank lines not counted). */
export function dataLines(text: string): number {
  let n = 0;
  for (const line of text.split(/\r\n|\n|\r/)) if (line.trim()) n++;
  return Math.max(0, n - 1);
}

/** The largest upload the API takes (CsvUpload.csv: 20,000,000 characters). */
export const MAX_CSV_CHARS = 20_000_000;

/** Whether a picked file can be a CSV (by type or by name: browsers give .csv several types, or none). */
export function looksLikeCsv(file: { name: string; type: string }): boolean {
  return /\.(csv|txt)$/i.test(file.name) || /^text\//.test(file.type) || file.type === 'application/vnd.ms-excel';
}

/** The rows done with, for the progress bar: every row that is no longer waiting in the queue. */
export function processed(c: CampaignCounts): number {
  return Math.max(0, c.total - c.queued);
}

/** The progress as a fraction of the total (0 for an empty campaign). */
export function progressOf(c: CampaignCounts): number {
  return c.total > 0 ? processed(c) / c.total : 0;
}

const FINAL: readonly Campaign['status'][] = ['finished', 'cancelled'];
/** Rows no longer waiting: never fewer in a later view (a row leaves `queued` for good). */
const settled = (c: Campaign) => c.counts.total - c.counts.queued;

/**
 * Whether `next` is older than `known`: an answer and the events race (a short campaign can finish,
 * and its event arrive, before Iniciar's own answer is read), and a view from before must not undo a
 * later one. Finished and cancelled have no way out, and settled rows only grow.
 */
export function isStale(next: Campaign, known: Campaign | undefined): boolean {
  if (!known) return false;
  return (FINAL.includes(known.status) && !FINAL.includes(next.status)) || settled(next) < settled(known);
}
