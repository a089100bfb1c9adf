import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConversationView } from '../../contracts/conversations';
import { isOpenState } from '../../shared/states';
import { useSession } from '../auth/session';
import { useWrapupFields } from '../desk/useDesk';
import { clock, dateTime, useNow } from './format';
import { RecordCalls } from './RecordCalls';
import { useClassificationsById } from './useMonitor';

function Item({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="sm" fw={500}>{children}</Text>
    </div>
  );
}


/**
 * "Ficha de Atendimento" (seed 1, Consultas): the conversation's times as the seed's consultation lists
 * give them (bot, queue, human service), who finished it and the wrap-up the agent filled on Concluir
 * (classification, the service's fields, notes), and its WebChat calls (RecordCalls).
 */
export function ConversationRecord({ view, agentName }: { view: ConversationView; agentName: string }) {
  const { t, i18n } = useTranslation('monitor');
  const { settings } = useSession();
  const tz = settings.timezone;
  const lang = i18n.language;
  const open = isOpenState(view.state);
  const now = useNow(open ? 1000 : 3_600_000);
  const classifications = useClassificationsById();
  const fields = useWrapupFields(view.serviceId);
  const at = (iso: string | null) => (iso ? dateTime(iso, tz, lang) : '—');
  const span = (from: string | null, to: string | null) => (from ? clock((to ? Date.parse(to) : now) - Date.parse(from)) : '—');

  const classification = view.classificationId ? classifications.get(view.classificationId) : undefined;
  const labels = new Map((fields.data ?? []).map((f) => [f.key, f]));
  // in the order of the service's fields (the stored object has none), then any field since removed
  const given = view.wrapup ?? {};
  const order = [...(fields.data ?? [])].sort((a, b) => a.position - b.position).map((f) => f.key);
  const answers = [...order.filter((k) => Object.hasOwn(given, k)), ...Object.keys(given).filter((k) => !labels.has(k))].map((k) => [k, given[k]] as const);
  const shown = (v: unknown) => (typeof v === 'boolean' ? (v ? t('monitor.record.yes') : t('monitor.record.no')) : String(v));

  return (
    <Paper withBorder radius="md" p="sm" mb="sm" data-testid="conversation-record" aria-label={t('monitor.record.title')}>
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">{t('monitor.record.title')}</Text>
        <Badge variant="light" color={open ? 'blue' : view.state === 'completed' ? 'teal' : 'gray'}>{t(`monitor.chat.state.${view.state}`)}</Badge>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" verticalSpacing={6}>
        {view.botStartedAt && <Item label={t('monitor.record.botStart')}>{at(view.botStartedAt)}</Item>}
        {view.botStartedAt && <Item label={t('monitor.record.botEnd')}>{at(view.botEndedAt)}</Item>}
        <Item label={t('monitor.record.queued')}>{at(view.firstQueuedAt)}</Item>
        <Item label={t('monitor.record.humanStart')}>{at(view.firstAssignedAt)}</Item>
        <Item label={t('monitor.record.humanEnd')}>{view.firstAssignedAt ? at(view.finishedAt) : '—'}</Item>
        <Item label={t('monitor.record.queueTime')}>{view.queuedAt ? span(view.queuedAt, view.assignedAt ?? view.finishedAt) : '—'}</Item>
        <Item label={t('monitor.record.serviceTime')}>{view.assignedAt ? span(view.assignedAt, view.finishedAt) : '—'}</Item>
        <Item label={t('monitor.record.agent')}>{agentName || '—'}</Item>
        <Item label={t('monitor.record.transfers')}>{view.transferCount}</Item>
        {view.finishedAt && <Item label={t('monitor.record.finishedBy')} testId="record-finished-by">{t(`monitor.record.by.${view.finishedBy ?? 'system'}`)}</Item>}
      </SimpleGrid>
      <RecordCalls view={view} timeZone={tz} />
      {!open && (
        <Stack gap={6} mt="sm" pt="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
          <Item label={t('monitor.record.classification')} testId="record-classification">
            {classification ? `${classification.name} (${classification.code})` : view.classificationId ? '…' : t('monitor.record.none')}
          </Item>
          {answers.length > 0 && (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing={6}>
              {answers.map(([key, value]) => (
                <Item key={key} label={labels.get(key)?.label ?? key} testId="record-field">{shown(value)}</Item>
              ))}
            </SimpleGrid>
          )}
          <Item label={t('monitor.record.notes')} testId="record-notes">
            <span style={{ whiteSpace: 'pre-wrap', fontWeight: view.notes ? 500 : 400 }}>{view.notes || t('monitor.record.none')}</span>
          </Item>
        </Stack>
      )}
    </Paper>
  );
}
