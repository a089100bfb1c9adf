import { useMemo, useState } from 'react';
import { Button, Checkbox, Group, Paper, Select, Switch, Text, Tooltip } from '@mantine/core';
import { IconEraser, IconRefresh, IconVolume, IconVolumeOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../contracts/common';
import { DateField } from '../ui/DateField';
import { CHANNEL_ORDER } from './channels';
import type { LiveFilter, ServiceInfo } from './live';
import { useSilenced } from './useMonitor';

const same = (a: LiveFilter, b: LiveFilter) =>
  a.serviceId === b.serviceId && a.channel === b.channel && a.date === b.date && a.allQueued === b.allQueued;

/**
 * The filters on top of Início (seed 1): Silenciar takes effect at once; Serviço, Canal, Período and
 * Todos em Fila apply with Recarregar; Limpar brings back the defaults.
 */
export function Filters({ applied, defaults, services, onApply }: { applied: LiveFilter; defaults: LiveFilter; services: ServiceInfo[]; onApply(f: LiveFilter): void }) {
  const { t } = useTranslation('monitor');
  const [silenced, setSilenced] = useSilenced();
  const [draft, setDraft] = useState(applied);
  const [seen, setSeen] = useState(applied);
  if (seen !== applied) {
    setSeen(applied);
    setDraft(applied);
  }
  const pending = !same(draft, applied);

  const channels = useMemo(() => CHANNEL_ORDER.filter((c) => services.some((s) => s.channel === c)), [services]);
  const serviceOptions = useMemo(
    () => services.filter((s) => s.active && (!draft.channel || s.channel === draft.channel)).map((s) => ({ value: s.id, label: s.name })),
    [services, draft.channel],
  );

  const setChannel = (channel: Channel | null) => {
    const svc = services.find((s) => s.id === draft.serviceId);
    // a service of another channel no longer fits
    setDraft({ ...draft, channel, serviceId: channel && svc && svc.channel !== channel ? null : draft.serviceId });
  };

  return (
    <Paper withBorder radius="md" p="sm" data-testid="monitor-filters">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Tooltip label={t('monitor.filters.silenceHelp')} withArrow>
          <Switch
            label={t('monitor.filters.silence')}
            checked={silenced}
            onChange={(e) => setSilenced(e.currentTarget.checked)}
            thumbIcon={silenced ? <IconVolumeOff size={10} /> : <IconVolume size={10} />}
            mb={8}
            data-testid="filter-silence"
          />
        </Tooltip>
        <Select
          label={t('monitor.filters.service')}
          placeholder={t('monitor.filters.allServices')}
          data={[{ value: '', label: t('monitor.filters.allServices') }, ...serviceOptions]}
          value={draft.serviceId ?? ''}
          onChange={(v) => {
            const svc = services.find((s) => s.id === v);
            setDraft({ ...draft, serviceId: v || null, channel: svc ? svc.channel : draft.channel });
          }}
          searchable
          allowDeselect={false}
          w={210}
          data-testid="filter-service"
        />
        <Select
          label={t('monitor.filters.channel')}
          data={[{ value: '', label: t('monitor.filters.allChannels') }, ...channels.map((c) => ({ value: c, label: t(`channels.${c}`) }))]}
          value={draft.channel ?? ''}
          onChange={(v) => setChannel((v || null) as Channel | null)}
          allowDeselect={false}
          w={170}
          data-testid="filter-channel"
        />
        <DateField
          label={t('monitor.filters.period')}
          value={draft.date}
          onChange={(date) => setDraft({ ...draft, date: date || defaults.date })}
          w={150}
          data-testid="filter-period"
        />
        <Tooltip label={t('monitor.filters.allQueuedHelp')} withArrow multiline w={280}>
          <Checkbox
            label={t('monitor.filters.allQueued')}
            checked={draft.allQueued}
            onChange={(e) => setDraft({ ...draft, allQueued: e.currentTarget.checked })}
            mb={8}
            data-testid="filter-all-queued"
          />
        </Tooltip>
        <Group gap="xs" mb={2}>
          <Button leftSection={<IconRefresh size={16} />} onClick={() => onApply(draft)} variant={pending ? 'filled' : 'light'} data-testid="filter-reload">
            {t('monitor.filters.reload')}
          </Button>
          <Button
            leftSection={<IconEraser size={16} />}
            variant="default"
            onClick={() => {
              setDraft(defaults);
              onApply(defaults);
            }}
            data-testid="filter-clear"
          >
            {t('monitor.filters.clear')}
          </Button>
        </Group>
        {pending && <Text size="xs" c="cyan.8" mb={10}>{t('monitor.filters.pending')}</Text>}
      </Group>
    </Paper>
  );
}
