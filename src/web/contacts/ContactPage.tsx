import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Code, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconFileTypeJs, IconFileTypePdf, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError, call } from '../api';
import { useSession } from '../auth/session';
import i18n from '../i18n';
import { PageHeader } from '../ui/PageHeader';
import { formatDateTime } from '../ui/time';
import { AnonymizeModal } from './AnonymizeModal';
import { CorrectionForm } from './CorrectionForm';

/** The person's page: what Mirante holds, the correction form, the history export and (admins) the anonymisation. */
export function ContactPage() {
  const { id = '' } = useParams();
  const { t, i18n: { language } } = useTranslation('contacts');
  const { settings, me } = useSession();
  const qc = useQueryClient();
  const [anonymizing, setAnonymizing] = useState(false);
  const [exporting, setExporting] = useState<'pdf' | 'json' | null>(null);
  const contact = useQuery({ queryKey: ['/api/contacts/{id}', id], queryFn: () => call('getContactsById', { params: { id } }) });
  const when = (iso: string | null) => formatDateTime(iso, settings.timezone, language);
  const refresh = () => qc.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === 'string' && q.queryKey[0].startsWith('/api/contacts') });

  // a download read whole then handed to the browser: the server streams it, the error (if any) is JSON
  const download = async (format: 'pdf' | 'json') => {
    setExporting(format);
    try {
      const res = await fetch(`/api/contacts/${encodeURIComponent(id)}/history?format=${format}`, { credentials: 'same-origin', headers: { 'accept-language': i18n.language || 'pt-BR' } });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new ApiError(res.status, 'export', body?.error?.message ?? res.statusText);
      }
      const file = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `historico.${format}`;
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = file;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      notifications.show({ color: 'green', message: t('contacts.exportDone', { file }) });
    } catch (err) {
      notifications.show({ color: 'red', message: t('contacts.exportFailed', { error: err instanceof Error ? err.message : String(err) }) });
    } finally {
      setExporting(null);
    }
  };

  if (contact.isLoading) return <Loader />;
  if (contact.error || !contact.data) return <Alert color="red">{contact.error?.message}</Alert>;
  const c = contact.data;
  const anonymized = c.anonymizedAt !== null;
  return (
    <Stack>
      <PageHeader
        title={c.name ?? t('contacts.noName')}
        description={t('contacts.conversationsCount', { count: c.conversations })}
        badge={anonymized ? <Badge color="gray" data-testid="anonymized-badge">{t('contacts.anonymized')}</Badge> : undefined}
        actions={
          <Group wrap="wrap">
            <Button component={Link} to="/lgpd/titulares" variant="subtle" leftSection={<IconArrowLeft size={16} />}>{t('contacts.back')}</Button>
            <Text fw={500}>{t('contacts.export')}:</Text>
            <Button variant="light" leftSection={<IconFileTypePdf size={16} />} loading={exporting === 'pdf'} onClick={() => void download('pdf')} data-testid="export-pdf">{t('contacts.exportPdf')}</Button>
            <Button variant="light" leftSection={<IconFileTypeJs size={16} />} loading={exporting === 'json'} onClick={() => void download('json')} data-testid="export-json">{t('contacts.exportJson')}</Button>
            {me.role === 'admin' && !anonymized && (
              <Button color="red" variant="outline" leftSection={<IconTrash size={16} />} onClick={() => setAnonymizing(true)} data-testid="anonymize-open">{t('contacts.anonymize')}</Button>
            )}
          </Group>
        }
      />
      {anonymized && <Alert color="gray">{t('contacts.anonymizedAt', { at: when(c.anonymizedAt) })}</Alert>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md">
          <Title order={3} size="h4" mb="sm">{t('contacts.data')}</Title>
          <Table>
            <Table.Tbody>
              {([['name', c.name], ['email', c.email], ['phone', c.phone], ['cpf', c.cpf]] as const).map(([k, v]) => (
                <Table.Tr key={k}><Table.Th w="35%">{t(`contacts.columns.${k}`)}</Table.Th><Table.Td data-testid={`contact-${k}`}>{v ?? '—'}</Table.Td></Table.Tr>
              ))}
              <Table.Tr><Table.Th>{t('contacts.first')}</Table.Th><Table.Td>{when(c.firstContactAt)}</Table.Td></Table.Tr>
              <Table.Tr><Table.Th>{t('contacts.last')}</Table.Th><Table.Td>{when(c.lastContactAt)}</Table.Td></Table.Tr>
            </Table.Tbody>
          </Table>
          <Text fw={500} mt="md">{t('contacts.collected')}</Text>
          {Object.keys(c.data).length ? <Code block>{JSON.stringify(c.data, null, 2)}</Code> : <Text c="dimmed" size="sm">{t('contacts.noCollected')}</Text>}
        </Paper>
        {!anonymized ? <CorrectionForm contact={c} onSaved={() => void refresh()} /> : <div />}
      </SimpleGrid>
      <Paper withBorder p="md">
        <Title order={3} size="h4" mb="sm">{t('contacts.identities')}</Title>
        <Table.ScrollContainer minWidth={560}>
        <Table data-testid="contact-identities">
          <Table.Thead><Table.Tr><Table.Th>{t('contacts.channel')}</Table.Th><Table.Th>{t('contacts.handle')}</Table.Th><Table.Th>{t('contacts.displayName')}</Table.Th><Table.Th>{t('contacts.since')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {c.identities.map((i) => (
              <Table.Tr key={`${i.channel}:${i.externalId}`}>
                <Table.Td>{t(`common:channels.${i.channel}`)}</Table.Td><Table.Td>{i.externalId}</Table.Td><Table.Td>{i.displayName ?? '—'}</Table.Td><Table.Td>{when(i.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        </Table.ScrollContainer>
      </Paper>
      <Paper withBorder p="md">
        <Title order={3} size="h4">{t('contacts.conversations')}</Title>
        <Text size="xs" c="dimmed" mb="sm">{t('contacts.recentNote')}</Text>
        <Table.ScrollContainer minWidth={900}>
        <Table striped data-testid="contact-conversations">
          <Table.Thead>
            <Table.Tr>
              {(['protocol', 'service', 'channel', 'state', 'agent', 'start', 'end'] as const).map((k) => <Table.Th key={k}>{t(`contacts.${k}`)}</Table.Th>)}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.recentConversations.map((v) => (
              <Table.Tr key={v.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/analise/historico?protocol=${encodeURIComponent(v.protocol)}`} aria-label={t('contacts.openConversation', { protocol: v.protocol })}>{v.protocol}</Anchor>
                </Table.Td>
                <Table.Td>{v.serviceName}</Table.Td>
                <Table.Td>{t(`common:channels.${v.channel}`)}</Table.Td>
                <Table.Td>{t(`analysis:analysis.states.${v.state}`)}</Table.Td>
                <Table.Td>{v.agentName ?? '—'}</Table.Td>
                <Table.Td>{when(v.createdAt)}</Table.Td>
                <Table.Td>{when(v.finishedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        </Table.ScrollContainer>
      </Paper>
      <AnonymizeModal contact={c} opened={anonymizing} onClose={() => setAnonymizing(false)} onDone={() => void refresh()} />
    </Stack>
  );
}
