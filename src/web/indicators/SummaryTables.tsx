import { Table } from '@mantine/core';
import type { Channel } from '../../contracts/common';
import { useTranslation } from 'react-i18next';
import { STATUS_CHANNEL_COLUMNS, type IndicatorsReport, type StatusChannelColumn, type SummaryTable as Summary } from '../../contracts/indicators';
import { HelpTh } from '../analysis/shared';
import { ChannelLabel } from '../monitor/channels';
import { dateTime, seconds } from '../monitor/format';

// The five tables of Indicadores that come whole with GET /api/indicators, with the seed's column
// titles and each definition in the title's tooltip.

/** A table wider than the screen scrolls sideways: its viewport takes the keyboard's focus, named by the table's title. */
export const scrollable = (label: string) => ({ viewportProps: { tabIndex: 0, role: 'region', 'aria-label': label } });

const num = (n: number, lang: string, digits = 0) => n.toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Resumo por Serviço, por Canal, Produtividade de Agentes: Nome, QtdAtend, PctQtd, DurTotal, DurMedia, DurMaxim, TMídia and a total line. */
export function SummaryTable({ table, kind, testId, label }: { table: Summary; kind: 'service' | 'channel' | 'agent'; testId: string; label: string }) {
  const { t, i18n: { language } } = useTranslation('indicators');
  const timeNote = ` ${t('indicators.help.agentTime')}`;
  return (
    <Table.ScrollContainer minWidth={640} scrollAreaProps={scrollable(label)}>
      <Table striped withTableBorder data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <HelpTh label="Nome" help={t(kind === 'service' ? 'indicators.help.nameService' : kind === 'channel' ? 'indicators.help.nameChannel' : 'indicators.help.nameAgent')} />
            <HelpTh label="QtdAtend" help={t('indicators.help.count')} ta="right" />
            <HelpTh label="PctQtd" help={t('indicators.help.pct')} ta="right" />
            <HelpTh label="DurTotal" help={t('indicators.help.durTotal') + timeNote} ta="right" />
            <HelpTh label="DurMedia" help={t('indicators.help.durMedia') + timeNote} ta="right" />
            <HelpTh label="DurMaxim" help={t('indicators.help.durMaxim') + timeNote} ta="right" />
            <HelpTh label="TMídia" help={t('indicators.help.media')} ta="right" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{kind === 'channel' ? <ChannelLabel channel={r.key as Channel} /> : r.name}</Table.Td>
              <Table.Td ta="right">{num(r.count, language)}</Table.Td>
              <Table.Td ta="right">{num(r.pct, language, 2)}%</Table.Td>
              <Table.Td ta="right">{seconds(r.totalSeconds)}</Table.Td>
              <Table.Td ta="right">{seconds(r.meanSeconds)}</Table.Td>
              <Table.Td ta="right">{seconds(r.maxSeconds)}</Table.Td>
              <Table.Td ta="right" data-testid="media-seconds">{seconds(r.mediaSeconds)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr fw={700}>
            <Table.Td>{t('indicators.total')}</Table.Td>
            <Table.Td ta="right">{num(table.total.count, language)}</Table.Td>
            <Table.Td ta="right">{table.total.count ? `${num(100, language, 2)}%` : '—'}</Table.Td>
            <Table.Td ta="right">{seconds(table.total.totalSeconds)}</Table.Td>
            <Table.Td ta="right">{seconds(table.total.meanSeconds)}</Table.Td>
            <Table.Td ta="right">{seconds(table.total.maxSeconds)}</Table.Td>
            <Table.Td ta="right">{seconds(table.total.mediaSeconds)}</Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}

const STATUS_TITLES: Record<StatusChannelColumn, string> = {
  webchat: 'Webchat', email: 'Email', facebook: 'Facebook', instagram: 'Instagram', sms: 'SMS', voice: 'Voz', whatsapp: 'WhatsApp', other: 'Outros',
};

/** Resumo por Status: ES, Situação, Pct, TotalSit and one column per channel (Voz always 0, Outros = Telegram and API). */
export function StatusTable({ status, label }: { status: IndicatorsReport['byStatus']; label: string }) {
  const { t, i18n: { language } } = useTranslation('indicators');
  const channelHelp = (c: StatusChannelColumn) =>
    c === 'voice' ? t('indicators.help.voice') : c === 'other' ? t('indicators.help.others') : t('indicators.help.channelCol', { channel: STATUS_TITLES[c] });
  return (
    <Table.ScrollContainer minWidth={900} scrollAreaProps={scrollable(label)}>
      <Table striped withTableBorder data-testid="indicators-byStatus">
        <Table.Thead>
          <Table.Tr>
            <HelpTh label="ES" help={t('indicators.help.es')} />
            <HelpTh label="Situação" help={t('indicators.help.situation')} />
            <HelpTh label="Pct" help={t('indicators.help.pctStatus')} ta="right" />
            <HelpTh label="TotalSit" help={t('indicators.help.totalSit')} ta="right" />
            {STATUS_CHANNEL_COLUMNS.map((c) => <HelpTh key={c} label={STATUS_TITLES[c]} help={channelHelp(c)} ta="right" />)}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {status.rows.map((r) => (
            <Table.Tr key={`${r.direction}:${r.state}`}>
              <Table.Td>{t(`indicators.${r.direction}`)}</Table.Td>
              <Table.Td>{t(`analysis.states.${r.state}`, { ns: 'analysis' })}</Table.Td>
              <Table.Td ta="right">{num(r.pct, language, 2)}%</Table.Td>
              <Table.Td ta="right">{num(r.count, language)}</Table.Td>
              {STATUS_CHANNEL_COLUMNS.map((c) => <Table.Td key={c} ta="right">{num(r.channels[c], language)}</Table.Td>)}
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr fw={700}>
            <Table.Td colSpan={3}>{t('indicators.total')}</Table.Td>
            <Table.Td ta="right">{num(status.total, language)}</Table.Td>
            {STATUS_CHANNEL_COLUMNS.map((c) => <Table.Td key={c} ta="right">{num(status.rows.reduce((a, r) => a + r.channels[c], 0), language)}</Table.Td>)}
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Resumo do dia: Tipo, CampanhaServico, Canal, SitOpe, Observacao, Ultimo, Qtd. */
export function DaySummaryTable({ rows, timeZone, label }: { rows: IndicatorsReport['daySummary']; timeZone: string; label: string }) {
  const { t, i18n: { language } } = useTranslation('indicators');
  return (
    <Table.ScrollContainer minWidth={760} scrollAreaProps={scrollable(label)}>
      <Table striped withTableBorder data-testid="indicators-daySummary">
        <Table.Thead>
          <Table.Tr>
            <HelpTh label="Tipo" help={t('indicators.help.kind')} />
            <HelpTh label="CampanhaServico" help={t('indicators.help.campaign')} />
            <HelpTh label="Canal" help={t('indicators.help.channel')} />
            <HelpTh label="SitOpe" help={t('indicators.help.sitOpe')} />
            <HelpTh label="Observacao" help={t('indicators.help.observation')} />
            <HelpTh label="Ultimo" help={t('indicators.help.last')} />
            <HelpTh label="Qtd" help={t('indicators.help.qtd')} ta="right" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={[r.direction, r.serviceId, r.channel, r.state, r.classificationName].join('/')}>
              <Table.Td>{t(r.direction === 'inbound' ? 'indicators.receptive' : 'indicators.active')}</Table.Td>
              <Table.Td>{r.serviceName}</Table.Td>
              <Table.Td><ChannelLabel channel={r.channel} /></Table.Td>
              <Table.Td>{t(`analysis.states.${r.state}`, { ns: 'analysis' })}</Table.Td>
              <Table.Td>{r.classificationName ?? '—'}</Table.Td>
              <Table.Td>{dateTime(r.lastFinishedAt, timeZone, language)}</Table.Td>
              <Table.Td ta="right">{num(r.count, language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
