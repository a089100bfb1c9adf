import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Badge, Button, Center, Group, Loader, Modal, Paper, Stack, Text, Textarea } from '@mantine/core';
import { IconLock, IconRobot, IconSend, IconUserShield } from '@tabler/icons-react';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../contracts/conversations';
import { isOpenState } from '../../shared/states';
import { supervisorChatOpen } from '../../shared/supervisor-chat';
import { ApiError } from '../api';
import { useSession } from '../auth/session';
import { useStore } from './actions';
import { ChannelIcon } from './channels';
import { ConversationRecord } from './ConversationRecord';
import { marksOf, MessageContent } from '../desk/MessageContent';
import { dateTime, timeOfDay } from './format';
import classes from './monitor.module.css';
import { useConversationDetail, useMonitorStateWhile, useServices } from './useMonitor';

/** Keeps a scrolled list at its end when new items come, unless the reader scrolled up. */
function useStickToBottom(dep: unknown) {
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [dep]);
  const onScroll = () => {
    const el = box.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  };
  return { box, onScroll };
}

/**
 * "Supervisor visualizando a conversa e iniciando o Chat com o Operador": the conversation between
 * agent and customer on the left (read-only, live), the chat with the agent on the right (live). With
 * `chat` false it opens as the history only, and the chat can be opened from there.
 */
