import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Button, Card, Group, Loader, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconEye, IconPlus, IconSpeakerphone } from '@tabler/icons-react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { Campaign } from '../../../contracts/campaigns';
import { useSession } from '../../auth/session';
import { useStore } from '../../monitor/actions';
import { dateTime } from '../../monitor/format';
import { campaignKeys, listCampaigns, putCampaign } from './api';
import { CampaignDrawer } from './CampaignDrawer';
import { CampaignActions, CampaignProgress, CampaignStatusBadge } from './CampaignParts';
import { NewCampaignModal } from './NewCampaignModal';

/** Every campaign's state and counts into the cache as the monitor stream pushes them (no polling). */
export function useCampaignStream(): void {
  const store = useStore();
  const qc = useQueryClient();
  useEffect(() => store.onCampaign((c) => putCampaign(qc, c)), [store, qc]);
}

/** Mensagens ativas → Campanhas: the list, live; Nova campanha; a campaign's drawer (`?campaign=`). */
export function CampaignsTab() {
  const { t, i18n } = useTranslation('analysis');
  const { settings } = useSession();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  useCampaignStream();
  const list = useInfiniteQuery({
    queryKey: campaignKeys.list,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => listCampaigns(pageParam),
    getNextPageParam: (last) => last.next,
    retry: false,
  });
  const rows = list.data?.pages.flatMap((p) => p.rows) ?? [];
  const at = (iso: string) => dateTime(iso, settings.timezone, i18n.language);
  const openId = params.get('campaign');
  const open = (id: string | null) =>
    setParams((prev) => {
      const out = new URLSearchParams(prev);
      if (id) out.set('campaign', id);
      else out.delete('campaign');
      return out;
    });

  return (
    <Stack data-testid="campaigns-tab">
      <Group justify="space-between" align="flex-start">
        <Text c="dimmed" size="sm" maw={720}>{t('analysis.campaigns.description')}</Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="campaign-new">{t('analysis.campaigns.new')}</Button>
      </Group>
      {list.isError && <Alert color="red" role="alert">{list.error.message}</Alert>}
      {list.isPending && <Group justify="center" p="md"><Loader size="sm" /></Group>}
      {list.isSuccess && rows.length === 0 && (
        <Alert color="blue" variant="light" icon={<IconSpeakerphone size={18} />} data-testid="campaigns-empty">{t('analysis.campaigns.empty')}</Alert>
      )}
      {rows.length > 0 && (
        <Card withBorder padding="sm">
          <Table.ScrollContainer minWidth={1080}>
            <Table verticalSpacing={8} highlightOnHover fz="sm" data-testid="campaigns-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('analysis.campaigns.columns.name')}</Table.Th>
                  <Table.Th>{t('analysis.campaigns.columns.template')}</Table.Th>
                  <Table.Th>{t('analysis.campaigns.columns.service')}</Table.Th>
                  <Table.Th>{t('analysis.campaigns.columns.window')}</Table.Th>
                  <Table.Th>{t('analysis.campaigns.columns.status')}</Table.Th>
                  <Table.Th>{t('analysis.campaigns.columns.progress')}</Table.Th>
                  <Table.Th>{t('analysis.campaigns.columns.created')}</Table.Th>
                  <Table.Th>{t('analysis.actions.title')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((c) => <CampaignRow key={c.id} c={c} at={at} onOpen={() => open(c.id)} />)}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.hasNextPage && (
            <Group justify="center" mt="xs"><Button size="xs" variant="light" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>{t('analysis.loadMore')}</Button></Group>
          )}
        </Card>
      )}
      <CampaignDrawer id={openId} onClose={() => open(null)} />
      <NewCampaignModal opened={creating} onClose={() => setCreating(false)} onCreated={(c) => open(c.id)} />
    </Stack>
  );
}

function CampaignRow({ c, at, onOpen }: { c: Campaign; at: (iso: string) => string; onOpen(): void }) {
  const { t } = useTranslation('analysis');
  return (
    <Table.Tr data-testid="campaign-row" data-campaign={c.id} data-name={c.name}>
      <Table.Td fw={600} miw={160}>{c.name}</Table.Td>
      <Table.Td>{c.templateName}</Table.Td>
      <Table.Td>{c.serviceName}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{t('analysis.campaigns.window', c.window)}</Table.Td>
      <Table.Td><CampaignStatusBadge status={c.status} /></Table.Td>
      <Table.Td><CampaignProgress counts={c.counts} compact /></Table.Td>
      <Table.Td>
        <Text size="sm">{c.createdByName}</Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{at(c.createdAt)}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Tooltip label={t('analysis.campaigns.actions.details')} withArrow>
            <ActionIcon variant="subtle" aria-label={`${t('analysis.campaigns.actions.details')}: ${c.name}`} onClick={onOpen} data-testid="campaign-open">
              <IconEye size={18} />
            </ActionIcon>
          </Tooltip>
          <CampaignActions campaign={c} icons />
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
