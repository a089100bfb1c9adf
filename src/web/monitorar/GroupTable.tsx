import { ActionIcon, Badge, ScrollArea, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconMessageCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MonitorarRow, MonitorarView } from '../../contracts/monitor';
import { useSession } from '../auth/session';
import { useActions } from '../monitor/actions';
import { ChannelLabel } from '../monitor/channels';
import { clock, startLabel, timeOfDay, useNow } from '../monitor/format';
import { durationMs, handleMs, queueMs, ticking } from './rows';

const STATE_COLOR: Record<string, string> = {
  triage: 'grape', bot: 'violet', queued: 'orange', in_service: 'blue', completed: 'teal', cancelled: 'gray', abandoned: 'red',
  customer_gave_up: 'red', connection_lost: 'yellow', inactive_in_service: 'yellow', discarded: 'gray',
};

/** A dash that says why there is nothing to show. */
function Dash({ why }: { why: string }) {
  return (
    <Tooltip label={why} multiline w={260} withArrow>
      <Text span c="dimmed" size="sm" tabIndex={0} aria-label={why} data-testid="dash">—</Text>
    </Tooltip>
  );
}

/** A column head with its definition on hover. */
function Head({ label, help, right }: { label: string; help?: string; right?: boolean }) {
  return (
    <Table.Th ta={right ? 'right' : undefined}>
      {help ? (
        <Tooltip label={help} multiline w={260} withArrow>
          <span style={{ textDecoration: 'underline dotted' }}>{label}</span>
        </Tooltip>
      ) : label}
    </Table.Th>
  );
}

/**
 * One group's conversations with the seed's columns: Código, Canal, Cliente, Agente, Início, Duração,
 * ÚltMsg, Assunto, Serviço, Situação (Detalhes: Código, T.Fila, T.Atd, UltMsg, Canal, Cliente, Agente,
 * Assunto), and the balloon that opens the conversation. Open conversations' times tick.
 */
export function GroupTable({ view, rows }: { view: MonitorarView; rows: MonitorarRow[] }) {
  const { t, i18n } = useTranslation('monitorar');
  const { settings } = useSession();
  const actions = useActions();
  const now = useNow(1000);
  const tz = settings.timezone;
  const lang = i18n.language;
  const details = view === 'channel';
  const c = (k: string) => t(`monitorar.cols.${k}`);
  const h = (k: string) => t(`monitorar.help.${k}`);

  const code = (r: MonitorarRow) => <Table.Td ff="monospace">{r.protocol}</Table.Td>;
  const customer = (r: MonitorarRow) => (
    <Table.Td>{r.contactName || <Text span c="dimmed" size="sm">{t('monitorar.unknownCustomer')}</Text>}</Table.Td>
  );
  const agent = (r: MonitorarRow) => <Table.Td>{r.agentName ?? <Dash why={t('monitorar.noHandle')} />}</Table.Td>;
  const last = (r: MonitorarRow) => (
    <Table.Td>{r.lastMessageAt ? <time dateTime={r.lastMessageAt}>{timeOfDay(r.lastMessageAt, tz, lang)}</time> : <Dash why={t('monitorar.noMessage')} />}</Table.Td>
  );
  const subject = (r: MonitorarRow) => (
    <Table.Td maw={220}>
      {r.subject ? <Text size="sm" truncate="end" title={r.subject}>{r.subject}</Text> : <Dash why={t('monitorar.noSubject')} />}
    </Table.Td>
  );
  const duration = (ms: number | null, why: string, r: MonitorarRow) => (
    <Table.Td ta="right" ff="monospace" data-ticking={ticking(r) || undefined}>{ms === null ? <Dash why={why} /> : clock(ms)}</Table.Td>
  );
  const balloon = (r: MonitorarRow) => {
    const chat = r.state === 'in_service';
    const label = chat ? t('monitorar.openChat') : t('monitorar.openConversation');
    return (
      <Table.Td ta="right">
        <Tooltip label={label} withArrow>
          <ActionIcon variant="subtle" color={chat ? 'orange' : 'gray'} aria-label={label} onClick={() => actions.openConversation(r.id, chat)} data-testid="row-balloon">
            <IconMessageCircle size={18} />
          </ActionIcon>
        </Tooltip>
      </Table.Td>
    );
  };

  return (
    <ScrollArea type="auto">
      <Table striped highlightOnHover verticalSpacing={6} fz="sm" miw={details ? 860 : 1040} data-testid="monitorar-table">
        <Table.Thead>
          <Table.Tr>
            <Head label={c('code')} help={h('code')} />
            {details ? (
              <>
                <Head label={c('queueTime')} help={h('queueTime')} right />
                <Head label={c('handleTime')} help={h('handleTime')} right />
                <Head label={c('lastMessage')} help={h('lastMessage')} />
                <Head label={c('channel')} />
                <Head label={c('customer')} />
                <Head label={c('agent')} />
                <Head label={c('subject')} help={h('subject')} />
              </>
            ) : (
              <>
                <Head label={c('channel')} />
                <Head label={c('customer')} />
                <Head label={c('agent')} />
                <Head label={c('start')} help={h('start')} />
                <Head label={c('duration')} help={h('duration')} right />
                <Head label={c('lastMessage')} help={h('lastMessage')} />
                <Head label={c('subject')} help={h('subject')} />
                <Head label={c('service')} />
                <Head label={c('state')} />
              </>
            )}
            <Table.Th ta="right"><VisuallyHidden>{c('open')}</VisuallyHidden></Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id} data-testid="monitorar-row" data-protocol={r.protocol} data-state={r.state}>
              {code(r)}
              {details ? (
                <>
                  {duration(queueMs(r, now), t('monitorar.neverQueued'), r)}
                  {duration(handleMs(r, now), t('monitorar.noHandle'), r)}
                  {last(r)}
                  <Table.Td><ChannelLabel channel={r.channel} /></Table.Td>
                  {customer(r)}
                  {agent(r)}
                  {subject(r)}
                </>
              ) : (
                <>
                  <Table.Td><ChannelLabel channel={r.channel} /></Table.Td>
                  {customer(r)}
                  {agent(r)}
                  <Table.Td><time dateTime={r.createdAt}>{startLabel(r.createdAt, tz, lang, now)}</time></Table.Td>
                  {duration(durationMs(r, now), '', r)}
                  {last(r)}
                  {subject(r)}
                  <Table.Td>{r.serviceName || <Dash why={t('monitorar.unknownService')} />}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATE_COLOR[r.state] ?? 'gray'} size="sm">{t(`monitor.chat.state.${r.state}`, { ns: 'monitor' })}</Badge>
                  </Table.Td>
                </>
              )}
              {balloon(r)}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
