import { parseString } from '@fast-csv/parse';
import { parsePhone } from '../../shared/fields.js';
import { canonicalPhone } from '../../shared/phone.js';
import { AppError, fieldError } from '../errors.js';

// A campaign's CSV (contracts/campaigns.ts CsvUpload): a header line, then one contact a line.
// Columns `telefone`/`phone`, optional `nome`/`name`, `param1`…`paramN` (or `{{1}}`…); `;` or `,`
// (whichever the header uses more), UTF-8 with or without BOM. A record's `line` counts the header as
// line 1 (a quoted value with a line break inside stays one record, one line number).

export const MAX_CAMPAIGN_ROWS = 100_000;

export interface CsvContact {
  line: number;
  /** the cell as written */
  phoneText: string;
  name: string | null;
  /** param1…paramN, trimmed ('' when the cell is empty or missing) */
  parameters: string[];
  /** more cells than the header has */
  extraCells: boolean;
}

const norm = (s: string) => s.trim().toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
const PHONE_HEADERS = new Set(['telefone', 'phone', 'celular', 'whatsapp', 'numero']);
const NAME_HEADERS = new Set(['nome', 'name']);
/** `param1`, `parametro1`, `{{1}}` → 1 */
const paramIndex = (h: string) => {
  const m = /^(?:param|parametro|parameter)\s*(\d+)$/.exec(h) ?? /^\{\{\s*(\d+)\s*\}\}$/.exec(h);
  return m ? Number(m[1]) : null;
};

/** `;` or `,`: the one the header line holds more of (Brazilian Excel writes `;`). */
export function detectDelimiter(text: string): ';' | ',' {
  const end = text.indexOf('\n');
  const header = end < 0 ? text : text.slice(0, end);
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

async function records(text: string, delimiter: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const out: string[][] = [];
    parseString<string[], string[]>(text, { delimiter, ignoreEmpty: false, trim: false })
      .on('error', reject)
      .on('data', (row: string[]) => {
        out.push(row);
        // one past the limit is enough to refuse it
        if (out.length > MAX_CAMPAIGN_ROWS + 1) reject(tooMany());
      })
      .on('end', () => resolve(out));
  });
}

const tooMany = () =>
  fieldError(413, 'too_many_rows', 'csv', { en: `at most ${MAX_CAMPAIGN_ROWS.toLocaleString('en')} contacts per campaign`, pt: `no máximo ${MAX_CAMPAIGN_ROWS.toLocaleString('pt-BR')} contatos por campanha` });

/**
 * The contacts of the CSV, in order, with their line numbers. 400 (field `csv`) for a file without
 * the phone column or without a column the template's `parameterCount` needs; 413 past 100,000 rows.
 */
export async function parseCampaignCsv(csv: string, parameterCount: number): Promise<CsvContact[]> {
  const text = csv.replace(/^\uFEFF/, '');
  let rows: string[][];
  try {
    rows = await records(text, detectDelimiter(text));
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw fieldError(400, 'validation_error', 'csv', { en: `not a CSV file: ${(e as Error).message}`, pt: `não é um arquivo CSV: ${(e as Error).message}` });
  }
  const header = (rows[0] ?? []).map(norm);
  const phoneCol = header.findIndex((h) => PHONE_HEADERS.has(h));
  if (phoneCol < 0) {
    throw fieldError(400, 'validation_error', 'csv', { en: 'the first line must name the columns, one of them telefone (or phone)', pt: 'a primeira linha deve nomear as colunas, uma delas telefone (ou phone)' });
  }
  const nameCol = header.findIndex((h) => NAME_HEADERS.has(h));
  const paramCols: number[] = [];
  for (let n = 1; n <= parameterCount; n++) {
    const col = header.findIndex((h) => paramIndex(h) === n);
    if (col < 0) {
      throw fieldError(400, 'validation_error', 'csv', {
        en: `the template has ${parameterCount} parameter(s): the header lacks the column param${n}`,
        pt: `o template tem ${parameterCount} parâmetro(s): falta no cabeçalho a coluna param${n}`,
      });
    }
    paramCols.push(col);
  }
  const body = rows.slice(1);
  if (body.length > MAX_CAMPAIGN_ROWS) throw tooMany();
  const out: CsvContact[] = [];
  body.forEach((cells, i) => {
    // a blank line (nothing in any cell) is not a contact; it keeps its line number
    if (cells.every((c) => c.trim() === '')) return;
    out.push({
      line: i + 2,
      phoneText: (cells[phoneCol] ?? '').trim(),
      name: nameCol >= 0 ? (cells[nameCol] ?? '').trim() || null : null,
      parameters: paramCols.map((c) => (cells[c] ?? '').trim()),
      extraCells: cells.length > header.length && cells.slice(header.length).some((c) => c.trim() !== ''),
    });
  });
  return out;
}

/**
 * A CSV phone as the contacts keep it (E.164), by the shared validators: a Brazilian number in any
 * usual spelling (with or without +55, the leading 0, the ninth digit), or another country's with
 * its +; null when it is neither.
 */
export function campaignPhone(text: string): string | null {
  const br = parsePhone(text);
  if (br.ok) return br.value;
  // a Brazilian mobile written without its ninth digit, or another country's number with its +
  const digits = text.replace(/\D/g, '');
  return text.trim().startsWith('+') || /^55\d{10,11}$/.test(digits) ? canonicalPhone(text) : null;
}
