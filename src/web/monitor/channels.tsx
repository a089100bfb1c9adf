import { Group, Text, ThemeIcon, Tooltip } from '@mantine/core';
import {
  IconApi, IconBrandInstagram, IconBrandMessenger, IconBrandTelegram, IconBrandWhatsapp, IconMail, IconMessage2, IconMessageDots,
  type TablerIcon,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../contracts/common';

/** One colour per channel, the same in cards, tables and charts (legend below the charts). */
export const CHANNEL_LOOK: Record<Channel, { icon: TablerIcon; color: string; hex: string }> = {
  webchat: { icon: IconMessageDots, color: 'cyan', hex: '#1098ad' },
  whatsapp: { icon: IconBrandWhatsapp, color: 'green', hex: '#2f9e44' },
  instagram: { icon: IconBrandInstagram, color: 'grape', hex: '#ae3ec9' },
  facebook: { icon: IconBrandMessenger, color: 'blue', hex: '#1c7ed6' },
  telegram: { icon: IconBrandTelegram, color: 'indigo', hex: '#4263eb' },
  sms: { icon: IconMessage2, color: 'orange', hex: '#f76707' },
  email: { icon: IconMail, color: 'gray', hex: '#495057' },
  api: { icon: IconApi, color: 'teal', hex: '#0ca678' },
};

export const CHANNEL_ORDER: Channel[] = ['webchat', 'whatsapp', 'instagram', 'facebook', 'telegram', 'sms', 'email', 'api'];

export function ChannelIcon({ channel, size = 28 }: { channel: Channel; size?: number }) {
  const { t } = useTranslation('monitor');
  const look = CHANNEL_LOOK[channel] ?? CHANNEL_LOOK.api;
  const I = look.icon;
  const label = t(`channels.${channel}`);
  return (
    <Tooltip label={label} withArrow>
      <ThemeIcon variant="light" color={look.color} size={size} radius="xl" role="img" aria-label={label}>
        <I size={size * 0.62} stroke={1.7} />
      </ThemeIcon>
    </Tooltip>
  );
}

/** Icon and name of a channel, for table cells. */
export function ChannelLabel({ channel }: { channel: Channel }) {
  const { t } = useTranslation('monitor');
  return (
    <Group gap={6} wrap="nowrap">
      <ChannelIcon channel={channel} size={22} />
      <Text size="sm">{t(`channels.${channel}`)}</Text>
    </Group>
  );
}
