import { useState } from 'react';
import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { ConversationView } from '../../contracts/conversations';
import { ApiError } from '../api';
import { useStore } from './actions';
import { useMonitorStateWhile, useServices } from './useMonitor';

/** Alocar responsável: a queued conversation goes first to the chosen agent of its service's departments. */
export function AllocateModal({ c, onClose }: { c: ConversationView | null; onClose(): void }) {
  const { t } = useTranslation('monitor');
  const store = useStore();
  const [agentId, setAgentId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [forId, setForId] = useState<string | null>(null);
  if ((c?.id ?? null) !== forId) {
    setForId(c?.id ?? null);
    setAgentId(null);
    setError(null);
  }
  const state = useMonitorStateWhile(store, c !== null);
  const { byId } = useServices();
  // the agents of the service's departments, as the stream shows them now (state and open conversations)
  const teams = new Set(c ? (byId.get(c.serviceId)?.teamIds ?? []) : []);
  const agents = [...state.agents.values()]
    .filter((a) => a.teamIds.some((id) => teams.has(id)))
    .map((a) => ({ id: a.id, name: a.name, state: a.state, open: a.openChat + a.openEmail }))
    .sort((a, b) => Number(a.state === 'offline') - Number(b.state === 'offline') || a.name.localeCompare(b.name));

  const confirm = async () => {
    if (!c || !agentId) return;
    setBusy(true);
    setError(null);
    try {
      await store.assign(c.id, agentId);
      notifications.show({ color: 'teal', message: t('monitor.list.allocatedOk', { name: agents.find((a) => a.id === agentId)?.name ?? '' }) });
      onClose();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={c !== null} onClose={onClose} title={<Text fw={700}>{t('monitor.allocate.title')}</Text>} zIndex={300} data-testid="allocate-modal">
      <Stack>
        <Text size="sm" c="dimmed">{t('monitor.allocate.help')}</Text>
        {c && <Text size="sm">{c.protocol} · {c.contactName ?? t('monitor.list.unknownCustomer')}</Text>}
        {agents.length === 0 ? (
          <Alert color="gray" variant="light">{t('monitor.allocate.none')}</Alert>
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
          />
        )}
        {error && <Alert color="red" variant="light">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={() => void confirm()} disabled={!agentId} loading={busy}>{t('monitor.allocate.confirm')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
