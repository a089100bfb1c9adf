import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import { ESTIMATED_ROW_HEIGHTS, gridColumns, layoutRows, sameWindow, tileWindow, type TileWindow } from './tileWindow';

/**
 * Windowing for a grid of tiles in the page's scroll: which of `shapes.length` tiles to mount
 * (those within the screen and an overscan), the grid's column count and the padding that stands
 * for the rest. `shapes[i]` says how tall tile i is (its number of badge lines); rows are measured
 * as they show, so the padding stays true. The page scrolls, not the grid: its position on
 * screen is read after each repaint, on scroll and on resize, once per animation frame.
 */
export function useTileWindow(shapes: readonly number[]) {
  const ref = useRef<HTMLDivElement>(null);
  const [cols, setCols] = useState(1);
  const [heights, setHeights] = useState<readonly number[]>(ESTIMATED_ROW_HEIGHTS);
  // the visible stretch of the grid in its own coordinates (0 = its top edge)
  const view = useRef({ top: 0, bottom: typeof window === 'undefined' ? 1000 : window.innerHeight });
  const [, rerender] = useReducer((n: number) => n + 1, 0);

  const rows = useMemo(() => layoutRows(shapes, cols, heights), [shapes, cols, heights]);
  const win = tileWindow(rows, view.current.top, view.current.bottom);
  const shown = useRef({ rows, win, heights });
  useLayoutEffect(() => {
    shown.current = { rows, win, heights };
  });

  /** Reads where the grid is and how tall its mounted rows are; re-renders only if the window moves. */
  const check = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const { rows, win, heights } = shown.current;
    const rect = el.getBoundingClientRect();
    view.current = { top: -rect.top, bottom: window.innerHeight - rect.top };
    const nextCols = gridColumns(el.clientWidth);
    // a mounted row's first tile is as tall as its row (grid items stretch); fractions count, as a
    // rounded height's error would add up over hundreds of rows of padding
    const seen = new Map<number, { max: number; known: boolean }>();
    for (let r = win.firstRow; r < win.lastRow; r++) {
      const h = el.children[(r - win.firstRow) * rows.cols]?.getBoundingClientRect().height;
      if (!h) continue;
      const s = seen.get(rows.shapes[r]) ?? { max: 0, known: false };
      seen.set(rows.shapes[r], { max: Math.max(s.max, h), known: s.known || Math.abs((heights[rows.shapes[r]] ?? 0) - h) < 0.01 });
    }
    // a height some mounted row still has stays (rows of one shape that differ must not make it flip)
    let measured = heights;
    for (const [shape, { max, known }] of seen) {
      if (known) continue;
      if (measured === heights) measured = [...heights];
      (measured as number[])[shape] = max;
    }
    if (nextCols !== rows.cols) setCols(nextCols);
    if (measured !== heights) setHeights(measured);
    if (nextCols === rows.cols && measured === heights && !sameWindow(tileWindow(rows, view.current.top, view.current.bottom), win)) rerender();
  }, []);

  const frame = useRef(0);
  const schedule = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      check();
    });
  }, [check]);

  // mounted: measure before the first paint, then follow scrolls and resizes
  useLayoutEffect(() => {
    check();
    const el = ref.current;
    // capture: a scroll of any ancestor, not only of the page
    window.addEventListener('scroll', schedule, { capture: true, passive: true });
    window.addEventListener('resize', schedule, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(schedule);
    if (el && observer) observer.observe(el);
    return () => {
      window.removeEventListener('scroll', schedule, { capture: true });
      window.removeEventListener('resize', schedule);
      observer?.disconnect();
      if (frame.current) cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, [check, schedule]);

  // after every repaint of the list: what is above may have grown, new rows may need measuring
  useEffect(() => {
    schedule();
  });

  const out: { ref: typeof ref; cols: number; win: TileWindow } = { ref, cols, win };
  return out;
}
