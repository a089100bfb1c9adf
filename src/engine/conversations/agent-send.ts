import { capabilitiesOf, conversationWindowClosed, type MediaKind } from '../../contracts/channel-capabilities.js';
import type { ConversationView, MessageView } from '../../contracts/conversations.js';
import type { Actor } from '../actor.js';
import { policyOf } from '../access.js';
import { linkAttachments, storeAttachment, type AttachmentMeta } from '../attachments.js';
import type { Engine, UnitOfWork } from '../engine.js';
import type { Queryable } from '../../db/database.js';
import { AppError, at, fieldError, forbidden, notFound, NOUNS, STATE_PT } from '../errors.js';
import { REPLY_QUOTE_CHARS } from '../../contracts/message-content.js';
import { addMessage, emitConversation, lockConversation } from './lifecycle.js';
import { loadConversation } from './present.js';
import { fillTemplate } from '../../shared/template-text.js';
import { checkedParameters, loadSendableTemplate, templateMessage } from './template-message.js';
import { resolveAgentEmail, type AgentEmailInput } from './agent-email.js';

// What an agent sends to the customer: text, one file (with the text as its caption), or an approved
// template. One file per message, because most channels carry one file per provider message with
// one caption: the desk sends one message per file, the text with the first (docs/ARCHITECTURE.md).
// On a channel with a customer-service window, free text and files are refused once it is closed.

export interface AgentMessageInput {
  text?: string;
  /** at most one file uploaded by this agent in this conversation (POST /api/conversations/:id/attachments) */
  attachmentIds?: string[];
  /** an approved template (templates.provider_template) with its {{n}} parameters, in order */
  template?: { id: string; parameters: string[] };
  /** e-mail conversations: reply, reply-all or forward, and its recipients and subject (agent-email.ts) */
  email?: AgentEmailInput;
  /** a message of this conversation this one answers (the desk's "Responder") */
  replyToMessageId?: number;
}

function assertInService(c: ConversationView): void {
  if (c.state !== 'in_service') {
    throw new AppError(409, 'conversation_not_in_service', { en: `conversation is ${c.state}, not in service`, pt: `o atendimento está ${STATE_PT[c.state]}, não em andamento` }, { currentState: c.state });
  }
}

/** Only the conversation's own agent writes in it (a supervisor who sees it may not); outside the actor's scope: 404. */
async function assertAgentOf(q: Queryable, actor: Actor, c: ConversationView): Promise<void> {
  if ((await policyOf(actor).conversationRole(q, c)) !== 'agent') throw forbidden({ en: 'only the conversation’s agent writes to the customer', pt: 'só o agente do atendimento escreve para o cliente' });
  assertInService(c);
}

async function lockAsAgent(u: UnitOfWork, actor: Actor, conversationId: string): Promise<ConversationView> {
  const c = await lockConversation(u, conversationId);
  await assertAgentOf(u.tx, actor, c);
  return c;
}

const windowClosedError = (c: ConversationView) => {
  const hours = c.window?.hours ?? 24;
  return new AppError(409, 'window_closed', {
    en: `the ${hours}-hour customer-service window is closed (the customer ${c.lastCustomerMessageAt ? `last wrote more than ${hours} hours ago` : 'has not written'}): only an approved template may be sent`,
    pt: `a janela de atendimento de ${hours} h está fechada (o cliente ${c.lastCustomerMessageAt ? `escreveu pela última vez há mais de ${hours} h` : 'não escreveu'}): só um template aprovado pode ser enviado`,
  }, { windowClosesAt: c.window?.closesAt ?? null });
};

/** The file kind a MIME type is on a channel (an image, an audio, a video, else a document). */
export function mediaKindOf(type: string): 'image' | 'audio' | 'video' | 'document' {
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return 'document';
}

