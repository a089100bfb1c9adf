import { readFileSync } from 'node:fs';
import { parseString } from '@fast-csv/parse';

// The exports' CSV read back by a real parser (`;`-separated, quoted fields, CRLF), as Excel would.

/** The CSV text as its rows (the BOM, if any, is the caller's to check and strip). */
export function parseCsv(text: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const out: string[][] = [];
    parseString(text, { delimiter: ';' })
      .on('data', (r: string[]) => out.push(r))
      .on('error', reject)
      .on('end', () => resolve(out));
  });
}

/** A downloaded CSV file (it must start with the BOM Brazilian Excel needs) as its rows. */
export async function csvTable(path: string): Promise<string[][]> {
  const text = readFileSync(path, 'utf8');
  if (text.charCodeAt(0) !== 0xfeff) throw new Error('no BOM');
  return parseCsv(text.slice(1));
}

/** Seconds as the exports write durations (HH:MM:SS), computed here independently of the server's. */
export const hms = (s: number) => [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
