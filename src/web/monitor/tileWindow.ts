// Windowing of the Agentes tab: of a column's thousands of tiles, only the rows near the screen are
// mounted; the rows above and below are padding of the height they would take. Pure arithmetic,
// no DOM: the hook in useTileWindow.ts reads the sizes and the scroll position and calls these.

/** Tiles are at least this wide; the grid fits as many as it can per row (CSS auto-fill). */
export const TILE_MIN_WIDTH = 170;
/** The gap between tiles, across and down (monitor.module.css .tiles). */
export const TILE_GAP = 8;
/** Rows mounted beyond the screen, above and below, in CSS pixels: quick scrolls and Tab find tiles there. */
export const OVERSCAN_PX = 480;
/**
 * A row's height before it is measured, by its tallest tile's badges (none, one, two). Measured
 * heights replace these as soon as such a row is on screen.
 */
export const ESTIMATED_ROW_HEIGHTS: readonly number[] = [62, 82, 102];

/** How many tiles fit across a grid `width` wide, as `repeat(auto-fill, minmax(min, 1fr))` lays them out. */
export function gridColumns(width: number, min = TILE_MIN_WIDTH, gap = TILE_GAP): number {
  if (!(width > 0)) return 1;
  return Math.max(1, Math.floor((width + gap) / (min + gap)));
}

/** The rows of a grid: `offsets[r]` is where row r starts (the last entry: past the end, gap included). */
export interface Rows {
  cols: number;
  count: number;
  offsets: number[];
  /** the tallest shape of each row (the number of badges of its tallest tile) */
  shapes: number[];
}

/** A row's height by its shape: as measured, else as estimated (more badges than estimated: the tallest estimate). */
const heightOf = (heights: readonly number[], shape: number) =>
  heights[shape] ?? ESTIMATED_ROW_HEIGHTS[Math.min(shape, ESTIMATED_ROW_HEIGHTS.length - 1)];

/** Lays out tiles of the given shapes `cols` to a row: each row as tall as its tallest tile. */
export function layoutRows(shapes: readonly number[], cols: number, heights: readonly number[], gap = TILE_GAP): Rows {
  const n = Math.ceil(shapes.length / cols);
  const offsets = new Array<number>(n + 1);
  const rowShapes = new Array<number>(n);
  offsets[0] = 0;
  for (let r = 0; r < n; r++) {
    let shape = 0;
    for (let i = r * cols, end = Math.min(shapes.length, i + cols); i < end; i++) if (shapes[i] > shape) shape = shapes[i];
    rowShapes[r] = shape;
    offsets[r + 1] = offsets[r] + heightOf(heights, shape) + gap;
  }
  return { cols, count: shapes.length, offsets, shapes: rowShapes };
}

/** The grid's whole height: every row and the gaps between them. */
export const totalHeight = (rows: Rows) => (rows.offsets.length > 1 ? rows.offsets[rows.offsets.length - 1] - TILE_GAP : 0);

/** The first row whose bottom edge is below `y` (binary search over the offsets). */
function firstRowEndingAfter(offsets: number[], y: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1] > y) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Which tiles to mount: [start, end) of the list, rows [firstRow, lastRow), and the padding that stands for the rest. */
export interface TileWindow {
  start: number;
  end: number;
  firstRow: number;
  lastRow: number;
  padTop: number;
  padBottom: number;
}

/**
 * The rows that meet the visible stretch [top, bottom) of the grid (in the grid's own coordinates:
 * 0 is its top edge), widened by `overscan` on each side.
 */
export function tileWindow(rows: Rows, top: number, bottom: number, overscan = OVERSCAN_PX): TileWindow {
  const n = rows.offsets.length - 1;
  const total = totalHeight(rows);
  const from = Math.max(0, top - overscan);
  const to = Math.min(total, bottom + overscan);
  if (n === 0 || to <= from) {
    // the grid is wholly off screen: nothing mounted, the padding holds its place
    return { start: 0, end: 0, firstRow: 0, lastRow: 0, padTop: total, padBottom: 0 };
  }
  const firstRow = firstRowEndingAfter(rows.offsets, from);
  let lastRow = firstRow;
  while (lastRow < n && rows.offsets[lastRow] < to) lastRow++;
  return {
    start: firstRow * rows.cols,
    end: Math.min(rows.count, lastRow * rows.cols),
    firstRow,
    lastRow,
    padTop: rows.offsets[firstRow],
    padBottom: rows.offsets[n] - rows.offsets[lastRow],
  };
}

export const sameWindow = (a: TileWindow, b: TileWindow) =>
  a.start === b.start && a.end === b.end && a.padTop === b.padTop && a.padBottom === b.padBottom;
