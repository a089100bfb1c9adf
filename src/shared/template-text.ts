// An approved template's text: its {{1}}, {{2}}… parameters, counted and filled the same way by the
// engine (the stored message's text) and the desk (the picker's preview).

const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;

/** How many parameters a template's body asks for: its highest {{n}}. */
export function templateParameterCount(body: string): number {
  let max = 0;
  for (const m of body.matchAll(PLACEHOLDER)) max = Math.max(max, Number(m[1]));
  return max;
}

/** The body with each {{n}} replaced by the n-th parameter (a missing one stays as {{n}}). */
export function fillTemplate(body: string, parameters: readonly string[]): string {
  return body.replace(PLACEHOLDER, (whole, n: string) => parameters[Number(n) - 1] || whole);
}
