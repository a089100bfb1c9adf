import { ThemeIcon, Tooltip } from '@mantine/core';
import {
  IconApi, IconBrandInstagram, IconBrandMessenger, IconBrandTelegram, IconBrandWhatsapp, IconMail, IconMessageDots,
  IconMessage2, type TablerIcon,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../contracts/common';

const ICONS: Record<Channel, { icon: TablerIcon; color: string }> = {
  webchat: { icon: IconMessageDots, color: 'cyan' },
  whatsapp: { icon: IconBrandWhatsapp, color: 'green' },
  instagram: { icon: IconBrandInstagram, color: 'grape' },
  facebook: { icon: IconBrandMessenger, color: 'blue' },
  telegram: { icon: IconBrandTelegram, color: 'indigo' },
  sms: { icon: IconMessage2, color: 'orange' },
  email: { icon: IconMail, color: 'gray' },
  api: { icon: IconApi, color: 'dark' },
};

/** The channel's icon, named for screen readers and in a tooltip. */
export function ChannelIcon({ channel, size = 32 }: { channel: Channel; size?: number }) {
  const { t } = useTranslation('desk');
  const { icon: I, color } = ICONS[channel] ?? ICONS.api;
  const label = t(`channels.${channel}`);
  return (
    <Tooltip label={label} withArrow>
      <ThemeIcon variant="light" color={color} size={size} radius="xl" role="img" aria-label={label}>
        <I size={size * 0.6} stroke={1.7} />
      </ThemeIcon>
    </Tooltip>
  );
}
