import { forwardRef, useState } from 'react';
import { ActionIcon, Alert, Button, CopyButton, Group, Indicator, Paper, Text, Title, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconArrowsExchange, IconCheck, IconCopy, IconUserShield, IconX } from '@tabler/icons-react';
import type { MessageView } from '../../contracts/conversations';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { ChannelIcon } from './ChannelIcon';
import { Composer } from './Composer';
import { EmailComposer } from './EmailComposer';
import { useWindow, WindowNotice } from './CustomerWindow';
import { CustomerTyping } from './CustomerTyping';
import { TemplatePicker } from './TemplatePicker';
import { capabilitiesOf } from '../../contracts/channel-capabilities';
import classes from './desk.module.css';
import { CancelModal, FinishModal } from './FinishModals';
import { fullDateTime, timeOfDay } from './format';
import { MessageHistory, quoteLabel } from './MessageHistory';
import { unreadWhispers, type DeskConversation } from './desk-state';
import type { DeskStore } from './store';
import { TransferModal } from './TransferModal';
import { OptOutButton } from './OptOutButton';
import { CallButtons, CallPanel } from './CallPanel';

interface Props {
  store: DeskStore;
  c: DeskConversation;
  meId: string;
  serviceName?: string;
  whisperOpen: boolean;
  onToggleWhispers(): void;
  /** narrow screens: back to the list */
  onBack?: () => void;
}

/** What the attach button offers, by the kinds the channel carries (the server checks the bytes). */
const ACCEPT: Record<string, string[]> = {
  image: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'],
  audio: ['audio/mpeg', 'audio/ogg', 'audio/mp4'],
  video: ['video/mp4'],
  document: ['application/pdf', 'text/plain', '.docx', '.xlsx'],
};

type ModalName = 'finish' | 'cancel' | 'transfer' | null;

