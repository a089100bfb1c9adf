import { useEffect, useRef, useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Drawer, Group, Loader, Select, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconMessages } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { RECIPIENT_STATUSES, type Campaign, type Recipient, type RecipientStatus } from '../../../contracts/campaigns';
import { searchOf } from '../../api';
import { useSession } from '../../auth/session';
import { ExportButtons } from '../../lookback/ExportButtons';
import { useStore } from '../../monitor/actions';
import { dateTime } from '../../monitor/format';
import { useConversationOpener } from '../ConversationActions';
import { Missing } from '../shared';
import { campaignKeys, getCampaign, listRecipients } from './api';
import { CampaignActions, CampaignProgress, CampaignStatusBadge } from './CampaignParts';

const RECIPIENT_COLOR: Record<RecipientStatus, string> = { queued: 'gray', sent: 'blue', delivered: 'cyan', read: 'indigo', failed: 'red', answered: 'teal', skipped: 'orange' };

/** A campaign's page: its state, counts and actions (live), and its recipients by status, in keyset pages, with the export. */
export function CampaignDrawer({ id, onClose }: { id: string | null; onClose(): void }) {
  const { t } = useTranslation('analysis');
  const q = useQuery({ queryKey: campaignKeys.one(id ?? ''), queryFn: () => getCampaign(id!), enabled: !!id, retry: false });
  return (
    <Drawer opened={!!id} onClose={onClose} position="right" size="min(1100px, 100%)" title={<Text fw={700}>{q.data?.name ?? ''}</Text>} data-testid="campaign-drawer">
      {q.isPending && <Group justify="center" p="md"><Loader size="sm" /></Group>}
      {q.isError && <Alert color="red" role="alert">{q.error.message}</Alert>}
      {q.data && id && <CampaignDetail c={q.data} />}
      {!q.data && !q.isPending && !q.isError && <Text c="dimmed">{t('analysis.campaigns.recipients.empty')}</Text>}
    </Drawer>
  );
}

function CampaignDetail({ c }: { c: Campaign }) {
  const { t, i18n } = useTranslation('analysis');
  const { settings } = useSession();
  const at = (iso: string) => dateTime(iso, settings.timezone, i18n.language);
  return (
    <Stack data-testid="campaign-detail" data-campaign={c.id}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Group gap="xs"><CampaignStatusBadge status={c.status} /><Text size="sm">{c.templateName} · {c.serviceName}</Text></Group>
          <Text size="xs" c="dimmed">
            {t('analysis.campaigns.columns.window')}: {t('analysis.campaigns.window', c.window)} · {t('analysis.campaigns.startsAt', { at: at(c.startAt) })} · {t('analysis.campaigns.rate', { rate: c.ratePerSecond.toLocaleString(i18n.language) })}
          </Text>
          <Text size="xs" c="dimmed">{t('analysis.campaigns.createdBy', { name: c.createdByName, at: at(c.createdAt) })}</Text>
        </Stack>
        <CampaignActions campaign={c} />
      </Group>
      <CampaignProgress counts={c.counts} />
      <Recipients c={c} />
    </Stack>
  );
}

/** The reason a row was skipped or failed, as the server wrote it in the screen's language. */
function ReasonText({ r }: { r: Recipient }) {
  if (!r.reason) return <Text span c="dimmed" size="sm">—</Text>;
  return <Text span size="sm" c={r.status === 'failed' ? 'red' : 'orange'} data-testid="recipient-reason">{r.reason}</Text>;
}

