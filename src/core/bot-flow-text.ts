// Text in bot flows: `{{…}}` placeholders, how a menu renders on text-only channels, and how a typed
// answer is matched to a menu option (number, label or keyword; case, accents and spaces ignored).

import type { MenuOption } from './bot-flow.js';

/** One message the bot sends. `options` is set for menus, so WebChat can draw buttons. */
export interface BotOutput {
  readonly text: string;
  readonly options?: readonly { readonly id: string; readonly label: string }[];
}

/** `buttons`: the channel draws the options itself; `numbered`: they become "1 - Financeiro" lines. */
export type RenderMode = 'numbered' | 'buttons';

export function renderText(output: BotOutput, mode: RenderMode = 'numbered'): string {
  if (mode === 'buttons' || !output.options || output.options.length === 0) return output.text;
  const lines = output.options.map((o, i) => `${i + 1} - ${o.label}`);
  return `${output.text}\n${lines.join('\n')}`;
}

// ---- Placeholders ---------------------------------------------------------------------------------

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
export const FIELD_PLACEHOLDER_PREFIX = 'field.';

/** The names used in `text`, e.g. `['protocol', 'field.cpf']`. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

export interface PlaceholderValues {
  readonly protocol: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** Unknown names and fields not collected yet become empty: a literal `{{…}}` would look broken to the
 * customer, and validateFlow already reports names no question can fill. */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    if (name === 'protocol') return values.protocol;
    if (!name.startsWith(FIELD_PLACEHOLDER_PREFIX)) return '';
    const key = name.slice(FIELD_PLACEHOLDER_PREFIX.length);
    return Object.hasOwn(values.fields, key) ? values.fields[key] : '';
  });
}

// ---- Matching typed answers to menu options -------------------------------------------------------

/** Lower case, no accents, punctuation as spaces, trimmed: "Horário  de atendimento!" → "horario de atendimento". */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function wordsOf(option: MenuOption): string[] {
  return [option.label, ...(option.keywords ?? [])].map(normalizeForMatch).filter((w) => w !== '');
}

/**
 * The option a typed answer picks, or null. In order: the option's number ("2"); the whole answer equal
 * to a label or keyword; then a label or keyword found as whole words inside a longer answer ("quero a
 * segunda via do boleto"), only if exactly one option is found that way.
 */
export function matchOption(options: readonly MenuOption[], text: string): MenuOption | null {
  const answer = normalizeForMatch(text);
  if (answer === '') return null;
  if (/^\d+$/.test(answer)) {
    const byNumber = options[Number(answer) - 1];
    if (byNumber) return byNumber;
  }
  const exact = options.find((o) => wordsOf(o).includes(answer));
  if (exact) return exact;
  const padded = ` ${answer} `;
  const inside = options.filter((o) => wordsOf(o).some((w) => padded.includes(` ${w} `)));
  return inside.length === 1 ? inside[0] : null;
}
