import { describe, expect, it } from 'vitest';
import { gridColumns, layoutRows, sameWindow, tileWindow, totalHeight, TILE_GAP } from './tileWindow';

// rows of 60 px with no badge, 80 with one, 100 with two; 8 px between rows
const HEIGHTS = [60, 80, 100];
const flat = (n: number) => new Array<number>(n).fill(0);

describe('Agentes: windowing of the tile grid', () => {
  it('fits as many tiles across as CSS auto-fill with minmax(170px, 1fr) does', () => {
    expect(gridColumns(0)).toBe(1);
    expect(gridColumns(100)).toBe(1);
    expect(gridColumns(169)).toBe(1);
    expect(gridColumns(170)).toBe(1);
    expect(gridColumns(347)).toBe(1);
    // two tiles and the gap between them
    expect(gridColumns(348)).toBe(2);
    expect(gridColumns(526)).toBe(3);
    expect(gridColumns(Number.NaN)).toBe(1);
  });

  it('makes each row as tall as its tallest tile', () => {
    // 7 tiles 3 across: rows [0,1,0] [0,0,0] [2]
    const rows = layoutRows([0, 1, 0, 0, 0, 0, 2], 3, HEIGHTS);
    expect(rows.shapes).toEqual([1, 0, 2]);
    expect(rows.offsets).toEqual([0, 88, 156, 264]);
    expect(totalHeight(rows)).toBe(264 - TILE_GAP);
    expect(totalHeight(layoutRows([], 3, HEIGHTS))).toBe(0);
  });

  it('takes the estimate for a shape not measured yet, and the tallest known for more badges than known', () => {
    const rows = layoutRows([0, 2, 3], 1, [50]);
    // 2 and 3 badges: no measure, the estimates (62, 82, 102) then the tallest of them
    expect(rows.offsets).toEqual([0, 58, 168, 278]);
  });

  it('mounts the rows on screen and the overscan, padding for the rest', () => {
    // 100 rows of one tile, 68 px apart: the screen shows 1,000..1,500 of the grid
    const rows = layoutRows(flat(100), 1, HEIGHTS);
    const w = tileWindow(rows, 1000, 1500, 200);
    // rows meeting 800..1700: row 11 (748..808) to row 24 (1632..1692)
    expect(w).toMatchObject({ firstRow: 11, lastRow: 25, start: 11, end: 25 });
    expect(w.padTop).toBe(11 * 68);
    // padding + mounted rows + padding = the whole grid
    const mounted = (w.lastRow - w.firstRow) * 68 - TILE_GAP;
    expect(w.padTop + mounted + w.padBottom).toBe(totalHeight(rows));
  });

  it('counts tiles by whole rows, the last row possibly short', () => {
    const rows = layoutRows(flat(10), 3, HEIGHTS);
    const all = tileWindow(rows, 0, 10_000, 0);
    expect(all).toMatchObject({ start: 0, end: 10, firstRow: 0, lastRow: 4, padTop: 0, padBottom: 0 });
    const tail = tileWindow(rows, 140, 10_000, 0);
    expect(tail).toMatchObject({ start: 6, end: 10, padTop: 136, padBottom: 0 });
  });

  it('mounts nothing when the grid is wholly above or below the screen, keeping its height', () => {
    const rows = layoutRows(flat(30), 2, HEIGHTS);
    const total = totalHeight(rows);
    // the grid starts 3,000 px below the top of the screen
    const below = tileWindow(rows, -3000, -2200, 400);
    expect(below).toMatchObject({ start: 0, end: 0 });
    expect(below.padTop + below.padBottom).toBe(total);
    // scrolled far past it
    const above = tileWindow(rows, total + 1000, total + 1800, 400);
    expect(above).toMatchObject({ start: 0, end: 0 });
    expect(above.padTop + above.padBottom).toBe(total);
  });

  it('mounts from the top when the screen starts above the grid', () => {
    const rows = layoutRows(flat(50), 1, HEIGHTS);
    const w = tileWindow(rows, -300, 500, 100);
    expect(w).toMatchObject({ start: 0, firstRow: 0, padTop: 0 });
    // 600 px of grid in view with the overscan: rows 0..8 (row 8 starts at 544)
    expect(w.lastRow).toBe(9);
  });

  it('tells windows apart', () => {
    const rows = layoutRows(flat(50), 1, HEIGHTS);
    expect(sameWindow(tileWindow(rows, 0, 500, 0), tileWindow(rows, 10, 505, 0))).toBe(true);
    expect(sameWindow(tileWindow(rows, 0, 500, 0), tileWindow(rows, 100, 600, 0))).toBe(false);
  });
});