export function ConversationModal({ id, chat, onClose }: { id: string | null; chat: boolean; onClose(): void }) {
  const { t, i18n } = useTranslation('monitor');
  const { settings, me } = useSession();
  const phone = useMediaQuery('(max-width: 36em)');
  const store = useStore();
  const state = useMonitorStateWhile(store, id !== null);
  const { byId } = useServices();
  const d = useConversationDetail(store, id);
  const [showChat, setShowChat] = useState(chat);
  const [openedFor, setOpenedFor] = useState<string | null>(null);
  if (id !== openedFor) {
    setOpenedFor(id);
    setShowChat(chat);
  }
  const tz = settings.timezone;
  const lang = i18n.language;
  const view = d?.view ?? null;
  const agentName = view?.agentId ? (state.agents.get(view.agentId)?.name ?? '') : '';
  const history = useStickToBottom(d?.messages.length);
  const byExternalId = useMemo(() => new Map((d?.messages ?? []).flatMap((m) => (m.externalId ? [[m.externalId, m] as const] : []))), [d?.messages]);
  const messageById = useMemo(() => new Map((d?.messages ?? []).map((m) => [m.id, m] as const)), [d?.messages]);
  const marks = useMemo(() => marksOf(d?.messages ?? []), [d?.messages]);
  const whispers = useStickToBottom(`${d?.whispers.length}-${showChat}`);
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // the agent's answers on screen are read: the agent's desk shows it
  const unreadAnswers = d?.whispers.filter((w) => w.authorId === w.agentId && !w.readAt).length ?? 0;
  useEffect(() => {
    if (id && showChat && unreadAnswers > 0) void store.markWhispersRead(id);
  }, [id, showChat, unreadAnswers, store]);
  const open = view !== null && isOpenState(view.state);
  // the chat is offered only while the server takes it (shared/supervisor-chat.ts)
  const chatOpen = view !== null && supervisorChatOpen(view);

  const author = (m: MessageView) => {
    if (m.authorType === 'customer') return view?.contactName || t('monitor.chat.customer');
    if (m.authorType === 'bot') return m.authorName || t('monitor.chat.bot');
    if (m.authorType === 'agent') return m.authorName || agentName;
    return t('monitor.chat.system');
  };

  const send = async () => {
    const body = text.trim();
    if (!id || !body || sending) return;
    setSending(true);
    setError(null);
    // cleared at once, given back if the message could not be sent
    setText('');
    try {
      await store.whisper(id, body);
    } catch (err) {
      setText(body);
      setError(t('monitor.chat.failed', { error: err instanceof ApiError ? err.message : String(err) }));
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  const title = view ? t('monitor.chat.title', { protocol: view.protocol, customer: view.contactName || t('monitor.list.unknownCustomer') }) : '';

  return (
    <Modal
      fullScreen={phone}
      opened={id !== null}
      onClose={onClose}
      size={showChat ? 'min(1280px, 96vw)' : 'min(760px, 96vw)'}
      zIndex={300}
      // the modal takes the screen's height and the conversation's panes the rest of it, so the
      // composer is always on screen; only the messages scroll (issue 22: it was cut at 1440×900)
      classNames={{ content: classes.convContent, body: classes.convBody }}
      title={
        <Group gap="sm" wrap="nowrap">
          {view && <ChannelIcon channel={view.channel} size={26} />}
          <div>
            <Text fw={700} size="sm">{title}</Text>
            {view && (
              <Text size="xs" c="dimmed">
                {byId.get(view.serviceId)?.name ?? ''} · {t(`monitor.chat.state.${view.state}`)}
                {agentName ? ` · ${agentName}` : ''}
              </Text>
            )}
          </div>
        </Group>
      }
      data-testid="conversation-modal"
    >
      {!d || (d.status === 'loading' && d.messages.length === 0) ? (
        <Center py="xl">
          <Stack align="center" gap="xs">
            <Loader size="sm" />
            <Text size="sm" c="dimmed">{t('monitor.chat.loading')}</Text>
          </Stack>
        </Center>
      ) : d.status === 'error' && d.messages.length === 0 ? (
        <Center py="xl">
          <Stack align="center" gap="xs">
            <Text c="red" size="sm">{t('monitor.chat.loadFailed')}</Text>
            <Button size="xs" variant="light" onClick={() => id && void store.loadDetail(id)}>{t('monitor.chat.retry')}</Button>
          </Stack>
        </Center>
      ) : (
        <>
        {view && <ConversationRecord view={view} agentName={agentName} />}
        <div className={`${classes.convPanes} ${showChat ? classes.chatGrid : ''}`}>
          <Paper withBorder radius="md" className={classes.pane} aria-label={t('monitor.chat.conversation')}>
            <Group justify="space-between" px="sm" py={8} className={classes.paneHead}>
              <Text fw={600} size="sm">{t('monitor.chat.conversation')}</Text>
              <Group gap="xs">
                <Badge variant="light" color="gray" leftSection={<IconLock size={12} />}>{t('monitor.chat.readOnly')}</Badge>
                {!showChat && chatOpen && (
                  <Button size="compact-xs" variant="light" color="orange" leftSection={<IconUserShield size={14} />} onClick={() => setShowChat(true)}>
                    {t('monitor.list.chat')}
                  </Button>
                )}
              </Group>
            </Group>
            <div ref={history.box} onScroll={history.onScroll} className={classes.paneBody} role="log" aria-live="polite" data-testid="monitor-history">
              {d.messages.map((m) =>
                m.authorType === 'system' ? (
                  <div key={m.id} className={classes.system}>
                    {m.body} <span className={classes.meta}>{timeOfDay(m.createdAt, tz, lang)}</span>
                  </div>
                ) : (
                  <div key={m.id} className={`${classes.bubble} ${classes[m.authorType]}`} data-author={m.authorType}>
                    <span className={classes.author}>
                      {m.authorType === 'bot' && <IconRobot size={12} style={{ verticalAlign: '-2px', marginRight: 4 }} aria-hidden />}
                      {author(m)}
                    </span>
                    <MessageContent m={m} byExternalId={byExternalId} byId={messageById} marks={marks} />
                    <time className={classes.meta} dateTime={m.createdAt} title={dateTime(m.createdAt, tz, lang)}>{timeOfDay(m.createdAt, tz, lang)}</time>
                  </div>
                ),
              )}
            </div>
          </Paper>
          {showChat && (
            <Paper withBorder radius="md" className={classes.pane} aria-label={t('monitor.chat.withAgent', { name: agentName })} data-testid="monitor-chat">
              <Group gap={6} px="sm" py={8} className={classes.paneHead} wrap="nowrap">
                <IconUserShield size={18} color="var(--mantine-color-orange-7)" aria-hidden />
                <Text fw={600} size="sm">{t('monitor.chat.withAgent', { name: agentName || '—' })}</Text>
              </Group>
              <Text size="xs" c="dimmed" px="sm" pt={6}>{t('monitor.chat.help')}</Text>
              <div ref={whispers.box} onScroll={whispers.onScroll} className={classes.paneBody} role="log" aria-live="polite">
                {d.whispers.length === 0 && <Text size="sm" c="dimmed" ta="center" py="md">{t('monitor.chat.empty')}</Text>}
                {d.whispers.map((w) => {
                  const mine = w.authorId === me.id;
                  return (
                    <div key={w.id} className={`${classes.bubble} ${mine ? classes.whisperMine : classes.whisperTheirs}`} data-testid="monitor-whisper">
                      <span className={classes.author}>{mine ? t('monitor.chat.you') : w.authorName}</span>
                      {w.body}
                      <span className={classes.meta}>
                        <time dateTime={w.createdAt} title={dateTime(w.createdAt, tz, lang)}>{timeOfDay(w.createdAt, tz, lang)}</time>
                        {/* a supervisor's message: has the agent read it? (live, from whisper.updated) */}
                        {w.authorId !== w.agentId && (
                          <span data-testid="monitor-whisper-read">
                            {' · '}
                            {w.readAt ? t('monitor.chat.read', { time: timeOfDay(w.readAt, tz, lang) }) : t('monitor.chat.unread')}
                          </span>
                        )}
                      </span>
                    </div>
                  );
                })}
              </div>
              <div className={classes.composer}>
                {!chatOpen ? (
                  <Alert color="gray" variant="light" p="xs">
                    <Text size="xs">{open ? t('monitor.chat.noAgent') : t('monitor.chat.finished')}</Text>
                  </Alert>
                ) : (
                  <Group align="flex-end" gap="xs" wrap="nowrap">
                    <Textarea
                      aria-label={t('monitor.chat.placeholder')}
                      placeholder={t('monitor.chat.placeholder')}
                      value={text}
                      onChange={(e) => setText(e.currentTarget.value)}
                      onKeyDown={onKeyDown}
                      autosize
                      minRows={1}
                      maxRows={5}
                      maxLength={2000}
                      style={{ flex: 1 }}
                      data-autofocus
                      data-testid="monitor-whisper-input"
                    />
                    <Button onClick={() => void send()} loading={sending} disabled={!text.trim()} leftSection={<IconSend size={16} />}>
                      {t('monitor.chat.send')}
                    </Button>
                  </Group>
                )}
                {error && <Text size="xs" c="red" mt={4}>{error}</Text>}
              </div>
            </Paper>
          )}
        </div>
        </>
      )}
    </Modal>
  );
}
