import { Badge, Group, Paper, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconUserShield } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AgentView } from '../../contracts/conversations';
import { useSession } from '../auth/session';
import { ChannelIcon } from './ChannelIcon';
import classes from './desk.module.css';
import { formatElapsed, since, useNow } from './format';
import { unreadMessages, unreadWhispers, type DeskConversation } from './desk-state';

interface Props {
  conversations: DeskConversation[];
  selectedId: string | null;
  meId: string;
  serviceNames: Map<string, string>;
  agentState: AgentView['state'];
  onSelect(id: string): void;
}

/** The agent's open conversations: who, where, for how long, and what is unread. */
export function ConversationList({ conversations, selectedId, meId, serviceNames, agentState, onSelect }: Props) {
  const { t } = useTranslation('desk');
  const now = useNow(1000);
  const empty =
    agentState === 'offline' ? t('desk.list.emptyOffline') : agentState === 'paused' ? t('desk.list.emptyPaused') : agentState === 'available' ? t('desk.list.emptyAvailable') : t('desk.list.empty');

  return (
    <Paper withBorder radius="md" className={classes.listCol} component="nav" aria-label={t('desk.list.label')}>
      <Group justify="space-between" px="sm" py={8} style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Text fw={600} size="sm">
          {t('desk.list.title')}
        </Text>
        <Badge variant="light" color="gray" aria-hidden>
          {conversations.length}
        </Badge>
      </Group>
      <div className={classes.listScroll}>
        {conversations.length === 0 ? (
          <Text size="sm" c="dimmed" p="md" ta="center" data-testid="desk-empty">
            {empty}
          </Text>
        ) : (
          <ul className={classes.listItems} data-testid="desk-list">
            {conversations.map((c) => (
              <li key={c.view.id}>
                <Row c={c} now={now} selected={c.view.id === selectedId} meId={meId} serviceName={serviceNames.get(c.view.serviceId)} onSelect={onSelect} />
              </li>
            ))}
          </ul>
        )}
      </div>
      {conversations.length > 1 && (
        <Text size="xs" c="dimmed" px="sm" py={6} visibleFrom="md" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
          {t('desk.list.keyboardHint')}
        </Text>
      )}
    </Paper>
  );
}

function Row({ c, now, selected, meId, serviceName, onSelect }: { c: DeskConversation; now: number; selected: boolean; meId: string; serviceName?: string; onSelect(id: string): void }) {
  const { t } = useTranslation('desk');
  const { settings } = useSession();
  const v = c.view;
  const unread = unreadMessages(c);
  const whispers = unreadWhispers(c, meId);
  const waiting = v.lastMessageFrom === 'customer';
  const elapsed = waiting ? since(v.lastCustomerMessageAt, now) : since(v.assignedAt ?? v.createdAt, now);
  const time = formatElapsed(elapsed);
  const timeLabel = waiting ? t('desk.list.waiting', { time }) : t('desk.list.inService', { time });
  // waiting for an answer: yellow after a minute, red past the "no interaction" parameter
  const color = !waiting ? 'dimmed' : elapsed > settings.noInteractionMinutes * 60_000 ? 'red.7' : elapsed > 60_000 ? 'orange.8' : 'teal.8';
  const name = v.contactName || t('desk.list.unknownCustomer');

  return (
    <button
      type="button"
      className={`${classes.row} ${unread ? classes.unread : ''}`}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(v.id)}
      data-testid="desk-conversation"
      data-conversation-id={v.id}
    >
      <ChannelIcon channel={v.channel} size={34} />
      <div className={classes.rowMain}>
        <Group gap={6} wrap="nowrap" justify="space-between">
          <Text size="sm" className={classes.name} title={name}>
            {name}
          </Text>
          <Text size="xs" ff="monospace" c={color} fw={waiting ? 600 : 400} title={timeLabel} style={{ flex: 'none' }} aria-hidden>
            {time}
          </Text>
        </Group>
        <Group gap={6} wrap="nowrap" justify="space-between" mt={2}>
          <Text size="xs" c="dimmed" className={classes.name}>
            {serviceName ?? t(`channels.${v.channel}`)}
          </Text>
          <Group gap={4} wrap="nowrap" style={{ flex: 'none' }}>
            {whispers > 0 && (
              <Tooltip label={t('desk.list.supervisorWrote')} withArrow>
                <Badge color="orange" size="sm" variant="filled" px={4} data-testid="whisper-mark" className={classes.lit} aria-hidden>
                  <IconUserShield size={12} style={{ display: 'block' }} />
                </Badge>
              </Tooltip>
            )}
            {unread > 0 && (
              <Badge color="red" size="sm" variant="filled" circle={unread < 10} data-testid="unread-mark" aria-hidden>
                {unread}
              </Badge>
            )}
          </Group>
        </Group>
        <VisuallyHidden>
          {[timeLabel, unread > 0 ? t('desk.list.unread', { count: unread }) : '', whispers > 0 ? t('desk.list.supervisorWrote') : ''].filter(Boolean).join('. ')}
        </VisuallyHidden>
      </div>
    </button>
  );
}
