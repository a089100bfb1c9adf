import PDFDocument from 'pdfkit';
import type { Readable } from 'node:stream';

// Any table as a PDF: A4 landscape, a title and lines under it (period, filters, when), the header
// repeated on every page, numbers right-aligned, a bold totals row, "Página n de N" at the foot.
// Cells arrive as text already written for the reader (numbers, durations, dates): this module only
// lays them out. pdfkit's standard fonts (Helvetica) encode WinAnsi, which holds Portuguese.

export interface PdfColumn {
  header: string;
  align: 'left' | 'right';
}

export interface PdfTable {
  title: string;
  /** lines under the title: company, period, filters, generated at */
  lines: string[];
  columns: PdfColumn[];
  rows: string[][];
  /** the totals row, drawn bold after the rows */
  total?: string[] | null;
  /** the foot of each page, e.g. (1, 3) → "Página 1 de 3" */
  pageLabel(page: number, pages: number): string;
  /** called once the file is written (to audit it) */
  onEnd?(): void;
}

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const SIZE = 8;
const PAD = 3;
const MARGIN = 36;
const FOOT = 18;

// WinAnsi (cp1252) beyond Latin-1: what the standard fonts can draw besides U+0020–U+007E and U+00A0–U+00FF
const CP1252 = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Text the standard fonts can encode: a minus sign as a hyphen, anything else outside WinAnsi as '?'. */
export function winAnsi(text: string): string {
  return [...text.replace(/\u2212/g, '-')].map((ch) => {
    const c = ch.codePointAt(0)!;
    return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || CP1252.has(ch) ? ch : '?';
  }).join('');
}

/**
 * Column widths over the page's width: each column's natural width (its widest cell, or its header's
 * longest word, since headers may wrap), spread to fill the page, or shrunk alike when too wide.
 */
function widths(doc: PDFKit.PDFDocument, t: PdfTable, room: number): number[] {
  const measure = (text: string, font: string) => doc.font(font).fontSize(SIZE).widthOfString(winAnsi(text));
  const natural = t.columns.map((c, i) => {
    const header = Math.max(...c.header.split(/\s+/).map((w) => measure(w, BOLD)));
    const cells = [...t.rows.map((r) => measure(r[i] ?? '', FONT)), t.total ? measure(t.total[i] ?? '', BOLD) : 0];
    return Math.max(header, ...cells, 12) + 2 * PAD + 1;
  });
  const sum = natural.reduce((a, w) => a + w, 0);
  return natural.map((w) => (w / sum) * room);
}

/** The PDF, as a stream of its bytes. */
export function pdfTable(t: PdfTable): Readable {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: MARGIN, bufferPages: true, info: { Title: winAnsi(t.title) } });
  const left = MARGIN;
  const room = doc.page.width - 2 * MARGIN;
  const cols = widths(doc, t, room);
  const bottom = () => doc.page.height - MARGIN - FOOT;

  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(SIZE);
    return Math.max(...cells.map((c, i) => doc.heightOfString(winAnsi(c || ' '), { width: cols[i] - 2 * PAD }))) + 2 * PAD;
  };
  const drawRow = (cells: string[], font: string, y: number, h: number) => {
    doc.font(font).fontSize(SIZE);
    let x = left;
    cells.forEach((c, i) => {
      doc.text(winAnsi(c ?? ''), x + PAD, y + PAD, { width: cols[i] - 2 * PAD, align: t.columns[i].align, lineBreak: true });
      x += cols[i];
    });
    doc.moveTo(left, y + h).lineTo(left + room, y + h).lineWidth(0.3).strokeColor('#999999').stroke();
  };
  const header = t.columns.map((c) => c.header);
  const headerHeight = rowHeight(header, BOLD);
  const drawHeader = (y: number) => {
    doc.rect(left, y, room, headerHeight).fill('#e8ecef');
    doc.fillColor('#000000');
    drawRow(header, BOLD, y, headerHeight);
    return y + headerHeight;
  };

  doc.font(BOLD).fontSize(14).text(winAnsi(t.title), left, MARGIN, { width: room });
  doc.font(FONT).fontSize(9);
  for (const line of t.lines) doc.text(winAnsi(line), { width: room });
  let y = drawHeader(doc.y + 8);
  const body: [string[], string][] = [...t.rows.map((r): [string[], string] => [r, FONT]), ...(t.total ? [[t.total, BOLD] as [string[], string]] : [])];
  for (const [cells, font] of body) {
    const h = rowHeight(cells, font);
    if (y + h > bottom()) {
      doc.addPage();
      y = drawHeader(MARGIN);
    }
    drawRow(cells, font, y, h);
    y += h;
  }

  // the foot of every page, once their number is known (the bottom margin lifted so no page is added)
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    doc.font(FONT).fontSize(8).fillColor('#000000')
      .text(winAnsi(t.pageLabel(i - start + 1, count)), left, doc.page.height - MARGIN, { width: room, align: 'right', lineBreak: false });
  }
  if (t.onEnd) doc.on('end', t.onEnd);
  doc.end();
  return doc as unknown as Readable;
}
