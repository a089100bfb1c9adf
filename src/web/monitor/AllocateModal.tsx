import { useState } from 'react';
import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { ConversationView } from '../../contracts/conversations';
import { ApiError } from '../api';
import { useStore } from './actions';
import { useMonitorStateWhile, useServices } from './useMonitor';

/** What the modal reads of a conversation: the monitor's view or a Consultas row both have it. */
export type Allocatable = Pick<ConversationView, 'id' | 'serviceId' | 'protocol' | 'contactName'>;

/** The server's refusal of a selection, the conversations it names by id shown by their protocol (Nr.Ocorr). */
export const refusalOf = (err: unknown, list: readonly Pick<Allocatable, 'id' | 'protocol'>[]) =>
  list.reduce((msg, x) => msg.split(x.id).join(x.protocol), err instanceof ApiError ? err.message : String(err));

/**
 * Alocar responsável: queued conversations (one, or a selection of e-mails) go first to the chosen
 * agent; the agent field lists the agents of the departments of every selected conversation's service.
 * Início's lists and Consultas → E-mail open it.
 */
export function AllocateModal({ c, onClose, onDone }: { c: Allocatable | Allocatable[] | null; onClose(): void; onDone?(): void }) {
  const { t } = useTranslation('monitor');
  const store = useStore();
  const list = c === null ? [] : Array.isArray(c) ? c : [c];
  const opened = list.length > 0;
  const key = list.map((x) => x.id).join(',');
  const [agentId, setAgentId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [forKey, setForKey] = useState('');
  if (key !== forKey) {
    setForKey(key);
    setAgentId(null);
    setError(null);
  }
  const state = useMonitorStateWhile(store, opened);
  const { byId } = useServices();
  // the agents in a department of each selected conversation's service, as the stream shows them now
  const teamSets = [...new Set(list.map((x) => x.serviceId))].map((id) => new Set(byId.get(id)?.teamIds ?? []));
  const agents = opened
    ? [...state.agents.values()]
        .filter((a) => teamSets.every((teams) => a.teamIds.some((id) => teams.has(id))))
        .map((a) => ({ id: a.id, name: a.name, state: a.state, open: a.openChat + a.openEmail }))
        .sort((a, b) => Number(a.state === 'offline') - Number(b.state === 'offline') || a.name.localeCompare(b.name))
    : [];

  const confirm = async () => {
    if (!opened || !agentId) return;
    setBusy(true);
    setError(null);
    try {
      const name = agents.find((a) => a.id === agentId)?.name ?? '';
      if (list.length === 1) await store.assign(list[0].id, agentId);
      else await store.assignMany(list.map((x) => x.id), agentId);
      notifications.show({ color: 'teal', message: list.length === 1 ? t('monitor.list.allocatedOk', { name }) : t('monitor.allocate.allocatedMany', { count: list.length, name }) });
      onDone?.();
      onClose();
    } catch (err) {
      setError(refusalOf(err, list));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>{t('monitor.allocate.title')}</Text>} zIndex={300} data-testid="allocate-modal">
      <Stack>
        <Text size="sm" c="dimmed">{t('monitor.allocate.help')}</Text>
        {list.length === 1 && <Text size="sm">{list[0].protocol} · {list[0].contactName ?? t('monitor.list.unknownCustomer')}</Text>}
        {list.length > 1 && <Text size="sm" data-testid="allocate-count">{t('monitor.allocate.many', { count: list.length })}</Text>}
        {agents.length === 0 ? (
          <Alert color="gray" variant="light">{list.length > 1 ? t('monitor.allocate.noneForAll') : t('monitor.allocate.none')}</Alert>
        ) : (
          <Select
            label={t('monitor.allocate.agent')}
            data={agents.map((a) => ({
              value: a.id,
              label: `${a.name} — ${t(`monitor.allocate.states.${a.state}`)} · ${t('monitor.allocate.open', { count: a.open })}`,
            }))}
            value={agentId}
            onChange={setAgentId}
            searchable
            comboboxProps={{ zIndex: 400 }}
            data-autofocus
            data-testid="allocate-agent"
          />
        )}
        {error && <Alert color="red" variant="light" data-testid="allocate-error">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={() => void confirm()} disabled={!agentId} loading={busy} data-testid="allocate-confirm">{t('monitor.allocate.confirm')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