/** The agent writes to the customer: text, a file with a caption, or an approved template. */
export function sendAgentMessage(engine: Engine, actor: Actor, conversationId: string, input: AgentMessageInput): Promise<MessageView> {
  return engine.execute(async (u) => {
    const c = await lockAsAgent(u, actor, conversationId);
    let text = input.text?.trim() ?? '';
    const replyTo = input.replyToMessageId === undefined ? null : await quotedMessage(u, c, input.replyToMessageId);
    const context = replyTo ? { replyTo } : {};
    let message: MessageView | undefined;
    if (input.template) {
      const t = await loadSendableTemplate(u.tx, c.channel, input.template.id, 'template.id');
      const parameters = checkedParameters(t, input.template.parameters, 'template.parameters');
      // a channel without templates gets the filled-in text, sent as any text of the agent's below
      if (t.plain) text = fillTemplate(t.body, parameters);
      else message = await addMessage(engine, u, c, { authorType: 'agent', authorId: actor.id, ...templateMessage(t, parameters, context) });
    }
    if (message) {
      // the provider's template, above
    } else if (capabilitiesOf(c.channel).threading) {
      // an e-mail: text and up to 10 files in one message, to the recipients resolved now
      const files = await agentUploads(u, actor, c, input.attachmentIds ?? [], 10);
      // a forward may go without a word of the agent's: the forwarded e-mail is the content
      if (!text && !files.length && input.email?.mode !== 'forward') throw new AppError(400, 'validation_error', at('text', { en: 'write a message or attach a file', pt: 'escreva uma mensagem ou anexe um arquivo' }));
      const emailOut = await resolveAgentEmail(u, c, input.email);
      message = await addMessage(engine, u, c, {
        authorType: 'agent', authorId: actor.id, body: text, contentType: 'email',
        attachments: files.length ? files.map((f) => ({ status: 'stored', id: f.id, media: mediaKindOf(f.type), name: f.name, type: f.type, size: f.size })) : null,
        payload: { emailOut, ...context },
      });
      await linkAttachments(u.tx, files.map((f) => f.id), c.id, message.id);
    } else {
      if (input.email) throw new AppError(422, 'validation_error', at('email', { en: `the ${c.channel} channel is not e-mail`, pt: `o canal ${c.channel} não é e-mail` }));
      if (conversationWindowClosed(c, u.now)) throw windowClosedError(c);
      const files = await agentUploads(u, actor, c, input.attachmentIds ?? []);
      if (!text && !files.length) throw new AppError(400, 'validation_error', at('text', { en: 'write a message or attach a file', pt: 'escreva uma mensagem ou anexe um arquivo' }));
      const file = files[0];
      message = await addMessage(engine, u, c, {
        authorType: 'agent', authorId: actor.id, body: text, contentType: file ? mediaKindOf(file.type) : 'text',
        attachments: file ? [{ status: 'stored', id: file.id, media: mediaKindOf(file.type), name: file.name, type: file.type, size: file.size }] : null,
        payload: replyTo ? context : null,
      });
      if (file) await linkAttachments(u.tx, [file.id], c.id, message.id);
    }
    await emitConversation(u, c.id, 'agent_message');
    return message!;
  });
}

/**
 * The message an agent's reply quotes: one of this conversation's (else 404 naming it), from the
 * customer, an agent or the bot (a system note, a reaction or a deletion cannot be quoted: 422). Kept
 * with the reply: its id, its text (or its file's name), and the provider's id it has by now; the
 * outbox reads the provider's id again at send time (the quoted message may have been sent since).
 */
async function quotedMessage(u: UnitOfWork, c: ConversationView, id: number): Promise<{ messageId: number; externalId: string | null; text: string }> {
  const { rows } = await u.tx.query<{ author_type: string; content_type: string; body: string; attachments: { name?: string }[] | null; external: string | null }>(
    `SELECT author_type, content_type, body, attachments, coalesce(external_id, provider_message_id) AS external
       FROM messages WHERE id = $1 AND conversation_id = $2`,
    [id, c.id],
  );
  const m = rows[0];
  if (!m) {
    throw fieldError(404, 'not_found', 'replyToMessageId', { en: `message ${id} is not in this conversation`, pt: `a mensagem ${id} não é deste atendimento` });
  }
  if (m.author_type === 'system' || UNQUOTABLE.has(m.content_type)) {
    throw fieldError(422, 'not_quotable', 'replyToMessageId', {
      en: `message ${id} is ${m.author_type === 'system' ? 'a system note' : `a ${m.content_type}`}: it cannot be quoted`,
      pt: `a mensagem ${id} é ${m.author_type === 'system' ? 'uma nota do sistema' : m.content_type === 'reaction' ? 'uma reação' : 'uma mensagem apagada'}: não pode ser citada`,
    });
  }
  const text = m.body || (Array.isArray(m.attachments) ? m.attachments.map((a) => a?.name).find(Boolean) : '') || '';
  return { messageId: id, externalId: m.external, text: text.length > REPLY_QUOTE_CHARS ? `${text.slice(0, REPLY_QUOTE_CHARS - 1)}…` : text };
}

