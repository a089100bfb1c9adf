import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, type SyntheticEvent } from 'react';
import { ActionIcon, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { IconArrowBackUp, IconPhone, IconRobot } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../contracts/conversations';
import { CallView } from '../../contracts/calls';
import { callLine } from '../../shared/calls';
import { useSession } from '../auth/session';
import classes from './desk.module.css';
import { DeliveryFailure, DeliveryTicks } from './DeliveryMark';
import { dayOf, fullDateTime, timeOfDay } from './format';
import { marksOf, MessageContent } from './MessageContent';
import type { DeskConversation } from './desk-state';

/** Near the bottom (or at it): new messages keep the view pinned there. */
const STICK_PX = 120;

/** A call's line in the reader's language ("Chamada de vídeo, 4:12"); null for any other message (its body is shown). */
function callText(m: MessageView, lang: string): string | null {
  if (m.contentType !== 'call') return null;
  const call = CallView.safeParse((m.payload as { call?: unknown } | null)?.call);
  return call.success ? callLine(call.data, lang.startsWith('en') ? 'en' : 'pt-BR') : null;
}

/** The whole history of one conversation: customer, agent, bot and system messages, each styled its way. */
/** Kinds that mark other messages (a reaction, a deletion): nothing to answer. */
const UNQUOTABLE = new Set(['reaction', 'deleted']);

/** The text a reply's label names: the message's text, else its first file's name. */
export function quoteLabel(m: MessageView): string {
  const file = (m.attachments ?? []).find((a): a is { name: string } => typeof (a as { name?: unknown })?.name === 'string');
  return m.body || file?.name || '';
}

interface Props {
  c: DeskConversation;
  meId: string;
  onRetry(): void;
  /** "Responder" on a bubble (while the agent may write): the message to quote */
  onReply?(m: MessageView): void;
}

export function MessageHistory({ c, meId, onRetry, onReply }: Props) {
  const { t, i18n } = useTranslation('desk');
  const { settings } = useSession();
  const tz = settings.timezone;
  const lang = i18n.language;
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const last = c.messages[c.messages.length - 1];
  const byExternalId = useMemo(() => new Map(c.messages.flatMap((m) => (m.externalId ? [[m.externalId, m] as const] : []))), [c.messages]);
  const byId = useMemo(() => new Map(c.messages.map((m) => [m.id, m] as const)), [c.messages]);
  const marks = useMemo(() => marksOf(c.messages), [c.messages]);

  // a new conversation opens at its end
  useLayoutEffect(() => {
    stick.current = true;
  }, [c.view.id]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    if (stick.current || (last?.authorType === 'agent' && last.authorId === meId)) el.scrollTop = el.scrollHeight;
  }, [c.view.id, last?.id, last?.authorType, last?.authorId, meId, c.history]);

  // an image that loads after the scroll grows the history: keep its end in view if it was
  const onLoadCapture = (e: SyntheticEvent) => {
    const el = box.current;
    if (el && stick.current && (e.target as HTMLElement).tagName === 'IMG') el.scrollTop = el.scrollHeight;
  };

  const onScroll = () => {
    const el = box.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
  };

  const authorLabel = (m: MessageView) => {
    if (m.authorType === 'customer') return c.view.contactName || t('desk.conversation.customer');
    if (m.authorType === 'bot') return m.authorName || t('desk.conversation.bot');
    if (m.authorType === 'agent') return m.authorId === meId ? t('desk.conversation.you') : m.authorName || '';
    return t('desk.conversation.system');
  };

  let prevDay = '';
  return (
    <div
      ref={box}
      className={classes.history}
      onScroll={onScroll}
      onLoadCapture={onLoadCapture}
      role="log"
      aria-live="polite"
      aria-label={t('desk.conversation.history')}
      tabIndex={0}
      data-testid="desk-history"
    >
      {c.history === 'loading' && c.messages.length === 0 && (
        <Center py="xl">
          <Stack align="center" gap="xs">
            <Loader size="sm" />
            <Text size="sm" c="dimmed">
              {t('desk.conversation.loading')}
            </Text>
          </Stack>
        </Center>
      )}
      {c.history === 'error' && (
        <Center py="md">
          <Stack align="center" gap="xs">
            <Text size="sm" c="red">
              {t('desk.conversation.loadFailed')}
            </Text>
            <Button size="xs" variant="light" onClick={onRetry}>
              {t('desk.conversation.retry')}
            </Button>
          </Stack>
        </Center>
      )}
      {c.messages.map((m) => {
        const day = dayOf(m.createdAt, tz, lang);
        const sep = day !== prevDay;
        prevDay = day;
        const time = timeOfDay(m.createdAt, tz, lang);
        const full = fullDateTime(m.createdAt, tz, lang);
        return (
          <Fragment key={m.id}>
            {sep && <div className={classes.daySep}>{day.charAt(0).toLocaleUpperCase(lang) + day.slice(1)}</div>}
            {m.authorType === 'system' ? (
              <div className={classes.system} data-author="system" data-testid={m.contentType === 'call' ? 'desk-call-line' : undefined}>
                {m.contentType === 'call' && <IconPhone size={12} style={{ verticalAlign: '-2px', marginRight: 4 }} aria-hidden />}
                {callText(m, lang) ?? m.body}
                <span className={classes.meta} title={full}>
                  {time}
                </span>
              </div>
            ) : (
              <div className={`${classes.bubble} ${classes[m.authorType]}`} data-author={m.authorType} data-testid="desk-message">
                <span className={classes.author}>
                  {m.authorType === 'bot' && <IconRobot size={12} style={{ verticalAlign: '-2px', marginRight: 4 }} aria-hidden />}
                  {authorLabel(m)}
                  {onReply && !UNQUOTABLE.has(m.contentType) && (
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      color="gray"
                      className={classes.replyButton}
                      aria-label={t('desk.content.replyTo', { author: authorLabel(m), text: quoteLabel(m).slice(0, 80) })}
                      title={t('desk.content.reply')}
                      onClick={() => onReply(m)}
                      data-testid="message-reply"
                    >
                      <IconArrowBackUp size={14} aria-hidden />
                    </ActionIcon>
                  )}
                </span>
                <MessageContent m={m} byExternalId={byExternalId} byId={byId} marks={marks} />
                {m.authorType === 'agent' && m.authorId === meId ? (
                  <>
                    <span className={classes.meta}>
                      <time dateTime={m.createdAt} title={full}>
                        {time}
                      </time>
                      <DeliveryTicks m={m} />
                    </span>
                    <DeliveryFailure m={m} />
                  </>
                ) : (
                  <time className={classes.meta} dateTime={m.createdAt} title={full}>
                    {time}
                  </time>
                )}
              </div>
            )}
          </Fragment>
        );
      })}
    </div>
  );
}
