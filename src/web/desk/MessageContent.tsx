import { useState } from 'react';
import { Anchor, Badge, Group, Loader, Modal, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconFileText, IconMapPin, IconUser } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../contracts/conversations';
import { AttachmentEntry, attachmentKind, readMessagePayload, type MessageContentPayload } from '../../contracts/message-content';
import classes from './desk.module.css';
import { EmailMessage, SentEmail } from './EmailMessage';
import { useSession } from '../auth/session';
import { fullDateTime } from './format';

// What a message shows besides its author and time, by its kind (contracts/message-content.ts): its
// files inline, a place, contact cards, the message it answers, a reaction, an edit or a deletion.
// The desk's history and the monitor's conversation modal draw messages with this one component.

/** What other messages say about this one: reactions to it, its deletion or edit by the customer. */
export interface MessageMarks {
  reactions: string[];
  deleted: boolean;
  edited: boolean;
}

/** Marks by the provider's id of the message they name (reactions, deletions, edits). */
export function marksOf(messages: readonly MessageView[]): Map<string, MessageMarks> {
  const marks = new Map<string, MessageMarks>();
  const at = (id: string) => {
    let m = marks.get(id);
    if (!m) marks.set(id, (m = { reactions: [], deleted: false, edited: false }));
    return m;
  };
  for (const msg of messages) {
    const p = readMessagePayload(msg.payload);
    if (p.reaction) {
      const r = at(p.reaction.targetExternalId);
      // the customer's latest reaction replaces the earlier one; an empty emoji removes it
      r.reactions = p.reaction.emoji ? [p.reaction.emoji] : [];
    }
    if (p.deleted && p.deleted !== true) at(p.deleted.targetExternalId).deleted = true;
    if (p.edited && p.edited !== true) at(p.edited.targetExternalId).edited = true;
  }
  return marks;
}

const fileUrl = (id: string) => `/api/attachments/${encodeURIComponent(id)}`;

export function fileSize(bytes: number, lang: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i]}`;
}

/** One file of a message: an image (click: the viewer), a player, or a document to download. */
function Attachment({ entry }: { entry: AttachmentEntry }) {
  const { t, i18n } = useTranslation('desk');
  const [viewing, setViewing] = useState(false);
  const kind = attachmentKind(entry);
  if (entry.status === 'pending') {
    return (
      <Group gap={6} className={classes.attNote} data-testid="attachment-pending">
        <Loader size={12} />
        <Text size="sm">{t('desk.content.receiving')}</Text>
      </Group>
    );
  }
  if (entry.status === 'failed') {
    const known = `desk.content.failReasons.${entry.reason}`;
    return (
      <Group gap={6} className={classes.attNote} data-testid="attachment-failed" wrap="nowrap">
        <IconAlertTriangle size={14} color="var(--mantine-color-red-7)" aria-hidden />
        <Text size="sm">
          {t('desk.content.failed', { reason: t(known) !== known ? t(known) : entry.reason })}
        </Text>
      </Group>
    );
  }
  const url = fileUrl(entry.id);
  const label = t('desk.content.fileLabel', { name: entry.name, size: fileSize(entry.size, i18n.language) });
  if (kind === 'image' || kind === 'sticker') {
    return (
      <>
        <UnstyledButton className={classes.attThumbButton} onClick={() => setViewing(true)} aria-label={t('desk.content.openImage', { name: entry.name })} data-testid="attachment-image">
          <img className={kind === 'sticker' ? classes.attSticker : classes.attThumb} src={url} alt={entry.name} loading="lazy" />
        </UnstyledButton>
        <Modal opened={viewing} onClose={() => setViewing(false)} title={entry.name} size="auto" centered>
          <Stack gap="sm" align="center">
            <img className={classes.attFull} src={url} alt={entry.name} data-testid="attachment-viewer-image" />
            <Anchor href={url} download={entry.name} size="sm">
              <Group gap={4}>
                <IconDownload size={16} aria-hidden />
                {t('desk.content.download')} · {fileSize(entry.size, i18n.language)}
              </Group>
            </Anchor>
          </Stack>
        </Modal>
      </>
    );
  }
  if (kind === 'audio') return <audio className={classes.attAudio} controls preload="metadata" src={url} aria-label={label} data-testid="attachment-audio" />;
  if (kind === 'video') return <video className={classes.attVideo} controls preload="metadata" src={url} aria-label={label} data-testid="attachment-video" />;
  return (
    // the name read aloud is the visible text with "Baixar" before it (an aria-label that left the
    // visible text out failed axe's label-content-name-mismatch); a long name ends in an ellipsis with a title
    <Anchor href={url} download={entry.name} className={classes.attDoc} data-testid="attachment-document">
      <IconFileText size={22} aria-hidden />
      <span className={classes.attDocText}>
        <VisuallyHidden>{t('desk.content.download')}: </VisuallyHidden>
        <span className={classes.attDocName} title={entry.name}>{entry.name}</span>
        <span className={classes.attDocSize}>{fileSize(entry.size, i18n.language)}</span>
      </span>
      <IconDownload size={16} aria-hidden />
    </Anchor>
  );
}

function Location({ p }: { p: NonNullable<MessageContentPayload['location']> }) {
  const { t } = useTranslation('desk');
  const href = `https://www.openstreetmap.org/?mlat=${p.latitude}&mlon=${p.longitude}#map=17/${p.latitude}/${p.longitude}`;
  return (
    <Anchor href={href} target="_blank" rel="noopener noreferrer" className={classes.attDoc} data-testid="message-location">
      <IconMapPin size={22} aria-hidden />
      <span className={classes.attDocText}>
        <span className={classes.attDocName}>{p.name || t('desk.content.location')}</span>
        <span className={classes.attDocSize}>{p.address || `${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)}`}</span>
        <span className={classes.attDocSize}>{t('desk.content.openMap')}</span>
      </span>
    </Anchor>
  );
}