/** Kinds that are marks on other messages, not something to answer. */
const UNQUOTABLE = new Set(['reaction', 'deleted']);

/** The agent's own uploads in this conversation, not sent yet; at most one per message. */
async function agentUploads(u: UnitOfWork, actor: Actor, c: ConversationView, ids: readonly string[], most = 1): Promise<AttachmentMeta[]> {
  if (!ids.length) return [];
  if (ids.length > most) {
    throw new AppError(422, 'validation_error', at('attachmentIds', most === 1
      ? { en: 'one file per message: send each file in its own message', pt: 'um arquivo por mensagem: envie cada arquivo numa mensagem' }
      : { en: `at most ${most} files per message`, pt: `no máximo ${most} arquivos por mensagem` }));
  }
  const unique = [...new Set(ids)];
  const { rows } = await u.tx.query<{ id: string; name: string; content_type: string; size: number }>(
    `SELECT id, name, content_type, size FROM attachments
      WHERE id = ANY($1::uuid[]) AND uploaded_by = $2 AND service_id = $3 AND message_id IS NULL`,
    [unique, actor.id, c.serviceId],
  );
  if (rows.length !== unique.length) {
    throw new AppError(422, 'unknown_reference', at('attachmentIds', {
      en: 'not your upload in this conversation, already sent, or deleted for not being sent within the hour: attach it again',
      pt: 'arquivo que não é seu neste atendimento, já enviado, ou apagado por não ter sido enviado em uma hora: anexe-o de novo',
    }));
  }
  const byId = new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, type: r.content_type, size: r.size }]));
  return unique.map((id) => byId.get(id)!);
}

/** May this actor upload a file for this conversation now (read only: the upload checks again)? */
export async function assertMayUpload(db: Queryable, actor: Actor, conversationId: string): Promise<void> {
  const c = await loadConversation(db, conversationId);
  if (!c) throw notFound(NOUNS.conversation, conversationId);
  await assertAgentOf(db, actor, c);
}

/**
 * An agent's file for a message of this conversation: only its agent, while in service, a kind the
 * channel carries (capabilities.media). Sent within the hour, or the upload cleanup deletes it.
 */
export function storeAgentUpload(engine: Engine, actor: Actor, conversationId: string, file: { name: string; type: string; data: Uint8Array }): Promise<AttachmentMeta> {
  return engine.execute(async (u) => {
    const c = await lockAsAgent(u, actor, conversationId);
    const kind = mediaKindOf(file.type);
    const media = capabilitiesOf(c.channel).media;
    if (!media.includes(kind as MediaKind)) {
      throw new AppError(415, 'unsupported_media_type', at('file', {
        en: `the ${c.channel} channel does not carry ${kind} files${media.length ? ` (it takes: ${media.join(', ')})` : ''}`,
        pt: `o canal ${c.channel} não leva arquivos do tipo ${KIND_PT[kind]}${media.length ? ` (aceita: ${media.map((m) => KIND_PT[m] ?? m).join(', ')})` : ''}`,
      }));
    }
    return storeAttachment(u.tx, { ...file, serviceId: c.serviceId, uploadedBy: actor.id }, u.now);
  });
}

const KIND_PT: Record<string, string> = { image: 'imagem', audio: 'áudio', video: 'vídeo', document: 'documento', sticker: 'figurinha', location: 'localização', contacts: 'contatos' };
