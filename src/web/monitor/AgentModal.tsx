import { Group, Modal, ScrollArea, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { useStore } from './actions';
import { ChannelIcon } from './channels';
import { RowActions } from './ConversationList';
import { clock, startLabel, useNow } from './format';
import { sinceOf } from './live';
import { useMonitorStateWhile, useServices } from './useMonitor';

/**
 * An agent in service, clicked on the Agentes tab: each open conversation with its start time,
 * customer name and number (protocol), service, and the history and chat buttons (seed 1).
 */
export function AgentModal({ agentId, onClose }: { agentId: string | null; onClose(): void }) {
  const { t, i18n } = useTranslation('monitor');
  const { settings } = useSession();
  const store = useStore();
  const phone = useMediaQuery('(max-width: 36em)');
  const state = useMonitorStateWhile(store, agentId !== null);
  const { byId } = useServices();
  const now = useNow(1000);
  const agent = agentId ? state.agents.get(agentId) : undefined;
  const rows = agentId
    ? [...state.conversations.values()].filter((c) => c.agentId === agentId && c.state === 'in_service').sort((a, b) => sinceOf(a).localeCompare(sinceOf(b)))
    : [];

  return (
    <Modal
      fullScreen={phone}
      opened={agentId !== null}
      onClose={onClose}
      size="min(980px, 96vw)"
      title={<Text fw={700}>{t('monitor.agents.conversationsOf', { name: agent?.name ?? '' })}</Text>}
      data-testid="agent-modal"
    >
      <ScrollArea.Autosize mah="65vh" type="auto">
        <Table striped highlightOnHover verticalSpacing={6} fz="sm" miw={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('monitor.list.startShort')}</Table.Th>
              <Table.Th>{t('monitor.list.customer')}</Table.Th>
              <Table.Th>{t('monitor.list.service')}</Table.Th>
              <Table.Th ta="right">{t('monitor.list.durationShort')}</Table.Th>
              <Table.Th ta="right">{t('monitor.list.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Table.Tr key={c.id} data-testid="agent-conversation" data-protocol={c.protocol}>
                <Table.Td>{c.assignedAt ? startLabel(c.assignedAt, settings.timezone, i18n.language, now) : '—'}</Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>{c.contactName || t('monitor.list.unknownCustomer')}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">{c.protocol}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <ChannelIcon channel={c.channel} size={22} />
                    <Text size="sm">{byId.get(c.serviceId)?.name ?? '—'}</Text>
                  </Group>
                </Table.Td>
                <Table.Td ta="right" ff="monospace">{c.assignedAt ? clock(now - Date.parse(c.assignedAt)) : '—'}</Table.Td>
                <Table.Td>
                  <RowActions c={c} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {rows.length === 0 && <Text c="dimmed" ta="center" py="lg">{t('monitor.agents.noConversations')}</Text>}
      </ScrollArea.Autosize>
    </Modal>
  );
}
