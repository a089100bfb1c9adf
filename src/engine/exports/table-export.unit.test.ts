import { parseString } from '@fast-csv/parse';
import { describe, expect, it } from 'vitest';
import { inBatches, tableBody, type ExportColumn, type ExportLanguage } from './table-export.js';

// The CSV is written by hand (csvBody); these fix its bytes for a dataset with every case that
// needs quoting, against literal text, and read them back with a CSV parser (fast-csv's): every
// field comes back as written, a formula-looking text with its apostrophe.

interface Row { name: string | null; note: string | null; share: number | null; secs: number | null; at: string | null; n: number | null }

const COLUMNS: ExportColumn<Row>[] = [
  { header: { pt: 'Nome', en: 'Name' }, kind: 'text', value: (r) => r.name },
  { header: { pt: 'Obs; "livre"', en: 'Note' }, kind: 'text', value: (r) => r.note },
  { header: { pt: 'Taxa (%)', en: 'Rate (%)' }, kind: 'number', value: (r) => r.share },
  { header: { pt: 'T.Atend', en: 'Handle time' }, kind: 'duration', value: (r) => r.secs },
  { header: { pt: 'Data/Hora', en: 'Date/time' }, kind: 'time', value: (r) => r.at },
  { header: { pt: 'Qtd', en: 'Count' }, kind: 'text', value: (r) => r.n },
];

const ROWS: Row[] = [
  { name: 'Ana Souza', note: 'simples', share: 66.67, secs: 3725, at: '31/12/2024 23:59:00', n: 7 },
  { name: 'João; Maria', note: 'disse "oi"', share: 0.5, secs: 0, at: null, n: 0 },
  { name: 'linha\nnova', note: 'volta\rde carro', share: -1.25, secs: 90061.9, at: '01/01/2025 00:00:00', n: -3 },
  { name: '', note: null, share: null, secs: null, at: '', n: null },
  { name: 'fim\r', note: '"', share: 12, secs: 59, at: '2024-12-31 23:59:00', n: 1.5 },
  { name: 'duas\r\nlinhas', note: 'x', share: 1, secs: 1, at: '', n: 1 },
  { name: ' espaços ', note: '=1+1', share: 100, secs: 86400, at: null, n: 42 },
];

async function csv(rows: Row[], lang: ExportLanguage, batch: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of tableBody(inBatches(rows, batch), { columns: COLUMNS, format: 'csv', lang, sheet: { pt: 'x', en: 'x' } })) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The CSV read back by an independent parser: its records, as strings. */
function parsed(buf: Buffer): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString(buf.toString('utf8').replace(/^\uFEFF/, ''), { delimiter: ';' })
      .on('data', (r: string[]) => rows.push(r))
      .on('error', reject)
      .on('end', () => resolve(rows));
  });
}

describe('CSV export bytes', () => {
  it('pt-BR: BOM, `;`, CRLF, quotes only where needed, decimal comma, HH:MM:SS', async () => {
    const expected = [
      '\uFEFFNome;"Obs; ""livre""";Taxa (%);T.Atend;Data/Hora;Qtd',
      'Ana Souza;simples;66,67;01:02:05;31/12/2024 23:59:00;7',
      '"João; Maria";"disse ""oi""";0,5;00:00:00;;0',
      // a lone LF or CR is quoted too (a bare one split the row in Excel)
      '"linha\nnova";"volta\rde carro";-1,25;25:01:01;01/01/2025 00:00:00;-3',
      ';;;;;',
      '"fim\r";"""";12;00:00:59;2024-12-31 23:59:00;1.5',
      '"duas\r\nlinhas";x;1;00:00:01;;1',
      // text a spreadsheet would run as a formula goes with an apostrophe (CSV injection)
      " espaços ;'=1+1;100;24:00:00;;42",
      '',
    ].join('\r\n');
    for (const batch of [1, 2, 100]) {
      const got = await csv(ROWS, 'pt', batch);
      expect(got.toString('utf8')).toBe(expected);
    }
    const back = await parsed(await csv(ROWS, 'pt', 3));
    expect(back).toEqual([
      ['Nome', 'Obs; "livre"', 'Taxa (%)', 'T.Atend', 'Data/Hora', 'Qtd'],
      ['Ana Souza', 'simples', '66,67', '01:02:05', '31/12/2024 23:59:00', '7'],
      ['João; Maria', 'disse "oi"', '0,5', '00:00:00', '', '0'],
      ['linha\nnova', 'volta\rde carro', '-1,25', '25:01:01', '01/01/2025 00:00:00', '-3'],
      ['', '', '', '', '', ''],
      ['fim\r', '"', '12', '00:00:59', '2024-12-31 23:59:00', '1.5'],
      ['duas\r\nlinhas', 'x', '1', '00:00:01', '', '1'],
      [' espaços ', "'=1+1", '100', '24:00:00', '', '42'],
    ]);
  });

  it('English: decimal point', async () => {
    const got = await csv(ROWS, 'en', 4);
    expect(got.toString('utf8').split('\r\n')[1]).toBe('Ana Souza;simples;66.67;01:02:05;31/12/2024 23:59:00;7');
    expect((await parsed(got))[3]).toEqual(['linha\nnova', 'volta\rde carro', '-1.25', '25:01:01', '01/01/2025 00:00:00', '-3']);
  });

  it('no rows: the header alone', async () => {
    const got = await csv([], 'pt', 10);
    expect(got.toString('utf8')).toBe('\uFEFFNome;"Obs; ""livre""";Taxa (%);T.Atend;Data/Hora;Qtd\r\n');
  });
});