/** The text shown for a quoted message: its text, else what kind it is. */
function quoteText(t: (k: string) => string, m: MessageView | undefined, fallback: string | null | undefined): string {
  if (m) return m.body || (m.attachments?.length ? t('desk.content.aFile') : t('desk.content.aMessage'));
  return fallback || t('desk.content.earlierMessage');
}

interface Props {
  m: MessageView;
  /** the conversation's messages, for the quote of a reply and the target of a reaction */
  byExternalId: ReadonlyMap<string, MessageView>;
  /** the conversation's messages by Mirante's id, for the quote of an agent's reply */
  byId?: ReadonlyMap<number, MessageView>;
  marks: ReadonlyMap<string, MessageMarks>;
}

/** The message a reply quotes, when it is in the history: an agent's names it by Mirante's id, a customer's by the provider's. */
function quotedOf(r: NonNullable<MessageContentPayload['replyTo']>, byId: ReadonlyMap<number, MessageView> | undefined, byExternalId: ReadonlyMap<string, MessageView>) {
  return (r.messageId !== undefined ? byId?.get(r.messageId) : undefined) ?? (r.externalId ? byExternalId.get(r.externalId) : undefined);
}

/** The body of one bubble: quote, text, files, place, contacts, and the marks other messages put on it. */
export function MessageContent({ m, byExternalId, byId, marks }: Props) {
  const { t, i18n } = useTranslation('desk');
  const { settings } = useSession();
  const p = readMessagePayload(m.payload);
  const files = (m.attachments ?? []).map((a) => AttachmentEntry.safeParse(a)).flatMap((r) => (r.success ? [r.data] : []));
  const mark = m.externalId ? marks.get(m.externalId) : undefined;

  if (m.contentType === 'reaction' && p.reaction) {
    const target = byExternalId.get(p.reaction.targetExternalId);
    return (
      <Text size="sm" data-testid="message-reaction">
        {p.reaction.emoji ? t('desk.content.reacted', { emoji: p.reaction.emoji }) : t('desk.content.reactionRemoved')}{' '}
        <span className={classes.quoteInline}>“{quoteText(t, target, null)}”</span>
      </Text>
    );
  }
  if (m.contentType === 'deleted' || p.deleted === true) {
    return (
      <Text size="sm" fs="italic" c="dimmed" data-testid="message-deleted">
        {t('desk.content.deleted')}
      </Text>
    );
  }
  if (m.contentType === 'unsupported') {
    return (
      <Text size="sm" fs="italic" c="dimmed" data-testid="message-unsupported">
        {t('desk.content.unsupported', { kind: p.unsupported?.kind ?? m.body.replace(/^.*:\s*/, '') })}
      </Text>
    );
  }
  // a location's or contacts' text repeats what the card shows; an e-mail shows its own
  const showText = Boolean(m.body) && !p.location && !p.contacts && !p.email && !p.emailOut;
  return (
    <>
      {p.replyTo && (
        <div className={classes.quote} data-testid="message-reply-quote">
          <VisuallyHidden>{t('desk.content.inReplyTo')}: </VisuallyHidden>
          {quoteText(t, quotedOf(p.replyTo, byId, byExternalId), p.replyTo.text)}
        </div>
      )}
      {p.template && (
        <Badge size="xs" variant="light" color="grape" mb={4} display="block" w="fit-content">
          {t('desk.content.template', { name: p.template.name })}
        </Badge>
      )}
      {p.email && <EmailMessage email={p.email} text={m.body} formatDate={(iso) => fullDateTime(iso, settings.timezone, i18n.language)} />}
      {p.emailOut && <SentEmail out={p.emailOut} text={m.body} />}
      {showText && <span className={mark?.deleted ? classes.struck : undefined}>{m.body}</span>}
      {files.length > 0 && (
        <div className={classes.attachments}>
          {files.map((f, i) => (
            <Attachment key={'id' in f ? f.id : `pending-${i}`} entry={f} />
          ))}
        </div>
      )}
      {p.location && <Location p={p.location} />}
      {p.contacts?.map((c, i) => (
        <div key={i} className={classes.attDoc} data-testid="message-contact">
          <IconUser size={22} aria-hidden />
          <span className={classes.attDocText}>
            <span className={classes.attDocName}>{c.name}</span>
            {c.phones.map((ph) => (
              <Anchor key={ph} href={`tel:${ph.replace(/[^\d+]/g, '')}`} size="xs">
                {ph}
              </Anchor>
            ))}
          </span>
        </div>
      ))}
      {(p.edited || mark?.edited || mark?.deleted || (mark && mark.reactions.length > 0)) && (
        <span className={classes.marks}>
          {(p.edited || mark?.edited) && <span data-testid="message-edited">{t('desk.content.edited')}</span>}
          {mark?.deleted && <span data-testid="message-deleted-mark">{t('desk.content.deletedMark')}</span>}
          {mark?.reactions.map((e) => (
            <span key={e} className={classes.reactionMark} aria-label={t('desk.content.reactionOn', { emoji: e })} data-testid="message-reaction-mark">
              {e}
            </span>
          ))}
        </span>
      )}
    </>
  );
}
