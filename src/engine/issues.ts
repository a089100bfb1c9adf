import { z } from 'zod';
import type { Said } from '../core/said.js';

/** One thing wrong with a request, where it is and what it is, in both languages. */
export interface SaidIssue {
  path: (string | number)[];
  message: Said;
}

const en = z.locales.en().localeError;

/** Our own schema messages (src/contracts) in Portuguese, by their English text. */
const CUSTOM_PT: Record<string, string> = {
  'at most 50 entries': 'no máximo 50 itens',
  'lowercase letters, digits and dashes': 'só letras minúsculas, algarismos e hífens',
  'each field at most once': 'cada campo no máximo uma vez',
  'like pt_BR': 'no formato pt_BR',
  'like +5511999990000': 'no formato +5511999990000',
  'HH:MM': 'no formato HH:MM',
  'at most 200 steps': 'no máximo 200 passos',
  'start must be before end (split a night shift at 24:00)': 'o início deve ser antes do fim (divida um turno da noite às 24:00)',
  'not an IANA time zone, e.g. America/Sao_Paulo': 'não é um fuso horário IANA, por exemplo America/Sao_Paulo',
  'lowMinutes must be below highMinutes': 'lowMinutes deve ser menor que highMinutes',
  'lowercase letters, digits and _, 1 to 40': 'só letras minúsculas, algarismos e _, de 1 a 40',
  'HH:MM from 00:00 to 24:00': 'HH:MM de 00:00 a 24:00',
  'a select field needs at least one option': 'um campo de seleção precisa de pelo menos uma opção',
  'only select fields have options': 'só campos de seleção têm opções',
  'required with from': 'obrigatório quando from é informado',
  'required with to': 'obrigatório quando to é informado',
  'must not be before from': 'não pode ser antes de from',
  'the period spans at most 366 days': 'o período pode ter no máximo 366 dias',
  'only with group': 'só junto com group',
  'not with format: an export has every group': 'não junto com format: uma exportação traz todos os grupos',
  'a conversation state for view=status': 'uma situação de atendimento para view=status',
  'a service id for view=service': 'o id de um serviço para view=service',
  'an agent id or none for view=agent': 'o id de um agente, ou none, para view=agent',
  'a channel for view=channel': 'um canal para view=channel',
  'required with format': 'obrigatório quando format é informado',
  'write a message, attach a file or pick a template': 'escreva uma mensagem, anexe um arquivo ou escolha um template',
  'a template goes alone, without text or files': 'um template vai sozinho, sem texto nem arquivos',
  'one file per message: the desk sends one message per file': 'um arquivo por mensagem: a mesa envia uma mensagem por arquivo',
  'give a contactId or a phone, not both': 'informe um contactId ou um telefone, não os dois',
  'each transition at most once': 'cada transição no máximo uma vez',
};

/** Custom messages built from a value, e.g. `"Sim" appears twice`. */
const CUSTOM_PT_PATTERNS: [RegExp, (...m: string[]) => string][] = [
  [/^"(.*)" appears twice$/s, (_, o) => `"${o}" aparece duas vezes`],
];

const TYPE_PT: Record<string, string> = {
  string: 'um texto', number: 'um número', int: 'um número inteiro', bigint: 'um número inteiro', boolean: 'verdadeiro ou falso',
  array: 'uma lista', object: 'um objeto', record: 'um objeto', date: 'uma data', null: 'nulo', nan: 'um número',
};
const UNIT_PT: Record<string, [string, string]> = {
  string: ['caractere', 'caracteres'], array: ['item', 'itens'], set: ['item', 'itens'], map: ['item', 'itens'], file: ['byte', 'bytes'],
};
const FORMAT_PT: Record<string, string> = {
  email: 'e-mail inválido', url: 'endereço (URL) inválido', uuid: 'identificador (UUID) inválido', guid: 'identificador (UUID) inválido',
  datetime: 'data e hora inválidas (ISO 8601)', date: 'data inválida (AAAA-MM-DD)', time: 'hora inválida (HH:MM)',
  e164: 'telefone inválido (no formato +5511999998888)', ipv4: 'endereço IPv4 inválido', ipv6: 'endereço IPv6 inválido',
  regex: 'formato inválido', jwt: 'token inválido', base64: 'texto em base64 inválido',
};

const shown = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));

/** zod's default message, in Brazilian Portuguese and for people filling a form. */
function portuguese(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'obrigatório' : `deve ser ${TYPE_PT[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const n = Number(issue.minimum);
      const unit = UNIT_PT[issue.origin];
      if (unit) {
        if (n === 1) return issue.origin === 'string' ? 'não pode ficar vazio' : 'informe pelo menos um item';
        return `no mínimo ${n} ${unit[1]}`;
      }
      return issue.inclusive ? `deve ser no mínimo ${n}` : `deve ser maior que ${n}`;
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      const unit = UNIT_PT[issue.origin];
      if (unit) return `no máximo ${n} ${n === 1 ? unit[0] : unit[1]}`;
      return issue.inclusive ? `deve ser no máximo ${n}` : `deve ser menor que ${n}`;
    }
    case 'invalid_format': {
      const f = issue as z.core.$ZodIssueInvalidStringFormat & { prefix?: string; suffix?: string; includes?: string };
      if (f.format === 'starts_with') return `deve começar com "${f.prefix}"`;
      if (f.format === 'ends_with') return `deve terminar com "${f.suffix}"`;
      if (f.format === 'includes') return `deve conter "${f.includes}"`;
      return FORMAT_PT[f.format] ?? `formato inválido (${f.format})`;
    }
    case 'invalid_value':
      return issue.values.length === 1 ? `deve ser ${shown(issue.values[0])}` : `deve ser um destes: ${issue.values.map(shown).join(', ')}`;
    case 'not_multiple_of':
      return `deve ser múltiplo de ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `campo${issue.keys.length > 1 ? 's' : ''} desconhecido${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    case 'invalid_element':
      return 'item inválido';
    case 'invalid_key':
      return 'chave inválida';
    default:
      return 'valor inválido';
  }
}

/** A message of ours (not zod's default) in Portuguese; the English one when we have none. */
export function customPortuguese(message: string): string {
  const known = CUSTOM_PT[message];
  if (known) return known;
  for (const [re, fn] of CUSTOM_PT_PATTERNS) {
    const m = re.exec(message);
    if (m) return fn(...m);
  }
  return message;
}

/**
 * An issue of a failed parse in both languages. English is zod's message as it came ("required" for a
 * missing value); Portuguese is ours: zod's defaults by their code, our schemas' own messages from
 * CUSTOM_PT. Needs the issue's input (parse with `reportInput: true`) to tell a missing value.
 */
export function sayIssue(issue: z.core.$ZodIssue): Said {
  const missing = ['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code) && 'input' in issue && issue.input === undefined;
  if (missing) return { en: 'required', pt: 'obrigatório' };
  const ownMessage = issue.code === 'custom' || issue.message !== en(issue as never);
  return { en: issue.message, pt: ownMessage ? customPortuguese(issue.message) : portuguese(issue) };
}

/** Parses `data`; on failure, every issue in both languages. */
export function check<T>(schema: z.ZodType<T>, data: unknown): { ok: true; value: T } | { ok: false; issues: SaidIssue[] } {
  const r = schema.safeParse(data, { reportInput: true });
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    issues: r.error.issues.flatMap((i): SaidIssue[] => {
      const path = i.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      // one issue per unknown field, at the field
      if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: [...path, k], message: { en: 'unknown field', pt: 'campo desconhecido' } }));
      return [{ path, message: sayIssue(i) }];
    }),
  };
}
