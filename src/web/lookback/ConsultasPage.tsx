import { Stack, Tabs, Title } from '@mantine/core';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { CHANNEL_FAMILIES, type ChannelFamily } from '../../contracts/channel-capabilities';
import { LookbackList } from './LookbackList';

/** Consultas (seed: OmniMonitor → Consultas): Chat, E-mail and Messaging, the tab in the URL (`?tab=`). */
export function ConsultasPage() {
  const { t } = useTranslation('lookback');
  const [params, setParams] = useSearchParams();
  const tab: ChannelFamily = (CHANNEL_FAMILIES as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as ChannelFamily) : 'chat';
  const select = (v: string | null) =>
    setParams((prev) => {
      const out = new URLSearchParams(prev);
      out.set('tab', v ?? 'chat');
      // the statuses differ per tab, and a column of one tab may not sort another
      out.delete('states');
      out.delete('sort');
      out.delete('dir');
      out.delete('serviceIds');
      return out;
    });
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">{t('lookback.consultas')}</Title>
      <Tabs value={tab} onChange={select} keepMounted={false}>
        <Tabs.List mb="sm">
          {CHANNEL_FAMILIES.map((f) => (
            <Tabs.Tab key={f} value={f} data-testid={`tab-${f}`}>{t(`lookback.tabs.${f}`)}</Tabs.Tab>
          ))}
        </Tabs.List>
        {CHANNEL_FAMILIES.map((f) => (
          <Tabs.Panel key={f} value={f}>
            <LookbackList view={f} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
