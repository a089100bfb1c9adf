import type { ConversationView, MessageView } from '../../contracts/conversations.js';
import type { PrechatField, WidgetMessage, WidgetState } from '../../contracts/webchat.js';
import type { AttachmentMeta } from '../../engine/attachments.js';
import type { CallView } from '../../contracts/calls.js';
import { readMessagePayload } from '../../contracts/message-content.js';

// How the widget sees a conversation: its messages without staff-only data, and one state (phase).

export type WidgetLanguage = 'pt-BR' | 'en';

export function widgetMessage(m: MessageView, attachmentUrl: (id: string) => string): WidgetMessage {
  const payload = m.payload ?? {};
  const options = Array.isArray(payload.options) ? (payload.options as { id: string; label: string }[]) : null;
  const files = (m.attachments ?? []) as AttachmentMeta[];
  // an agent's reply carries the quoted text; nothing staff-only (ids, provider ids) goes to the visitor
  const quote = readMessagePayload(payload).replyTo?.text ?? null;
  return {
    id: m.id,
    clientId: typeof payload.clientId === 'string' ? payload.clientId : null,
    from: m.authorType,
    authorName: m.authorType === 'agent' ? m.authorName : null,
    text: m.body,
    options: options?.map((o) => ({ id: o.id, label: o.label })) ?? null,
    attachments: files.length ? files.map((f) => ({ id: f.id, name: f.name, type: f.type, size: f.size, url: attachmentUrl(f.id) })) : null,
    replyTo: quote ? { text: quote } : null,
    call: m.contentType === 'call' && payload.call ? (payload.call as CallView) : null,
    createdAt: m.createdAt,
  };
}

const CLOSING: Record<WidgetLanguage, Record<string, string>> = {
  'pt-BR': {
    completed: 'Atendimento concluído. Seu protocolo é {p}. Obrigado pelo contato!',
    cancelled: 'Atendimento encerrado. Seu protocolo é {p}.',
    abandoned: 'Você saiu da fila. Seu protocolo é {p}.',
    customer_gave_up: 'Atendimento encerrado por falta de resposta. Seu protocolo é {p}.',
    closed_by_customer: 'Você encerrou o atendimento. Seu protocolo é {p}.',
    inactive_in_service: 'Atendimento encerrado por inatividade. Seu protocolo é {p}.',
    connection_lost: 'Atendimento encerrado. Seu protocolo é {p}.',
  },
  en: {
    completed: 'Conversation finished. Your protocol number is {p}. Thank you!',
    cancelled: 'Conversation closed. Your protocol number is {p}.',
    abandoned: 'You left the queue. Your protocol number is {p}.',
    customer_gave_up: 'Conversation closed for lack of reply. Your protocol number is {p}.',
    closed_by_customer: 'You ended the conversation. Your protocol number is {p}.',
    inactive_in_service: 'Conversation closed for inactivity. Your protocol number is {p}.',
    connection_lost: 'Conversation closed. Your protocol number is {p}.',
  },
};

export interface StateContext {
  prechat: PrechatField[];
  language: WidgetLanguage;
  /** for a queued conversation: its place in line (1 = next) and the service's TME today */
  position(c: ConversationView): number;
  estimatedWaitSeconds(c: ConversationView): number | null;
  agentName(agentId: string): string;
}

/** The phase the widget shows for the visitor's current conversation (none: the pre-chat form or idle). */
export function widgetState(c: ConversationView | null, ctx: StateContext): WidgetState {
  if (!c) return ctx.prechat.length ? { phase: 'prechat', fields: ctx.prechat } : { phase: 'idle' };
  switch (c.state) {
    case 'bot':
      return { phase: 'bot', protocol: c.protocol };
    case 'triage':
    case 'queued':
      return { phase: 'queued', protocol: c.protocol, position: ctx.position(c), estimatedWaitSeconds: ctx.estimatedWaitSeconds(c) };
    case 'in_service':
      return { phase: 'in_service', protocol: c.protocol, agentName: c.agentId ? ctx.agentName(c.agentId) : '' };
    default: {
      if (c.wrapup?.leftMessage === true) return { phase: 'left_message', protocol: c.protocol };
      const key = c.state === 'customer_gave_up' && c.finishedBy === 'customer' ? 'closed_by_customer' : c.state;
      const text = CLOSING[ctx.language][key] ?? CLOSING[ctx.language].cancelled;
      return { phase: 'closed', protocol: c.protocol, reason: c.state, message: text.replace('{p}', c.protocol) };
    }
  }
}
