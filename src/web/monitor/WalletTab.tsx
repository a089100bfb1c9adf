import { useEffect, useMemo, type ReactNode } from 'react';
import { Alert, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconExternalLink, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { WhatsAppWallet } from '../../contracts/whatsapp';
import { ApiError, call } from '../api';
import { useSession } from '../auth/session';
import { formatDateTime } from '../ui/time';
import { useStore } from './actions';
import classes from './monitor.module.css';
import { useServices } from './useMonitor';
import { formatMoney, messagingLimit } from './wallet-format';

// Carteira WhatsApp (issue 20): the chosen WhatsApp service's wallet balance (Gupshup), the number's
// quality and its messaging limit for templates, as the last reading on the server found them; each
// new reading is pushed on the monitor stream (whatsapp.wallet.updated), no polling.

const QUALITY_COLOR = { GREEN: 'green.8', YELLOW: 'yellow.4', RED: 'red.8' } as const;
const walletKey = (serviceId: string) => ['monitor', 'wallet', serviceId] as const;

function Figure({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="sm" data-testid={testId}>
      <Text size="sm" c="dimmed">{label}</Text>
      {children}
    </Card>
  );
}

function WalletFigures({ wallet }: { wallet: WhatsAppWallet }) {
  const { t, i18n } = useTranslation('monitor');
  const { settings } = useSession();
  const lang = i18n.language;
  const limit = messagingLimit(wallet.messagingLimit);
  const limitText = limit === 'unlimited'
    ? t('monitor.wallet.unlimited')
    : limit !== null
      ? t('monitor.wallet.perDay', { count: limit, value: new Intl.NumberFormat(lang).format(limit) })
      : (wallet.messagingLimit ?? t('monitor.wallet.notInformed'));
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <Figure label={t('monitor.wallet.balance')} testId="wallet-balance">
          {wallet.provider === 'meta' ? (
            <Text size="sm" mt={4} data-testid="wallet-no-wallet">{t('monitor.wallet.noWallet')}</Text>
          ) : (
            <>
              <Text fz={28} fw={700} lh={1.2} className={classes.num} c={wallet.balance !== null && wallet.balance <= 0 ? 'red.8' : undefined} data-testid="wallet-balance-value">
                {wallet.balance === null ? '—' : formatMoney(wallet.balance, wallet.currency, lang)}
              </Text>
              {wallet.overdraftLimit !== null && wallet.overdraftLimit !== 0 && (
                <Text size="sm" c="dimmed" data-testid="wallet-overdraft">
                  {t('monitor.wallet.overdraft', { value: formatMoney(wallet.overdraftLimit, wallet.currency, lang) })}
                </Text>
              )}
            </>
          )}
        </Figure>
        <Figure label={t('monitor.wallet.quality')} testId="wallet-quality">
          {wallet.quality ? (
            <Badge size="xl" mt={6} color={QUALITY_COLOR[wallet.quality]} autoContrast data-quality={wallet.quality} data-testid="wallet-quality-value">
              {t(`monitor.wallet.qualities.${wallet.quality}`)}
            </Badge>
          ) : (
            <Text size="sm" mt={4}>{t('monitor.wallet.notInformed')}</Text>
          )}
        </Figure>
        <Figure label={t('monitor.wallet.limit')} testId="wallet-limit">
          <Text fw={700} size="lg" mt={4} data-testid="wallet-limit-value">{limitText}</Text>
        </Figure>
      </SimpleGrid>
      <Text size="sm" c="dimmed" data-testid="wallet-read-at">
        {wallet.readAt ? t('monitor.wallet.readAt', { time: formatDateTime(wallet.readAt, settings.timezone, lang) }) : t('monitor.wallet.notRead')}
      </Text>
      {wallet.error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} role="alert" data-testid="wallet-error">
          {t('monitor.wallet.failed', { time: formatDateTime(wallet.errorAt, settings.timezone, lang), error: wallet.error })}
        </Alert>
      )}
    </Stack>
  );
}

/** Início → Carteira WhatsApp. */
export function WalletTab() {
  const { t } = useTranslation('monitor');
  const { services } = useServices();
  const store = useStore();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const whatsapp = useMemo(() => services.filter((s) => s.channel === 'whatsapp'), [services]);
  const chosen = whatsapp.find((s) => s.id === params.get('service'))?.id ?? null;

  const q = useQuery({
    queryKey: walletKey(chosen ?? ''),
    queryFn: (): Promise<WhatsAppWallet> => call('getWhatsappWallet', { query: { serviceId: chosen ?? '' } }),
    enabled: chosen !== null,
    retry: false,
  });

  // each reading reaches every supervisor of the service: the screen takes it as it comes
  useEffect(() => store.onWallet((w) => qc.setQueryData(walletKey(w.serviceId), w)), [store, qc]);

  const choose = (id: string | null) => setParams((p) => {
    const next = new URLSearchParams(p);
    if (id) next.set('service', id);
    else next.delete('service');
    return next;
  }, { replace: true });

  const wallet = q.data;
  return (
    <Card withBorder radius="md" padding="md" data-testid="wallet-tab">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
          <Title order={2} size="h4">{t('monitor.wallet.title')}</Title>
          {wallet && (
            <Button
              component="a"
              href={wallet.consoleUrl}
              target="_blank"
              rel="noopener noreferrer"
              variant="light"
              rightSection={<IconExternalLink size={16} aria-hidden />}
              title={t('monitor.wallet.addHelp')}
              data-testid="wallet-add"
            >
              {t('monitor.wallet.add')}
            </Button>
          )}
        </Group>
        <Select
          label={t('monitor.wallet.service')}
          placeholder={t('monitor.wallet.choose')}
          data={whatsapp.map((s) => ({ value: s.id, label: s.name }))}
          value={chosen}
          onChange={choose}
          searchable
          clearable
          maw={420}
          nothingFoundMessage={t('monitor.wallet.noServices')}
          data-testid="wallet-service"
        />
        {chosen === null ? (
          <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} data-testid="wallet-choose">
            {whatsapp.length ? t('monitor.wallet.choose') : t('monitor.wallet.noServices')}
          </Alert>
        ) : q.isError ? (
          <Alert color={q.error instanceof ApiError && q.error.status === 422 ? 'yellow' : 'red'} variant="light" icon={<IconAlertTriangle size={18} />} role="alert" data-testid="wallet-problem">
            {q.error instanceof ApiError ? q.error.message : t('monitor.wallet.loadFailed')}
          </Alert>
        ) : wallet ? (
          <WalletFigures wallet={wallet} />
        ) : (
          <Text size="sm" c="dimmed">{t('monitor.wallet.loading')}</Text>
        )}
      </Stack>
    </Card>
  );
}
