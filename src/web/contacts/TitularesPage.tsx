import { useState } from 'react';
import { Alert, Badge, Loader, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { call } from '../api';
import { useSession } from '../auth/session';
import { PageHeader } from '../ui/PageHeader';
import { formatDateTime } from '../ui/time';

/** Titulares (LGPD): find a person by name, e-mail, phone, CPF, handle or protocol; the search is kept in the URL. */
export function TitularesPage() {
  const { t, i18n } = useTranslation('contacts');
  const { settings } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(text.trim(), 300);
  const found = useQuery({
    queryKey: ['/api/contacts', q],
    queryFn: () => call('getContacts', { query: { q } }),
    enabled: q.length >= 2,
  });
  const fmt = (n: number) => n.toLocaleString(i18n.language);
  return (
    <Stack>
      <PageHeader title={t('contacts.title')} description={t('contacts.description')} />
      <Paper withBorder p="md">
        <Stack>
          <TextInput
            label={t('contacts.search')} description={t('contacts.searchHint')} leftSection={<IconSearch size={16} />} value={text} data-testid="contact-search"
            onChange={(e) => {
              setText(e.currentTarget.value);
              setParams(e.currentTarget.value.trim() ? { q: e.currentTarget.value.trim() } : {}, { replace: true });
            }}
          />
          {found.isFetching && <Loader size="sm" />}
          {found.error && <Alert color="red">{found.error.message}</Alert>}
          {found.data && !found.data.items.length && <Text c="dimmed">{t('contacts.noResults')}</Text>}
          {found.data && found.data.items.length > 0 && (
            <Table.ScrollContainer minWidth={760}>
            <Table highlightOnHover striped data-testid="contact-results">
              <Table.Thead>
                <Table.Tr>
                  {(['name', 'email', 'phone', 'cpf', 'conversations', 'last'] as const).map((c) => <Table.Th key={c}>{t(`contacts.columns.${c}`)}</Table.Th>)}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {found.data.items.map((c) => (
                  <Table.Tr key={c.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/lgpd/titulares/${c.id}`)} data-testid="contact-row">
                    <Table.Td>
                      {c.name ?? <Text span c="dimmed">{t('contacts.noName')}</Text>} {c.anonymizedAt && <Badge color="gray" size="sm">{t('contacts.anonymized')}</Badge>}
                    </Table.Td>
                    <Table.Td>{c.email ?? '—'}</Table.Td>
                    <Table.Td>{c.phone ?? '—'}</Table.Td>
                    <Table.Td>{c.cpf ?? '—'}</Table.Td>
                    <Table.Td>{fmt(c.conversations)}</Table.Td>
                    <Table.Td>{c.lastContactAt ? formatDateTime(c.lastContactAt, settings.timezone, i18n.language) : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            </Table.ScrollContainer>
          )}
          {found.data?.more && <Text size="sm" c="dimmed">{t('contacts.more')}</Text>}
        </Stack>
      </Paper>
    </Stack>
  );
}
