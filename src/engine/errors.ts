import { at, type Noun, type Said } from '../core/said.js';

export type { Noun, Said } from '../core/said.js';
export { at };
export { ACTOR_PT, ROLE_PT, STATE_PT } from '../core/said.js';

/** A domain error with an HTTP status and a stable code; the server turns it into the error body. */
export class AppError extends Error {
  /** the message in Portuguese (`message` is the English one) */
  readonly pt: string;

  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: Said,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message.en);
    this.pt = message.pt;
    this.name = 'AppError';
  }

  /** The message in both languages. */
  get said(): Said {
    return { en: this.message, pt: this.pt };
  }
}

export const notFound = (what: Noun, id?: string) =>
  new AppError(404, 'not_found', {
    en: id ? `${what.en} ${id} not found` : `${what.en} not found`,
    pt: `${what.pt}${id ? ` ${id}` : ''} não encontrad${what.fem ? 'a' : 'o'}`,
  });
export const conflict = (message: Said, extra?: Record<string, unknown>) => new AppError(409, 'conflict', message, extra);
export const forbidden = (message: Said = { en: 'your role may not do this', pt: 'seu perfil não permite esta ação' }) =>
  new AppError(403, 'forbidden', message);
export const badRequest = (message: Said, field?: string) =>
  field ? fieldError(400, 'validation_error', field, message, { field }) : new AppError(400, 'validation_error', message);

/** An error about one field: the message says "field: …" and `issues` names the field, for a form to show it there. */
export const fieldError = (status: AppError['status'], code: string, field: string, message: Said, extra: Record<string, unknown> = {}) =>
  new AppError(status, code, at(field, message), { ...extra, issues: [{ path: field, message }] });

/** Names of things in errors. */
export const NOUNS = {
  service: { en: 'Service', pt: 'Serviço' },
  conversation: { en: 'Conversation', pt: 'Atendimento' },
  attachment: { en: 'Attachment', pt: 'Anexo' },
  alert: { en: 'Alert', pt: 'Alerta' },
  apiService: { en: 'API-channel service', pt: 'Serviço do canal API' },
  webchatService: { en: 'WebChat service', pt: 'Serviço de WebChat' },
  agent: { en: 'Agent', pt: 'Agente' },
  report: { en: 'Report', pt: 'Relatório' },
  reportSchedule: { en: 'Report schedule', pt: 'Agendamento' },
  call: { en: 'Call', pt: 'Chamada' },
} satisfies Record<string, Noun>;

/** Issues as one message, "path: message; path: message", in both languages. */
export const joinIssues = (issues: readonly { path: string; message: Said }[]): Said => ({
  en: issues.map((i) => `${i.path}: ${i.message.en}`).join('; '),
  pt: issues.map((i) => `${i.path}: ${i.message.pt}`).join('; '),
});
