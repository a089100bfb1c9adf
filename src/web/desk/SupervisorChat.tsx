import { useEffect, useRef, type KeyboardEvent } from 'react';
import { CloseButton, Group, Paper, Text } from '@mantine/core';
import { IconUserShield } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { Composer } from './Composer';
import classes from './desk.module.css';
import { fullDateTime, timeOfDay } from './format';
import type { DeskConversation } from './desk-state';
import type { DeskStore } from './store';

/**
 * The supervisor chat about one conversation (the customer never sees it): the supervisor's
 * messages and the agent's answers. Esc closes it.
 */
export function SupervisorChat({ store, c, meId, onClose }: { store: DeskStore; c: DeskConversation; meId: string; onClose(): void }) {
  const { t, i18n } = useTranslation('desk');
  const { settings } = useSession();
  const list = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const open = c.leftAt === null;

  useEffect(() => {
    input.current?.focus();
  }, [c.view.id]);

  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [c.whispers.length]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
  };

  return (
    <Paper withBorder radius="md" className={classes.whisperPanel} component="aside" aria-label={t('desk.supervisor.title')} onKeyDown={onKeyDown} data-testid="supervisor-chat">
      <Group justify="space-between" px="sm" py={8} wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Group gap={6} wrap="nowrap">
          <IconUserShield size={18} color="var(--mantine-color-orange-7)" aria-hidden />
          <Text fw={600} size="sm">
            {t('desk.supervisor.title')}
          </Text>
        </Group>
        <CloseButton aria-label={t('desk.supervisor.close')} onClick={onClose} />
      </Group>
      <Text size="xs" c="dimmed" px="sm" py={6}>
        {t('desk.supervisor.help')}
      </Text>
      <div ref={list} className={classes.whisperList} role="log" aria-label={t('desk.supervisor.title')} tabIndex={0}>
        {c.whispers.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" py="md">
            {t('desk.supervisor.empty')}
          </Text>
        )}
        {c.whispers.map((w) => {
          const mine = w.authorId === meId;
          return (
            <div key={w.id} className={`${classes.bubble} ${mine ? classes.whisperMine : classes.whisperTheirs}`} data-testid="whisper">
              <span className={classes.author}>{mine ? t('desk.conversation.you') : w.authorName}</span>
              {w.body}
              <span className={classes.meta}>
                <time dateTime={w.createdAt} title={fullDateTime(w.createdAt, settings.timezone, i18n.language)}>
                  {timeOfDay(w.createdAt, settings.timezone, i18n.language)}
                </time>
                {/* my answer: has a supervisor read it? (live, from whisper.updated) */}
                {mine && (
                  <span data-testid="whisper-read">
                    {' · '}
                    {w.readAt ? t('desk.supervisor.read', { time: timeOfDay(w.readAt, settings.timezone, i18n.language) }) : t('desk.supervisor.unread')}
                  </span>
                )}
              </span>
            </div>
          );
        })}
      </div>
      <div className={classes.composer}>
        <Composer
          key={c.view.id}
          ref={input}
          initial=""
          label={t('desk.supervisor.label')}
          placeholder={t('desk.supervisor.placeholder')}
          sendLabel={t('desk.supervisor.send')}
          maxLength={2000}
          disabled={!open}
          onSend={(text) => store.whisper(c.view.id, text)}
          testId="whisper-input"
        />
      </div>
    </Paper>
  );
}
