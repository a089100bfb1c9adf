import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LookbackList } from './LookbackList';

/** Histórico (seed: Dashboard → Análise da Operação): every conversation, with Ações (Ver ficha, Ver conversa). */
export function HistoryPage() {
  const { t } = useTranslation('lookback');
  return (
    <Stack gap="sm">
      <div>
        <Title order={1} size="h2">{t('lookback.history')}</Title>
        <Text size="sm" c="dimmed">{t('lookback.historyIntro')}</Text>
      </div>
      <LookbackList view="all" actions />
    </Stack>
  );
}
