import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { IconFileTypeCsv, IconSearch } from '@tabler/icons-react';
import { call, searchOf, type Answer } from '../api';
import { useSession } from '../auth/session';
import { browserName } from '../admin/user-agent';
import { DateField } from '../ui/DateField';
import { PageHeader } from '../ui/PageHeader';
import { formatDateTime } from '../ui/time';

type Contact = Answer<'getLgpdContacts'>['items'][number];

/**
 * Acessos a dados (LGPD), route /lgpd/acessos: the compliance officer finds a contact and reads who
 * accessed their data (the audit rows naming the contact), with a period filter and a CSV download.
 */
export function DataAccessPage() {
  const { t } = useTranslation('compliance');
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [contact, setContact] = useState<Contact | null>(null);
  const found = useQuery({ queryKey: ['lgpd-contacts', q], queryFn: () => call('getLgpdContacts', { query: { q } }), enabled: q.length >= 2 });

  return (
    <Stack>
      <PageHeader title={t('access.title')} description={t('access.description')} />
      <form onSubmit={(e) => { e.preventDefault(); setContact(null); setQ(text.trim()); }}>
        <Group align="flex-end">
          <TextInput label={t('access.search')} placeholder={t('access.searchPlaceholder')} value={text} onChange={(e) => setText(e.currentTarget.value)} w={{ base: '100%', sm: 360 }} data-testid="lgpd-search" />
          <Button type="submit" leftSection={<IconSearch size={16} />} disabled={text.trim().length < 2}>{t('access.find')}</Button>
        </Group>
      </form>
      {found.isError && <Alert color="red" role="alert">{found.error.message}</Alert>}
      {found.data && !contact && <ContactList items={found.data.items} onChoose={setContact} />}
      {contact && <AccessList contact={contact} />}
    </Stack>
  );
}

function ContactList({ items, onChoose }: { items: Contact[]; onChoose(c: Contact): void }) {
  const { t } = useTranslation('compliance');
  if (!items.length) return <Text c="dimmed">{t('access.noContacts')}</Text>;
  return (
    <Card withBorder padding="sm">
      <Title order={5} mb="xs">{t('access.contacts')}</Title>
      <Table.ScrollContainer minWidth={640}>
      <Table striped fz="sm" data-testid="lgpd-contacts">
        <Table.Thead>
          <Table.Tr>
            {['name', 'email', 'phone', 'cpf', 'channels', 'conversations'].map((k) => <Table.Th key={k}>{t(`access.${k}`)}</Table.Th>)}
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.name ?? t('access.unnamed')} {c.anonymized && <Badge size="xs" color="gray">{t('access.anonymized')}</Badge>}</Table.Td>
              <Table.Td>{c.email ?? '—'}</Table.Td>
              <Table.Td>{c.phone ?? '—'}</Table.Td>
              <Table.Td>{c.cpf ?? '—'}</Table.Td>
              <Table.Td>{c.channels.join(', ') || '—'}</Table.Td>
              <Table.Td>{c.conversations}</Table.Td>
              <Table.Td><Button size="xs" variant="light" onClick={() => onChoose(c)}>{t('access.choose')}</Button></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function AccessList({ contact }: { contact: Contact }) {
  const { t, i18n } = useTranslation('compliance');
  const { settings } = useSession();
  const [draft, setDraft] = useState({ from: '', to: '' });
  const [period, setPeriod] = useState({ from: '', to: '' });
  const qc = useQueryClient();
  const query = { ...(period.from ? { from: period.from } : {}), ...(period.to ? { to: period.to } : {}) };
  const list = useQuery({
    queryKey: ['lgpd-accesses', contact.id, query],
    queryFn: () => call('getLgpdContactsByIdAccesses', { params: { id: contact.id }, query }),
  });
  const csv = `/api/lgpd/contacts/${contact.id}/accesses?${searchOf({ ...query, format: 'csv' })}`;
  const lang = i18n.language;
  const actionLabel = (a: string) => (i18n.exists(`access.actions.${a}`, { ns: 'compliance' }) ? t(`access.actions.${a}`) : a);
  return (
    <Card withBorder padding="sm" data-testid="lgpd-accesses">
      <Group justify="space-between" align="flex-end" mb="sm" wrap="wrap">
        <Title order={4}>{t('access.accessesOf', { name: contact.name ?? t('access.unnamed') })}</Title>
        <Group align="flex-end" wrap="wrap">
          <DateField label={t('access.from')} value={draft.from} max={draft.to || undefined} onChange={(from) => setDraft((d) => ({ ...d, from }))} w={160} data-testid="lgpd-from" />
          <DateField label={t('access.to')} value={draft.to} min={draft.from || undefined} onChange={(to) => setDraft((d) => ({ ...d, to }))} w={160} data-testid="lgpd-to" />
          <Button variant="default" onClick={() => { setPeriod(draft); void qc.invalidateQueries({ queryKey: ['lgpd-accesses', contact.id] }); }}>{t('access.apply')}</Button>
          <Button component="a" href={csv} download leftSection={<IconFileTypeCsv size={16} />} variant="light" data-testid="lgpd-csv">{t('access.exportCsv')}</Button>
        </Group>
      </Group>
      {list.isError && <Alert color="red" role="alert">{list.error.message}</Alert>}
      {list.data && (
        <>
          <Text size="sm" c="dimmed" mb="xs">{t('access.count', { count: list.data.items.length })}</Text>
          {list.data.truncated && <Alert color="yellow" mb="xs">{t('access.truncated')}</Alert>}
          {list.data.items.length === 0 ? <Text c="dimmed">{t('access.none')}</Text> : (
            <Table.ScrollContainer minWidth={720}>
            <Table striped fz="sm">
              <Table.Thead>
                <Table.Tr>
                  {['when', 'who', 'what', 'record', 'ip', 'browser'].map((k) => <Table.Th key={k}>{t(`access.${k}`)}</Table.Th>)}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((r) => {
                  const b = browserName(r.userAgent);
                  return (
                    <Table.Tr key={r.id} data-action={r.action}>
                      <Table.Td>{formatDateTime(r.at, settings.timezone, lang)}</Table.Td>
                      <Table.Td>{r.actorName ?? t('access.system')}</Table.Td>
                      <Table.Td>{actionLabel(r.action)}</Table.Td>
                      <Table.Td>{r.entity}{r.entityId ? ` · ${r.entityId.slice(0, 8)}` : ''}</Table.Td>
                      <Table.Td>{r.ip ?? '—'}</Table.Td>
                      <Table.Td title={r.userAgent ?? undefined}>{[b.browser, b.os].filter(Boolean).join(' · ') || '—'}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            </Table.ScrollContainer>
          )}
        </>
      )}
    </Card>
  );
}