function Recipients({ c }: { c: Campaign }) {
  const { t, i18n } = useTranslation('analysis');
  const { settings } = useSession();
  const qc = useQueryClient();
  const store = useStore();
  const opener = useConversationOpener();
  const [status, setStatus] = useState<RecipientStatus | null>(null);
  const key = [...campaignKeys.recipients(c.id), status] as const;
  const list = useInfiniteQuery({
    queryKey: key,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => listRecipients(c.id, status, pageParam),
    getNextPageParam: (last) => last.next,
    retry: false,
  });
  // the rows move between statuses as the campaign goes: read them again when its counts are pushed,
  // at most every 2 s (the stream says when, nothing polls)
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const off = store.onCampaign((x) => {
      if (x.id !== c.id || timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        last.current = Date.now();
        void qc.invalidateQueries({ queryKey: campaignKeys.recipients(c.id) });
      }, Math.max(0, last.current + 2000 - Date.now()));
    });
    return () => {
      off();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [store, qc, c.id]);
  const rows = list.data?.pages.flatMap((p) => p.rows) ?? [];
  const total = list.data?.pages[0]?.total;
  const at = (iso: string | null) => (iso ? dateTime(iso, settings.timezone, i18n.language) : null);
  const lastUpdate = (r: Recipient) => at(r.answeredAt ?? r.readAt ?? r.deliveredAt ?? r.sentAt);

  return (
    <Stack gap="xs">
      <Title order={2} size="h4">{t('analysis.campaigns.recipients.title')}</Title>
      <Group justify="space-between" align="flex-end">
        <Group align="flex-end">
          <Select
            label={t('analysis.campaigns.recipients.status')}
            placeholder={t('analysis.campaigns.recipients.all')}
            data={RECIPIENT_STATUSES.map((s) => ({ value: s, label: `${t(`analysis.campaigns.recipientStatus.${s}`)} (${c.counts[s].toLocaleString(i18n.language)})` }))}
            value={status}
            onChange={(v) => setStatus(v as RecipientStatus | null)}
            clearable
            w={{ base: '100%', xs: 240 }}
            comboboxProps={{ withinPortal: true, zIndex: 400 }}
            data-testid="recipient-status"
          />
          {total !== undefined && <Badge variant="light" style={{ textTransform: 'none' }} data-testid="recipients-total">{t('analysis.campaigns.recipients.count', { count: total, n: total.toLocaleString(i18n.language) })}</Badge>}
        </Group>
        <ExportButtons path={`/api/campaigns/${c.id}/recipients`} query={searchOf({ status: status ?? undefined })} />
      </Group>
      {list.isError && <Alert color="red" role="alert">{list.error.message}</Alert>}
      {list.isPending && <Group justify="center" p="md"><Loader size="sm" /></Group>}
      {list.isSuccess && rows.length === 0 && <Text c="dimmed" size="sm" data-testid="recipients-empty">{t('analysis.campaigns.recipients.empty')}</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table verticalSpacing={6} fz="sm" highlightOnHover data-testid="recipients-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>{t('analysis.campaigns.recipients.line')}</Table.Th>
                <Table.Th>{t('analysis.campaigns.recipients.phone')}</Table.Th>
                <Table.Th>{t('analysis.campaigns.recipients.name')}</Table.Th>
                <Table.Th>{t('analysis.campaigns.recipients.parameters')}</Table.Th>
                <Table.Th>{t('analysis.campaigns.recipients.status')}</Table.Th>
                <Table.Th>{t('analysis.campaigns.recipients.reason')}</Table.Th>
                <Table.Th>{t('analysis.campaigns.recipients.lastUpdate')}</Table.Th>
                <Table.Th w={60}>{t('analysis.actions.title')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id} data-testid="recipient-row" data-line={r.line} data-status={r.status}>
                  <Table.Td>{r.line}</Table.Td>
                  <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>{r.phone}</Table.Td>
                  <Table.Td>{r.name ?? <Text span c="dimmed" size="sm">—</Text>}</Table.Td>
                  <Table.Td>{r.parameters.join(' · ') || <Text span c="dimmed" size="sm">—</Text>}</Table.Td>
                  <Table.Td><Badge variant="light" color={RECIPIENT_COLOR[r.status]} style={{ textTransform: 'none' }}>{t(`analysis.campaigns.recipientStatus.${r.status}`)}</Badge></Table.Td>
                  <Table.Td><ReasonText r={r} /></Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{lastUpdate(r) ?? <Text span c="dimmed" size="sm">—</Text>}</Table.Td>
                  <Table.Td>
                    {r.conversationId ? (
                      <Tooltip label={t('analysis.campaigns.recipients.conversation')} withArrow>
                        <ActionIcon variant="subtle" aria-label={t('analysis.campaigns.recipients.conversation')} onClick={() => opener.conversation(r.conversationId!)} data-testid="recipient-conversation">
                          <IconMessages size={18} />
                        </ActionIcon>
                      </Tooltip>
                    ) : <Missing why={t('analysis.campaigns.recipients.noConversation')} />}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.hasNextPage && (
        <Group justify="center"><Button size="xs" variant="light" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} data-testid="recipients-more">{t('analysis.loadMore')}</Button></Group>
      )}
    </Stack>
  );
}
