import { useMemo } from 'react';
import { Alert, Button, Center, Group, Loader, Modal, Paper, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconCheck, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { EmailTriageRow } from '../../contracts/email-triage';
import { useSession } from '../auth/session';
import { marksOf, MessageContent } from '../desk/MessageContent';
import { formatDateTime } from '../ui/time';
import { useConversationDetail, useMonitorStore } from '../monitor/useMonitor';

/**
 * The balloon of a row: the e-mail itself (sender, date, subject, service, then each message of the
 * conversation with its files, downloadable), live from the monitor store, with Aceitar and Apagar.
 */
export function TriageMailModal({ row, busy, onClose, onAccept, onDiscard }: {
  row: EmailTriageRow | null;
  busy: 'accept' | 'discard' | null;
  onClose(): void;
  onAccept(id: string): void;
  onDiscard(id: string): void;
}) {
  const { t, i18n } = useTranslation('emailTriage');
  const { settings } = useSession();
  const phone = useMediaQuery('(max-width: 36em)');
  const store = useMonitorStore();
  const d = useConversationDetail(store, row?.id ?? null);
  const messages = useMemo(() => d?.messages ?? [], [d?.messages]);
  const byExternalId = useMemo(() => new Map(messages.flatMap((m) => (m.externalId ? [[m.externalId, m] as const] : []))), [messages]);
  const marks = useMemo(() => marksOf(messages), [messages]);
  const tz = settings.timezone;
  const lang = i18n.language;
  const gone = d?.view ? d.view.state !== 'triage' : false;
  const from = row ? [row.fromName, row.fromAddress ? `<${row.fromAddress}>` : null].filter(Boolean).join(' ') : '';

  return (
    <Modal
      fullScreen={phone}
      opened={row !== null}
      onClose={onClose}
      size="min(860px, 96vw)"
      zIndex={300}
      title={<Text fw={700}>{row?.subject || t('emailTriage.noSubject')}</Text>}
      data-testid="triage-mail"
    >
      {row && (
        <Stack gap="sm">
          <Table withRowBorders={false} verticalSpacing={2} fz="sm" data-testid="triage-mail-head">
            <Table.Tbody>
              <Table.Tr><Table.Th w={130} style={{ whiteSpace: 'nowrap' }}>{t('emailTriage.mail.from')}</Table.Th><Table.Td style={{ wordBreak: 'break-word' }}>{from || '—'}</Table.Td></Table.Tr>
              <Table.Tr><Table.Th>{t('emailTriage.mail.receivedAt')}</Table.Th><Table.Td>{formatDateTime(row.receivedAt, tz, lang)}</Table.Td></Table.Tr>
              <Table.Tr><Table.Th>{t('emailTriage.mail.subject')}</Table.Th><Table.Td>{row.subject || t('emailTriage.noSubject')}</Table.Td></Table.Tr>
              <Table.Tr><Table.Th>{t('emailTriage.mail.service')}</Table.Th><Table.Td>{row.serviceName} · {row.protocol}</Table.Td></Table.Tr>
            </Table.Tbody>
          </Table>
          {gone && <Alert color="gray" variant="light">{t('emailTriage.mail.gone')}</Alert>}
          {!d || (d.status === 'loading' && messages.length === 0) ? (
            <Center py="lg">
              <Group gap="xs"><Loader size="sm" /><Text size="sm" c="dimmed">{t('emailTriage.mail.loading')}</Text></Group>
            </Center>
          ) : d.status === 'error' && messages.length === 0 ? (
            <Alert color="red" variant="light">{t('emailTriage.mail.loadFailed')}</Alert>
          ) : (
            <Stack gap="xs" data-testid="triage-mail-body">
              {messages.map((m) =>
                m.authorType === 'system' ? (
                  <Text key={m.id} size="xs" c="dimmed" ta="center">{m.body}</Text>
                ) : (
                  <Paper key={m.id} withBorder radius="md" p="sm" data-author={m.authorType} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    <Text size="xs" c="dimmed" mb={4}>
                      {m.authorType === 'customer' ? from : (m.authorName ?? '')} · {formatDateTime(m.createdAt, tz, lang)}
                    </Text>
                    <MessageContent m={m} byExternalId={byExternalId} marks={marks} />
                  </Paper>
                ),
              )}
            </Stack>
          )}
          <Group justify="flex-end">
            <Button color="red" variant="light" leftSection={<IconTrash size={16} />} disabled={gone} onClick={() => onDiscard(row.id)} data-testid="triage-mail-discard">
              {t('emailTriage.mail.discard')}
            </Button>
            <Button leftSection={<IconCheck size={16} />} disabled={gone} loading={busy === 'accept'} onClick={() => onAccept(row.id)} data-testid="triage-mail-accept">
              {t('emailTriage.mail.accept')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
