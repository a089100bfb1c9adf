// One way to write a duration wherever a person reads one (issue 22): m:ss under an hour, h:mm:ss
// from an hour on. A list, a ficha, a tile and the wallboard then agree to the second.

/** 0:45, 12:03, 1:02:33 from milliseconds (negative counts as 0, a fraction of a second is dropped). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** The same from seconds (an average may have a fraction: rounded); no value is "—". */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  return formatDuration(Math.round(seconds) * 1000);
}

/** Whole seconds as HH:MM:SS (hours past 24 keep counting): Relatórios' durations; no value is "—". */
export function formatHms(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}
