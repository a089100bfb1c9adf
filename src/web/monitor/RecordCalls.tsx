import { Group, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ConversationView } from '../../contracts/conversations';
import { CALL_FAILURE_TEXT } from '../../shared/calls';
import { call } from '../api';
import { dateTime, seconds } from './format';

type Lang = 'pt-BR' | 'en';

/**
 * The Ficha de Atendimento's calls (issue 19): each WebChat call of the conversation with who
 * called, when it rang, was answered and ended, who ended it, how it went and its answered time;
 * and the conversation's T.Audio and T.Video as Consultas and Atendimentos OMNI give them. Read
 * again when the conversation changes (a call's end writes its line to the history).
 */
export function RecordCalls({ view, timeZone }: { view: ConversationView; timeZone: string }) {
  const { t, i18n } = useTranslation('monitor');
  const lang: Lang = i18n.language === 'en' ? 'en' : 'pt-BR';
  const calls = useQuery({
    queryKey: ['conversation-calls', view.id, view.state, view.lastMessageAt],
    queryFn: () => call('getConversationsByIdCalls', { params: { id: view.id } }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const list = calls.data?.calls ?? [];
  // calls are WebChat's: elsewhere the section shows only when there is something to show
  if (view.channel !== 'webchat' && list.length === 0) return null;
  const at = (iso: string | null) => (iso ? dateTime(iso, timeZone, lang) : '—');
  const outcome = (c: (typeof list)[number]) => {
    if (c.state === 'failed') {
      const why = c.failure ? CALL_FAILURE_TEXT[c.failure][lang] : null;
      return why ? t('monitor.record.calls.failedWhy', { why }) : t('monitor.record.calls.state.failed');
    }
    return t(`monitor.record.calls.state.${c.state}`);
  };
  const party = (p: 'agent' | 'customer' | 'system' | null, agentName: string | null) =>
    p === 'agent' ? (agentName ?? t('monitor.record.by.agent')) : p ? t(`monitor.record.calls.party.${p}`) : '—';

  return (
    <div data-testid="record-calls" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
      <Group justify="space-between" mt="sm" mb={4}>
        <Text size="sm" fw={600}>{t('monitor.record.calls.title')}</Text>
        <Group gap="md">
          <Text size="xs" data-testid="record-calls-audio" title={t('monitor.record.calls.audioHelp')}>
            T.Audio <b>{calls.data?.audioSeconds === null || !calls.data ? '—' : seconds(calls.data.audioSeconds)}</b>
          </Text>
          <Text size="xs" data-testid="record-calls-video" title={t('monitor.record.calls.videoHelp')}>
            T.Video <b>{calls.data?.videoSeconds === null || !calls.data ? '—' : seconds(calls.data.videoSeconds)}</b>
          </Text>
        </Group>
      </Group>
      {calls.isError ? (
        <Text size="sm" c="red">{t('monitor.record.calls.failedToLoad')}</Text>
      ) : calls.data && list.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="record-calls-empty">{t('monitor.record.calls.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped withTableBorder fz="xs" aria-label={t('monitor.record.calls.title')}>
            <Table.Thead>
              <Table.Tr>
                {(['kind', 'caller', 'rang', 'answered', 'ended', 'endedBy', 'outcome', 'duration'] as const).map((c) => (
                  <Table.Th key={c} ta={c === 'duration' ? 'right' : undefined}>{t(`monitor.record.calls.col.${c}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((c) => (
                <Table.Tr key={c.id} data-testid="record-call">
                  {/* a call that carried video at any time is a video call, as its history line says (shared/calls.ts) */}
                  <Table.Td>{t(c.kind === 'video' || c.videoSeconds > 0 ? 'monitor.record.calls.video' : 'monitor.record.calls.audio')}</Table.Td>
                  <Table.Td>{party(c.caller, c.agentName)}</Table.Td>
                  <Table.Td>{at(c.ringAt)}</Table.Td>
                  <Table.Td>{at(c.answeredAt)}</Table.Td>
                  <Table.Td>{at(c.endedAt)}</Table.Td>
                  <Table.Td>{party(c.endedBy, c.agentName)}</Table.Td>
                  <Table.Td>{outcome(c)}</Table.Td>
                  <Table.Td ta="right">{c.answeredAt ? seconds(c.audioSeconds + c.videoSeconds) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </div>
  );
}
