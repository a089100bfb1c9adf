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

/** WhatsApp's limits on a template's components (Meta's message-template guidelines). */
export const TEMPLATE_LIMITS = { providerName: 512, header: 60, body: 1024, footer: 60, buttons: 10, buttonText: 25, urlButtons: 2, phoneButtons: 1, url: 2000, phone: 20 } as const;

/** A provider template's name: WhatsApp takes lowercase letters, digits and underscores only. */
export const PROVIDER_TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;

/** One problem of a template's components, named by its field, in both languages. */
export interface TemplateProblem {
  field: string;
  message: { en: string; pt: string };
}

/**
 * What the provider would refuse in a WhatsApp template, checked before submitting: the name's
 * characters, parameters {{1}}…{{n}} without gaps, an example for each, a header without parameters.
 * Shared by the engine (400 naming the field) and the admin form (shown as the user types).
 */
export function whatsappTemplateProblems(t: { providerTemplate: string | null; body: string; header: string | null; examples: readonly string[]; providerCategory: string | null; buttons: readonly { type: string }[] }): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  if (!t.providerTemplate || !PROVIDER_TEMPLATE_NAME.test(t.providerTemplate)) {
    out.push({ field: 'providerTemplate', message: { en: 'the provider name takes lowercase letters, digits and underscores only (e.g. boleto_atualizado)', pt: 'o nome no provedor aceita só letras minúsculas, dígitos e sublinhado (ex.: boleto_atualizado)' } });
  }
  if (!t.providerCategory) out.push({ field: 'providerCategory', message: { en: 'choose the provider category: Marketing, Utility or Authentication', pt: 'escolha a categoria do provedor: Marketing, Utilidade ou Autenticação' } });
  if (t.body.length > 1024) out.push({ field: 'body', message: { en: 'at most 1024 characters on WhatsApp', pt: 'no máximo 1024 caracteres no WhatsApp' } });
  const numbers = [...new Set([...t.body.matchAll(PLACEHOLDER)].map((m) => Number(m[1])))].sort((a, b) => a - b);
  const gap = numbers.findIndex((n, i) => n !== i + 1);
  if (gap >= 0) {
    out.push({ field: 'body', message: { en: `parameters are numbered {{1}}, {{2}}… without gaps: {{${gap + 1}}} is missing`, pt: `os parâmetros são numerados {{1}}, {{2}}… sem lacunas: falta {{${gap + 1}}}` } });
  }
  if (t.examples.length !== numbers.length) {
    out.push({ field: 'examples', message: { en: `one example per parameter: ${numbers.length} expected, ${t.examples.length} given`, pt: `um exemplo por parâmetro: ${numbers.length} esperado(s), ${t.examples.length} informado(s)` } });
  }
  const count = (type: string) => t.buttons.filter((b) => b.type === type).length;
  if (count('URL') > 2 || count('PHONE_NUMBER') > 1) {
    out.push({ field: 'buttons', message: { en: 'at most 2 URL buttons and 1 phone button', pt: 'no máximo 2 botões de URL e 1 de telefone' } });
  }
  if (t.header && /\{\{/.test(t.header)) out.push({ field: 'header', message: { en: 'the header is plain text, without parameters', pt: 'o cabeçalho é texto simples, sem parâmetros' } });
  return out;
}
