import { Badge, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { IconFlask } from '@tabler/icons-react';
import { call } from '../api';
import { useSession } from '../auth/session';
import { formatDateTime } from '../ui/time';

/** The retention dry run (GET /api/retention/preview): what each rule would touch now; changes nothing. */
export function RetentionDryRun() {
  const { t, i18n } = useTranslation('compliance');
  const { settings } = useSession();
  const preview = useMutation({ mutationFn: () => call('getRetentionPreview') });
  const lang = i18n.language;
  return (
    <Stack gap="xs" mt="md" data-testid="retention-dry-run">
      <Title order={5}>{t('retention.title')}</Title>
      <Text size="sm" c="dimmed">{t('retention.help')}</Text>
      <div>
        <Button size="xs" variant="light" leftSection={<IconFlask size={14} />} loading={preview.isPending} onClick={() => preview.mutate()}>
          {t('retention.run')}
        </Button>
      </div>
      {preview.isError && <Text c="red" size="sm" role="alert">{preview.error.message}</Text>}
      {preview.data && (
        <Table striped withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('retention.rule')}</Table.Th>
              <Table.Th>{t('retention.cutoff')}</Table.Th>
              <Table.Th ta="right">{t('retention.records')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.data.rules.map((r) => (
              <Table.Tr key={r.rule} data-rule={r.rule}>
                <Table.Td>
                  {t(`retention.rules.${r.rule}`)}{' '}
                  <Badge size="xs" variant="light" color={r.enabled ? 'teal' : 'gray'}>{r.enabled ? t('retention.on') : t('retention.off')}</Badge>
                </Table.Td>
                <Table.Td>{formatDateTime(r.cutoff, settings.timezone, lang)}</Table.Td>
                <Table.Td ta="right" data-testid={`retention-total-${r.rule}`}>{r.total.toLocaleString(lang)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
