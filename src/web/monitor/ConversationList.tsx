import { useMemo, useState } from 'react';
import { ActionIcon, Badge, Button, Checkbox, Group, Modal, ScrollArea, Select, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconHistory, IconMessageCircle, IconUserPlus } from '@tabler/icons-react';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { supervisorChatOpen } from '../../shared/supervisor-chat';
import { capabilitiesOf } from '../../contracts/channel-capabilities';
import { ApiError } from '../api';
import { AllocateModal } from './AllocateModal';
import type { ConversationView } from '../../contracts/conversations';
import { useSession } from '../auth/session';
import { useActions, useStore, type ListSpec } from './actions';
import { ChannelIcon } from './channels';
import { clock, startLabel, timeOfDay, useNow } from './format';
import { queueMs, serviceMs, serviceType, whatsappWindowMs } from './live';
import { useMonitorStateWhile, useServices, useTeamNames } from './useMonitor';

/** The actions on one conversation of a list: history, supervisor chat, Alocar responsável, Retornar para grupo do serviço. */
export function RowActions({ c }: { c: ConversationView }) {
  const { t } = useTranslation('monitor');
  const actions = useActions();
  const canReturn = c.state === 'in_service' || (c.state === 'queued' && c.preferredAgentId !== null);
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      <Tooltip label={t('monitor.list.history')} withArrow>
        <ActionIcon variant="subtle" color="gray" aria-label={t('monitor.list.history')} onClick={() => actions.openConversation(c.id)} data-testid="row-history">
          <IconHistory size={18} />
        </ActionIcon>
      </Tooltip>
      {supervisorChatOpen(c) && (
        <Tooltip label={t('monitor.list.chat')} withArrow>
          <ActionIcon variant="subtle" color="orange" aria-label={t('monitor.list.chat')} onClick={() => actions.openConversation(c.id, true)} data-testid="row-chat">
            <IconMessageCircle size={18} />
          </ActionIcon>
        </Tooltip>
      )}
      {c.state === 'queued' && (
        <Tooltip label={t('monitor.list.allocate')} withArrow>
          <ActionIcon variant="subtle" color="cyan" aria-label={t('monitor.list.allocate')} onClick={() => actions.allocate(c)} data-testid="row-allocate">
            <IconUserPlus size={18} />
          </ActionIcon>
        </Tooltip>
      )}
      {canReturn && (
        <Tooltip label={t('monitor.list.returnToGroup')} withArrow>
          <ActionIcon variant="subtle" color="gray" aria-label={t('monitor.list.returnToGroup')} onClick={() => actions.returnToGroup(c)} data-testid="row-return">
            <IconArrowBackUp size={18} />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}

/** A queued e-mail ("Em espera"): a list selects these for Alocar responsável or their return, many at once. */
const isWaitingEmail = (c: ConversationView) => c.state === 'queued' && capabilitiesOf(c.channel).workload === 'email';

/** Time left in the WhatsApp 24-hour window, red in its last hour. */
export function WindowCell({ c, now }: { c: ConversationView; now: number }) {
  const { t } = useTranslation('monitor');
  const left = whatsappWindowMs(c, now);
  if (left === null) return <Text size="sm" c="dimmed">—</Text>;
  if (left <= 0) return <Badge color="red" variant="light">{t('monitor.list.windowClosed')}</Badge>;
  return (
    <Text size="sm" ff="monospace" c={left < 3600_000 ? 'red' : left < 4 * 3600_000 ? 'orange' : undefined} data-testid="wa-window">
      {clock(left)}
    </Text>
  );
}

/**
 * The detail list behind a count (seed 1): Grupo/Agente, Tipo Serviço, Serviço, Número Atendimento,
 * Cliente, Início Atendimento, Duração (min), Tempo Fila, plus the WhatsApp window; live and ticking.
 */
export function ConversationListModal({ spec, onClose }: { spec: ListSpec | null; onClose(): void }) {
  const { t, i18n } = useTranslation('monitor');
  const { settings } = useSession();
  const store = useStore();
  const state = useMonitorStateWhile(store, spec !== null);
  const { services, byId } = useServices();
  const phone = useMediaQuery('(max-width: 36em)');
  const teamNames = useTeamNames();
  const now = useNow(1000);
  const [serviceId, setServiceId] = useState<string | null>(spec?.serviceId ?? null);
  const [specSeen, setSpecSeen] = useState(spec);
  // Alocar responsável / Retornar para grupo do serviço for a selection of queued e-mails ("Em espera")
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [allocating, setAllocating] = useState<ConversationView[] | null>(null);
  const [returning, setReturning] = useState(false);
  if (spec !== specSeen) {
    setSpecSeen(spec);
    setServiceId(spec?.serviceId ?? null);
    setSelected(new Set());
  }
  const tz = settings.timezone;
  const lang = i18n.language;
  const rows = spec ? spec.select(state, now, serviceId) : [];
  const hasWhatsapp = rows.some((c) => c.channel === 'whatsapp');
  const variant = spec?.variant ?? 'position';
  const waitingEmails = rows.filter(isWaitingEmail);
  const chosen = waitingEmails.filter((c) => selected.has(c.id));
  // returning unpins an allocated e-mail (as the row's action offers it): the others stay as they are
  const returnable = chosen.filter((c) => c.preferredAgentId !== null);
  const toggle = (id: string, on: boolean) => setSelected((prev) => {
    const next = new Set(prev);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  });
  const returnChosen = async () => {
    setReturning(true);
    try {
      await store.returnManyToQueue(returnable.map((c) => c.id));
      notifications.show({ color: 'teal', message: t('monitor.list.returnedMany', { count: returnable.length }) });
      setSelected(new Set());
    } catch (err) {
      notifications.show({ color: 'red', message: err instanceof ApiError ? err.message : String(err) });
    } finally {
      setReturning(false);
    }
  };

  const serviceOptions = useMemo(
    () => services.map((s) => ({ value: s.id, label: `${s.name} · ${t(`channels.${s.channel}`)}` })),
    [services, t],
  );

  const agentOrGroup = (c: ConversationView) => {
    if (c.agentId) return state.agents.get(c.agentId)?.name ?? '—';
    const s = byId.get(c.serviceId);
    const group = (s?.teamIds ?? []).map((id) => teamNames.get(id)).filter(Boolean).join(', ');
    return group || s?.name || '—';
  };

  const startCell = (c: ConversationView) => {
    if (c.state === 'in_service' && c.assignedAt) return startLabel(c.assignedAt, tz, lang, now);
    if (c.state === 'bot') return t('monitor.list.inBot');
    return t('monitor.list.waitingService');
  };

  return (
    <Modal fullScreen={phone} opened={spec !== null} onClose={onClose} title={<Text fw={700}>{spec?.title}</Text>} size="min(1200px, 96vw)" data-testid="conversation-list">
      <Group justify="space-between" mb="sm" wrap="wrap" gap="sm">
        <Select
          label={t('monitor.list.serviceFilter')}
          placeholder={t('monitor.filters.allServices')}
          data={serviceOptions}
          value={serviceId}
          onChange={setServiceId}
          clearable
          searchable
          w={320}
          comboboxProps={{ zIndex: 400 }}
          data-testid="list-service-filter"
        />
        <Text size="sm" c="dimmed" data-testid="list-count">{t('monitor.list.count', { count: rows.length })}</Text>
      </Group>
      {waitingEmails.length > 0 && (
        <Group gap="sm" mb="sm" wrap="wrap" data-testid="email-selection">
          <Text size="sm" data-testid="email-selected">{t('monitor.list.selectedEmails', { count: chosen.length })}</Text>
          <Button size="xs" leftSection={<IconUserPlus size={16} />} disabled={!chosen.length} onClick={() => setAllocating(chosen)} data-testid="allocate-selected">
            {t('monitor.list.allocateSelected')}
          </Button>
          <Button size="xs" variant="default" leftSection={<IconArrowBackUp size={16} />} disabled={!returnable.length} loading={returning} onClick={() => void returnChosen()} data-testid="return-selected">
            {t('monitor.list.returnSelected')}
          </Button>
        </Group>
      )}
      <AllocateModal c={allocating} onClose={() => setAllocating(null)} onDone={() => setSelected(new Set())} />
      <ScrollArea.Autosize mah="65vh" type="auto">
        <Table striped highlightOnHover stickyHeader verticalSpacing={6} fz="sm" miw={900} data-testid="list-table">
          <Table.Thead>
            <Table.Tr>
              {waitingEmails.length > 0 && (
                <Table.Th w={36}>
                  <Checkbox
                    aria-label={t('monitor.list.selectAllEmails')}
                    checked={chosen.length === waitingEmails.length}
                    indeterminate={chosen.length > 0 && chosen.length < waitingEmails.length}
                    onChange={(e) => setSelected(new Set(e.currentTarget.checked ? waitingEmails.map((c) => c.id) : []))}
                    data-testid="select-all-emails"
                  />
                </Table.Th>
              )}
              <Table.Th>{variant === 'services' ? t('monitor.list.agent') : t('monitor.list.group')}</Table.Th>
              <Table.Th>{t('monitor.list.serviceType')}</Table.Th>
              {variant !== 'services' && <Table.Th>{t('monitor.list.service')}</Table.Th>}
              <Table.Th>{t('monitor.list.protocol')}</Table.Th>
              <Table.Th>{t('monitor.list.customer')}</Table.Th>
              {variant === 'interaction' ? (
                <>
                  <Table.Th>{t('monitor.list.lastMessage')}</Table.Th>
                  <Table.Th>{t('monitor.list.lastFrom')}</Table.Th>
                </>
              ) : (
                <>
                  <Table.Th>{variant === 'services' ? t('monitor.list.startShort') : t('monitor.list.start')}</Table.Th>
                  <Table.Th ta="right">{variant === 'services' ? t('monitor.list.durationShort') : t('monitor.list.duration')}</Table.Th>
                  <Table.Th ta="right">{variant === 'services' ? t('monitor.list.queueTimeLong') : t('monitor.list.queueTime')}</Table.Th>
                </>
              )}
              {hasWhatsapp && (
                <Table.Th>
                  <Tooltip label={t('monitor.list.windowHelp')} multiline w={280} withArrow>
                    <span style={{ textDecoration: 'underline dotted' }}>{t('monitor.list.window')}</span>
                  </Tooltip>
                </Table.Th>
              )}
              <Table.Th ta="right">{t('monitor.list.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => {
              const svc = byId.get(c.serviceId);
              const q = queueMs(c, now);
              const d = serviceMs(c, now);
              return (
                <Table.Tr key={c.id} data-testid="list-row" data-protocol={c.protocol}>
                  {waitingEmails.length > 0 && (
                    <Table.Td>
                      {isWaitingEmail(c) && (
                        <Checkbox
                          aria-label={t('monitor.list.selectEmail', { protocol: c.protocol })}
                          checked={selected.has(c.id)}
                          onChange={(e) => toggle(c.id, e.currentTarget.checked)}
                          data-testid="select-email"
                        />
                      )}
                    </Table.Td>
                  )}
                  <Table.Td>
                    <Text size="sm">{agentOrGroup(c)}</Text>
                    {c.state === 'queued' && c.preferredAgentId && (
                      <Badge size="xs" variant="light" color="cyan">
                        {t('monitor.list.allocated', { name: state.agents.get(c.preferredAgentId)?.name ?? '—' })}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <ChannelIcon channel={c.channel} size={22} />
                      <Text size="sm">{t(`monitor.types.${serviceType(c.channel)}`)}</Text>
                    </Group>
                  </Table.Td>
                  {variant !== 'services' && <Table.Td>{svc?.name ?? '—'}</Table.Td>}
                  <Table.Td ff="monospace">{c.protocol}</Table.Td>
                  <Table.Td>{c.contactName || <Text span c="dimmed" size="sm">{t('monitor.list.unknownCustomer')}</Text>}</Table.Td>
                  {variant === 'interaction' ? (
                    <>
                      <Table.Td>
                        {c.lastMessageAt ? (
                          <Text size="sm">
                            {timeOfDay(c.lastMessageAt, tz, lang)} <Text span c="dimmed" size="xs">({clock(now - Date.parse(c.lastMessageAt))})</Text>
                          </Text>
                        ) : '—'}
                      </Table.Td>
                      <Table.Td>{c.lastMessageFrom ? t(`monitor.list.from.${c.lastMessageFrom}`) : '—'}</Table.Td>
                    </>
                  ) : (
                    <>
                      <Table.Td>{startCell(c)}</Table.Td>
                      <Table.Td ta="right" ff="monospace">{d === null ? '—' : clock(d)}</Table.Td>
                      <Table.Td ta="right" ff="monospace">{q === null ? '—' : clock(q)}</Table.Td>
                    </>
                  )}
                  {hasWhatsapp && (
                    <Table.Td>
                      <WindowCell c={c} now={now} />
                    </Table.Td>
                  )}
                  <Table.Td>
                    <RowActions c={c} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {rows.length === 0 && (
          <Text c="dimmed" ta="center" py="lg" data-testid="list-empty">{t('monitor.list.empty')}</Text>
        )}
      </ScrollArea.Autosize>
    </Modal>
  );
}
