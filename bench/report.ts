/** Every benchmark prints one JSON line per result (issue 3's format). */
export function emit(result: Record<string, unknown>): void {
  console.log(JSON.stringify(result));
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