/** One conversation: protocol and customer on top, the history, the composer, and what the agent can do with it. */
export const ConversationPane = forwardRef<HTMLTextAreaElement, Props>(function ConversationPane({ store, c, meId, serviceName, whisperOpen, onToggleWhispers, onBack }, composerRef) {
  const { t, i18n } = useTranslation('desk');
  const { settings } = useSession();
  const [modal, setModal] = useState<ModalName>(null);
  // the message the agent answers ("Responder"), for this conversation only
  const [replying, setReplying] = useState<MessageView | null>(null);
  const v = c.view;
  const open = c.leftAt === null && v.state === 'in_service';
  const whispers = unreadWhispers(c, meId);
  const name = v.contactName || t('desk.list.unknownCustomer');
  const started = v.assignedAt ?? v.createdAt;
  const supervisorLabel = whispers > 0 ? t('desk.actions.supervisorUnread', { count: whispers }) : t('desk.actions.supervisor');
  const win = useWindow(v);
  const caps = capabilitiesOf(v.channel);
  const accept = caps.media.flatMap((k) => ACCEPT[k] ?? []).join(',');
  const replyTo = replying?.conversationId === v.id ? replying : null;
  const authorOf = (m: MessageView) =>
    m.authorType === 'customer' ? name : m.authorType === 'agent' ? (m.authorId === meId ? t('desk.conversation.you') : m.authorName || '') : m.authorName || t('desk.conversation.bot');
  const startReply = (m: MessageView) => {
    setReplying(m);
    if (composerRef && typeof composerRef === 'object') composerRef.current?.focus();
  };
  const leftReason = c.leftAt === null ? null : v.state === 'in_service' || v.state === 'queued' || v.state === 'bot' || v.state === 'triage' ? 'transferred' : v.state;

  return (
    <Paper withBorder radius="md" className={classes.pane} component="section" aria-label={`${t('desk.conversation.protocol')} ${v.protocol} · ${name}`} data-testid="desk-conversation-pane">
      <div style={{ padding: '10px 12px', borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            {onBack && (
              <ActionIcon variant="subtle" color="gray" aria-label={t('desk.conversation.back')} onClick={onBack}>
                <IconArrowLeft size={18} />
              </ActionIcon>
            )}
            <ChannelIcon channel={v.channel} size={36} />
            <div style={{ minWidth: 0 }}>
              <Group gap={6} wrap="nowrap">
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {t('desk.conversation.protocol')}
                </Text>
                <Text size="sm" fw={700} ff="monospace" data-testid="desk-protocol">
                  {v.protocol}
                </Text>
                <CopyButton value={v.protocol} timeout={1500}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? t('desk.conversation.copied') : t('desk.conversation.copyProtocol')} withArrow>
                      <ActionIcon size="sm" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={t('desk.conversation.copyProtocol')}>
                        {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
              <Title order={2} size="h4" lh={1.25} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                {name}
              </Title>
              <Text size="xs" c="dimmed">
                {serviceName ?? t(`channels.${v.channel}`)} ·{' '}
                <span title={fullDateTime(started, settings.timezone, i18n.language)}>{t('desk.conversation.startedAt', { time: timeOfDay(started, settings.timezone, i18n.language) })}</span>
                {v.transferCount > 0 && ` · ${t('desk.conversation.transfers', { count: v.transferCount })}`}
              </Text>
              <OptOutButton conversationId={v.id} />
            </div>
          </Group>
          <Group gap={6} wrap="wrap">
            <Tooltip label={supervisorLabel} withArrow>
              <Indicator label={whispers} size={18} color="red" disabled={whispers === 0} offset={4} zIndex={3}>
                <ActionIcon
                  size={36}
                  variant={whispers > 0 ? 'filled' : whisperOpen ? 'light' : 'default'}
                  color="orange"
                  className={whispers > 0 ? classes.lit : undefined}
                  aria-label={supervisorLabel}
                  aria-pressed={whisperOpen}
                  onClick={onToggleWhispers}
                  data-testid="supervisor-chat-button"
                  data-unread={whispers}
                >
                  <IconUserShield size={20} />
                </ActionIcon>
              </Indicator>
            </Tooltip>
            {open && v.channel === 'webchat' && <CallButtons store={store} conversationId={v.id} />}
            {open && (
              <>
                <Button variant="default" leftSection={<IconArrowsExchange size={16} />} onClick={() => setModal('transfer')}>
                  {t('desk.actions.transfer')}
                </Button>
                <Button variant="light" color="red" leftSection={<IconX size={16} />} onClick={() => setModal('cancel')}>
                  {t('desk.actions.cancel')}
                </Button>
                <Button color="green" leftSection={<IconCheck size={16} />} onClick={() => setModal('finish')}>
                  {t('desk.actions.finish')}
                </Button>
              </>
            )}
          </Group>
        </Group>
      </div>

      {leftReason && (
        <Alert color={leftReason === 'completed' ? 'green' : 'gray'} radius={0} py={6} role="status">
          <Text size="sm">{t(`desk.conversation.left.${leftReason}`)}</Text>
        </Alert>
      )}

      {v.channel === 'webchat' && <CallPanel store={store} conversationId={v.id} name={name} />}

      <MessageHistory key={v.id} c={c} meId={meId} onRetry={() => void store.loadHistory(v.id, true)} onReply={open && !win?.closed ? startReply : undefined} />
      <CustomerTyping at={open ? (c.customerTypingAt ?? null) : null} />

      <div className={classes.composer}>
        {open && win && <WindowNotice win={win} templates={caps.templates} />}
        {open && win?.closed ? (
          caps.templates ? <TemplatePicker view={v} onSend={(id, params) => store.sendTemplate(v.id, id, params)} /> : null
        ) : open && caps.threading ? (
          <EmailComposer
            key={v.id}
            protocol={v.protocol}
            subject={v.subject ?? null}
            messages={c.messages}
            onSend={(text, files, email) => store.sendEmail(v.id, text, files, email)}
          />
        ) : open ? (
          <>
          {replyTo && (
            <div className={classes.replyBar} data-testid="composer-reply">
              <div className={classes.quote}>
                <Text size="xs" fw={600} component="span" display="block">
                  {t('desk.composer.replyingTo', { author: authorOf(replyTo) })}
                </Text>
                {quoteLabel(replyTo) || t('desk.content.aMessage')}
              </div>
              <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('desk.composer.cancelReply')} onClick={() => setReplying(null)} data-testid="composer-reply-cancel">
                <IconX size={14} />
              </ActionIcon>
            </div>
          )}
          <Composer
            key={v.id}
            ref={composerRef}
            initial={store.draft(v.id)}
            label={t('desk.composer.label')}
            placeholder={t('desk.composer.placeholder')}
            sendLabel={t('desk.composer.send')}
            maxLength={4096}
            onDraft={(text) => store.setDraft(v.id, text)}
            onSend={async (text) => {
              await store.send(v.id, text, replyTo?.id);
              setReplying(null);
            }}
            onSendFiles={accept ? async (text, files, onSent) => {
              await store.sendFiles(v.id, text, files, (f) => {
                // the quote goes with the first file's message
                setReplying(null);
                onSent(f);
              }, replyTo?.id);
            } : undefined}
            onEscape={replyTo ? () => setReplying(null) : undefined}
            accept={accept}
            testId="desk-composer"
          />
          </>
        ) : (
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {t('desk.composer.disabled')}
            </Text>
            <Button size="xs" variant="default" onClick={() => store.select(null)}>
              {t('desk.conversation.close')}
            </Button>
          </Group>
        )}
      </div>

      {open && (
        <>
          <FinishModal store={store} conversation={v} opened={modal === 'finish'} onClose={() => setModal(null)} />
          <CancelModal store={store} conversation={v} opened={modal === 'cancel'} onClose={() => setModal(null)} />
          <TransferModal store={store} conversation={v} opened={modal === 'transfer'} onClose={() => setModal(null)} />
        </>
      )}
    </Paper>
  );
});
