import { ActionIcon, Badge, Button, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlayerPause, IconPlayerPlay, IconX } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Campaign, CampaignCounts } from '../../../contracts/campaigns';
import { useConfirm } from '../../admin/bot-flow/confirm';
import { act, actionsFor, putCampaign, type CampaignAction } from './api';
import { processed, progressOf } from './campaign-form';

const STATUS_COLOR: Record<Campaign['status'], string> = { scheduled: 'gray', running: 'blue', paused: 'yellow', finished: 'teal', cancelled: 'orange' };

export function CampaignStatusBadge({ status }: { status: Campaign['status'] }) {
  const { t } = useTranslation('analysis');
  return (
    <Badge variant="light" color={STATUS_COLOR[status]} style={{ textTransform: 'none' }} data-testid="campaign-status" data-status={status}>
      {t(`analysis.campaigns.status.${status}`)}
    </Badge>
  );
}

/** The counts in the order a campaign goes through them, each with its word. */
const COUNT_ORDER = ['queued', 'sent', 'delivered', 'read', 'failed', 'answered', 'skipped'] as const satisfies readonly (keyof CampaignCounts)[];
const COUNT_COLOR: Record<(typeof COUNT_ORDER)[number], string | undefined> = {
  queued: 'dimmed', sent: undefined, delivered: undefined, read: undefined, failed: 'red', answered: 'teal', skipped: 'orange',
};

/** The progress bar (rows no longer queued over the total) and the counts, as pushed. */
export function CampaignProgress({ counts, compact = false }: { counts: CampaignCounts; compact?: boolean }) {
  const { t, i18n } = useTranslation('analysis');
  const n = (v: number) => v.toLocaleString(i18n.language);
  const fraction = progressOf(counts);
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
  const label = t('analysis.campaigns.progressLabel', { done: n(processed(counts)), total: n(counts.total), percent });
  return (
    <Stack gap={4} miw={compact ? 220 : undefined} data-testid="campaign-progress" data-total={counts.total} data-queued={counts.queued}>
      <Progress value={fraction * 100} size={compact ? 'sm' : 'md'} aria-label={label} color={counts.failed > 0 ? 'blue' : 'teal'} />
      <Text size="xs" c="dimmed">{label}</Text>
      <Group gap={compact ? 6 : 'sm'} wrap="wrap" data-testid="campaign-counts" title={t('analysis.campaigns.countsHint')}>
        {COUNT_ORDER.map((k) => (
          <Text key={k} size="xs" span c={COUNT_COLOR[k]} data-count={k} data-value={counts[k]} style={{ whiteSpace: 'nowrap' }}>
            {t(`analysis.campaigns.counts.${k}`)}: <b>{n(counts[k])}</b>
          </Text>
        ))}
      </Group>
      {!compact && <Text size="xs" c="dimmed">{t('analysis.campaigns.countsHint')}</Text>}
    </Stack>
  );
}

const ICON: Record<CampaignAction, typeof IconX> = { pause: IconPlayerPause, resume: IconPlayerPlay, cancel: IconX };

/**
 * Pausar / Retomar / Cancelar, each after a confirmation; the answer goes into the cache at once, the
 * stream keeps it current. `icons`: as the list's Ações column shows them (icons with their word in a tooltip).
 */
export function CampaignActions({ campaign, icons = false }: { campaign: Campaign; icons?: boolean }) {
  const { t } = useTranslation('analysis');
  const qc = useQueryClient();
  const confirm = useConfirm();
  const run = useMutation({
    mutationFn: (action: CampaignAction) => act(campaign.id, action),
    onSuccess: (c, action) => {
      putCampaign(qc, c);
      notifications.show({ message: t(`analysis.campaigns.actions.done.${action}`), color: 'teal' });
    },
    onError: (err) => {
      notifications.show({ message: t('analysis.campaigns.actions.failed', { error: err.message }), color: 'red', autoClose: 10_000 });
    },
  });
  const actions = actionsFor(campaign.status);
  if (actions.length === 0) return null;
  const ask = (action: CampaignAction) =>
    confirm.ask({
      title: t(`analysis.campaigns.actions.${action}Title`),
      message: t(`analysis.campaigns.actions.${action}Message`, { name: campaign.name }),
      confirm: t(`analysis.campaigns.actions.${action}`),
      cancel: t('analysis.campaigns.actions.keep'),
      danger: action === 'cancel',
      onConfirm: () => run.mutate(action),
    });
  return (
    <Group gap={4} wrap="nowrap">
      {actions.map((action) => {
        const Icon = ICON[action];
        const label = t(`analysis.campaigns.actions.${action}`);
        const common = {
          color: action === 'cancel' ? 'red' : undefined,
          loading: run.isPending && run.variables === action,
          disabled: run.isPending,
          onClick: () => ask(action),
          'data-testid': `campaign-${action}`,
        };
        return icons ? (
          <Tooltip key={action} label={label} withArrow>
            <ActionIcon variant="subtle" aria-label={`${label}: ${campaign.name}`} {...common}><Icon size={18} /></ActionIcon>
          </Tooltip>
        ) : (
          <Button key={action} size="sm" variant="light" leftSection={<Icon size={14} />} {...common}>{label}</Button>
        );
      })}
      {confirm.element}
    </Group>
  );
}
