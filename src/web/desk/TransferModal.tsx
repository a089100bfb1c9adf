import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Center, Group, Loader, Modal, Radio, ScrollArea, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AgentView, ConversationView } from '../../contracts/conversations';
import { call } from '../api';
import { errorText } from './format';
import type { DeskStore } from './store';

const STATE_COLOR: Record<AgentView['state'], string> = { offline: 'gray', available: 'green', paused: 'yellow', in_service: 'blue' };

/** Transferir: to another agent of the service's teams, or to another service's queue on the same channel. */
export function TransferModal({ store, conversation, opened, onClose }: { store: DeskStore; conversation: ConversationView; opened: boolean; onClose(): void }) {
  const { t } = useTranslation('desk');
  const [tab, setTab] = useState<'agent' | 'service'>('agent');
  const [agentId, setAgentId] = useState<string | null>(null);
  const [serviceId, setServiceId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const targets = useQuery({
    queryKey: ['desk', 'transfer-targets', conversation.id],
    queryFn: () => call('getConversationsByIdTransferTargets', { params: { id: conversation.id } }),
    enabled: opened,
    // who is free changes by the minute: ask again each time the modal opens
    staleTime: 0,
    gcTime: 60_000,
  });

  const close = () => {
    setError(null);
    setAgentId(null);
    setServiceId(null);
    onClose();
  };

  const target = tab === 'agent' ? agentId : serviceId;

  async function submit() {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      await store.transfer(conversation.id, tab === 'agent' ? { toAgentId: target } : { toServiceId: target });
      notifications.show({ message: t('desk.transfer.done'), color: 'green', autoClose: 2500 });
      close();
    } catch (err) {
      setError(errorText(t, err));
      if (tab === 'agent') void targets.refetch();
    } finally {
      setBusy(false);
    }
  }

  const body = (content: ReactNode) =>
    targets.isLoading ? (
      <Center py="lg">
        <Group gap="xs">
          <Loader size="sm" />
          <Text size="sm" c="dimmed">
            {t('desk.transfer.loading')}
          </Text>
        </Group>
      </Center>
    ) : targets.isError ? (
      <Alert color="red">{errorText(t, targets.error)}</Alert>
    ) : (
      content
    );

  const agents = targets.data?.agents ?? [];
  const services = targets.data?.services ?? [];
  return (
    <Modal opened={opened} onClose={close} title={t('desk.transfer.title')} centered size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Tabs value={tab} onChange={(v) => setTab(v === 'service' ? 'service' : 'agent')} keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="agent">{t('desk.transfer.toAgent')}</Tabs.Tab>
              <Tabs.Tab value="service">{t('desk.transfer.toService')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="agent" pt="sm">
              {body(
                agents.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('desk.transfer.noAgents')}
                  </Text>
                ) : (
                  <Radio.Group value={agentId} onChange={setAgentId} label={t('desk.transfer.agentsLabel')} description={t('desk.transfer.unavailable')}>
                    <ScrollArea.Autosize mah={320} mt="xs">
                      <Stack gap={6}>
                        {agents.map((a) => {
                          const can = a.state === 'available' || a.state === 'in_service';
                          return (
                            <Radio.Card key={a.id} value={a.id} disabled={!can} p="xs" radius="md" data-testid="transfer-agent">
                              <Group wrap="nowrap" gap="sm">
                                <Radio.Indicator disabled={!can} />
                                <Text size="sm" fw={500} style={{ flex: 1 }} c={can ? undefined : 'dimmed'}>
                                  {a.name}
                                </Text>
                                <Badge variant="dot" color={STATE_COLOR[a.state]} styles={{ root: { textTransform: 'none' } }}>
                                  {t(`desk.agentState.${a.state}`)}
                                </Badge>
                                <Text size="xs" c="dimmed" w={70} ta="right">
                                  {t('desk.transfer.open', { count: a.open })}
                                </Text>
                              </Group>
                            </Radio.Card>
                          );
                        })}
                      </Stack>
                    </ScrollArea.Autosize>
                  </Radio.Group>
                ),
              )}
            </Tabs.Panel>
            <Tabs.Panel value="service" pt="sm">
              {body(
                services.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('desk.transfer.noServices')}
                  </Text>
                ) : (
                  <Radio.Group value={serviceId} onChange={setServiceId} label={t('desk.transfer.servicesLabel')} description={t('desk.transfer.serviceHelp')}>
                    <ScrollArea.Autosize mah={320} mt="xs">
                      <Stack gap={6}>
                        {services.map((s) => (
                          <Radio.Card key={s.id} value={s.id} p="xs" radius="md" data-testid="transfer-service">
                            <Group wrap="nowrap" gap="sm">
                              <Radio.Indicator />
                              <Text size="sm" fw={500}>
                                {s.name}
                              </Text>
                            </Group>
                          </Radio.Card>
                        ))}
                      </Stack>
                    </ScrollArea.Autosize>
                  </Radio.Group>
                ),
              )}
            </Tabs.Panel>
          </Tabs>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              {t('desk.cancel.keep')}
            </Button>
            <Button type="submit" loading={busy} disabled={!target}>
              {t('desk.transfer.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
