import { Button, Group, Loader, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call, searchOf, type Query } from '../api';
import { HelpTh } from '../analysis/shared';
import { ChannelLabel } from '../monitor/channels';
import { dateTime } from '../monitor/format';
import { scrollable } from './SummaryTables';
import { formatSeconds } from '../../shared/duration';

// Atendimentos OMNI: the conversations that ended in the period, latest first, a keyset page at a
// time ("Carregar mais" asks for the page after the last one shown).

const COLUMNS: [title: string, help: string][] = [
  ['Versão', 'version'], ['NrAtend', 'nrAtend'], ['EntradaFila', 'queued'], ['InicioAtd', 'start'], ['TerminoAtd', 'end'],
  ['SituacaoAtd', 'situationAtd'], ['Canal', 'channel'], ['Serviço', 'service'], ['ES', 'es'], ['Assunto', 'subject'],
  ['Descrição', 'description'], ['Origem', 'origin'], ['AutoAtd', 'bot'], ['AtdHmn', 'human'], ['Agente', 'agent'],
  ['OcorrCrm', 'crm'], ['DataOcorr', 'crmDate'], ['SituacaoOcorr', 'crmState'], ['FimOcorr', 'crmEnd'], ['T.Audio', 'audioTime'], ['T.Video', 'videoTime'],
];

export function OmniConversations({ query, timeZone, label }: { query: Query<'getIndicatorsConversations'>; timeZone: string; label: string }) {
  const { t, i18n: { language } } = useTranslation('indicators');
  const list = useInfiniteQuery({
    queryKey: ['indicators', 'conversations', searchOf(query).toString()],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => call('getIndicatorsConversations', { query: { ...query, after: pageParam || undefined } }),
    getNextPageParam: (last) => last.next,
    retry: false,
  });
  const rows = list.data?.pages.flatMap((p) => p.rows) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const time = (iso: string | null) => (iso ? dateTime(iso, timeZone, language) : '—');
  const yesNo = (b: boolean) => t(b ? 'indicators.yes' : 'indicators.no');
  if (list.isPending) return <Loader size="sm" />;
  if (list.isError) return <Text c="red" size="sm">{t('indicators.failed', { error: list.error.message })}</Text>;
  return (
    <>
      <Table.ScrollContainer minWidth={2200} scrollAreaProps={scrollable(label)}>
        <Table striped withTableBorder data-testid="indicators-conversations">
          <Table.Thead>
            <Table.Tr>{COLUMNS.map(([title, help]) => <HelpTh key={title} label={title} help={t(`indicators.help.${help}`)} />)}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.version}</Table.Td>
                <Table.Td>{r.protocol}</Table.Td>
                <Table.Td>{time(r.queuedAt)}</Table.Td>
                <Table.Td>{time(r.humanStartedAt)}</Table.Td>
                <Table.Td>{time(r.finishedAt)}</Table.Td>
                <Table.Td>{t(`analysis.states.${r.state}`, { ns: 'analysis' })}</Table.Td>
                <Table.Td><ChannelLabel channel={r.channel} /></Table.Td>
                <Table.Td>{r.serviceName}</Table.Td>
                <Table.Td>{t(`indicators.${r.direction}`)}</Table.Td>
                <Table.Td>{r.subject ?? '—'}</Table.Td>
                <Table.Td maw={280}><Text size="sm" lineClamp={2}>{r.description ?? '—'}</Text></Table.Td>
                <Table.Td>{r.origin ?? '—'}</Table.Td>
                <Table.Td>{yesNo(r.bot)}</Table.Td>
                <Table.Td>{yesNo(r.human)}</Table.Td>
                <Table.Td>{r.agentName ?? '—'}</Table.Td>
                <Table.Td>{r.protocol}</Table.Td>
                <Table.Td>{time(r.protocolAt)}</Table.Td>
                <Table.Td>{r.classificationName ?? '—'}</Table.Td>
                <Table.Td>{time(r.closedAt)}</Table.Td>
                <Table.Td>{formatSeconds(r.audioSeconds)}</Table.Td>
                <Table.Td>{formatSeconds(r.videoSeconds)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="space-between" mt="xs">
        <Text size="sm" c="dimmed" data-testid="indicators-conversations-shown">
          {t('indicators.shown', { shown: rows.length.toLocaleString(language), total: total.toLocaleString(language) })}
        </Text>
        {list.hasNextPage && (
          <Button size="xs" variant="light" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} data-testid="indicators-load-more">
            {t('indicators.loadMore')}
          </Button>
        )}
      </Group>
    </>
  );
}
