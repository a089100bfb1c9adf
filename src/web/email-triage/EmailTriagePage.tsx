import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Group, Modal, ScrollArea, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconMessage2, IconPaperclip, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { EMAIL_TRIAGE_LIMITS, type EmailTriagePage as Page, type EmailTriageRow } from '../../contracts/email-triage';
import { ApiError, call } from '../api';
import { useSession } from '../auth/session';
import { EmptyState } from '../ui/EmptyState';
import { PageHeader } from '../ui/PageHeader';
import { RowAction } from '../ui/RowAction';
import { formatDateTime } from '../ui/time';
import { useMonitorStore, useServices } from '../monitor/useMonitor';
import { TriageMailModal } from './TriageMailModal';

const DEFAULT_LIMIT = 20;

/**
 * Filtro → E-mail (seed: "Filtro (de E-mail)"): the e-mails waiting in the filter for the supervisor's
 * services, oldest first; Atualizar Lista, Aceitar e-mail(s), Apagar e-mail(s) (confirmed), Qtd
 * E-mail(s) and Serviço (both in the URL); the balloon opens the e-mail with its files. The list is
 * read again whenever the monitor stream says an e-mail of the list or a new one in the filter changed.
 */
export function EmailTriagePage() {
  const { t, i18n } = useTranslation('emailTriage');
  const { settings } = useSession();
  const store = useMonitorStore();
  const qc = useQueryClient();
  const { services } = useServices();
  const [params, setParams] = useSearchParams();
  const serviceId = params.get('service');
  const asked = Number(params.get('qtd'));
  const limit = (EMAIL_TRIAGE_LIMITS as readonly number[]).includes(asked) ? asked : DEFAULT_LIMIT;
  const query = useQuery({
    queryKey: ['email-triage', serviceId, limit],
    queryFn: (): Promise<Page> => call('getEmailTriage', { query: { limit, ...(serviceId ? { serviceId } : {}) } }),
  });
  const rows = useMemo(() => query.data?.items ?? [], [query.data]);
  const listed = useRef(new Set<string>());
  listed.current = new Set(rows.map((r) => r.id));

  // live: a new e-mail in the filter, or one of the list accepted or deleted (here or elsewhere)
  useEffect(
    () =>
      store.onConversation((c) => {
        if (c === null || c.state === 'triage' || listed.current.has(c.id)) void qc.invalidateQueries({ queryKey: ['email-triage'] });
      }),
    [store, qc],
  );

  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const chosen = rows.filter((r) => selected.has(r.id)).map((r) => r.id);
  const [opened, setOpened] = useState<EmailTriageRow | null>(null);
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const [busy, setBusy] = useState<'accept' | 'discard' | null>(null);

  const setParam = (key: string, value: string | null) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    }, { replace: true });

  const run = async (kind: 'accept' | 'discard', ids: string[]) => {
    setBusy(kind);
    try {
      await call(kind === 'accept' ? 'postEmailTriageAccept' : 'postEmailTriageDiscard', { body: { conversationIds: ids } });
      notifications.show({ color: 'teal', message: t(kind === 'accept' ? 'emailTriage.accepted' : 'emailTriage.discarded', { count: ids.length }) });
      setSelected((prev) => new Set([...prev].filter((id) => !ids.includes(id))));
      setConfirming(null);
      if (opened && ids.includes(opened.id)) setOpened(null);
    } catch (err) {
      notifications.show({ color: 'red', message: err instanceof ApiError ? err.message : String(err) });
    } finally {
      setBusy(null);
      void qc.invalidateQueries({ queryKey: ['email-triage'] });
    }
  };

  const emailServices = services.filter((s) => s.channel === 'email');
  const tz = settings.timezone;
  const lang = i18n.language;
  const allChecked = rows.length > 0 && chosen.length === rows.length;

  return (
    <Stack gap="sm" data-testid="triage-page">
      <PageHeader
        title={t('emailTriage.title')}
        description={t('emailTriage.description')}
        actions={
          <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => void query.refetch()} loading={query.isFetching} data-testid="triage-refresh">
            {t('emailTriage.refresh')}
          </Button>
        }
      />
      <Card withBorder padding="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
          <Group align="flex-end" wrap="wrap" gap="sm">
            <Select
              label={t('emailTriage.service')}
              placeholder={t('emailTriage.allServices')}
              data={emailServices.map((s) => ({ value: s.id, label: s.name }))}
              value={serviceId}
              onChange={(v) => setParam('service', v)}
              clearable
              searchable
              w={280}
              data-testid="triage-service"
            />
            <Select
              label={t('emailTriage.quantity')}
              data={EMAIL_TRIAGE_LIMITS.map((n) => ({ value: String(n), label: String(n) }))}
              value={String(limit)}
              onChange={(v) => setParam('qtd', v && Number(v) !== DEFAULT_LIMIT ? v : null)}
              allowDeselect={false}
              w={130}
              data-testid="triage-quantity"
            />
          </Group>
          <Group gap="xs" wrap="wrap">
            <Text size="sm" c="dimmed" data-testid="triage-selected">{t('emailTriage.selected', { count: chosen.length })}</Text>
            <Button leftSection={<IconCheck size={16} />} disabled={!chosen.length} loading={busy === 'accept'} onClick={() => void run('accept', chosen)} data-testid="triage-accept">
              {t('emailTriage.accept')}
            </Button>
            <Button color="red" variant="light" leftSection={<IconTrash size={16} />} disabled={!chosen.length} onClick={() => setConfirming(chosen)} data-testid="triage-discard">
              {t('emailTriage.discard')}
            </Button>
          </Group>
        </Group>
      </Card>
      {query.isError && <Alert color="red" variant="light">{t('emailTriage.loadFailed', { error: query.error instanceof Error ? query.error.message : '' })}</Alert>}
      <Card withBorder padding={0}>
        {query.data && (
          <Text size="sm" c="dimmed" px="sm" pt="xs" data-testid="triage-total" data-total={query.data.total}>
            {t('emailTriage.showing', { shown: rows.length, total: query.data.total })}
          </Text>
        )}
        <ScrollArea type="auto">
          <Table striped highlightOnHover verticalSpacing={6} fz="sm" miw={860} data-testid="triage-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36}>
                  <Checkbox
                    aria-label={t('emailTriage.selectAll')}
                    checked={allChecked}
                    indeterminate={chosen.length > 0 && !allChecked}
                    disabled={!rows.length}
                    onChange={(e) => setSelected(new Set(e.currentTarget.checked ? rows.map((r) => r.id) : []))}
                    data-testid="triage-check-all"
                  />
                </Table.Th>
                <Table.Th>{t('emailTriage.columns.protocol')}</Table.Th>
                <Table.Th>{t('emailTriage.columns.receivedAt')}</Table.Th>
                <Table.Th>{t('emailTriage.columns.from')}</Table.Th>
                <Table.Th>{t('emailTriage.columns.subject')}</Table.Th>
                <Table.Th>{t('emailTriage.columns.service')}</Table.Th>
                <Table.Th>{t('emailTriage.columns.attachments')}</Table.Th>
                <Table.Th ta="right">{t('emailTriage.columns.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id} data-testid="triage-row" data-protocol={r.protocol}>
                  <Table.Td>
                    <Checkbox
                      aria-label={t('emailTriage.selectOne', { protocol: r.protocol })}
                      checked={selected.has(r.id)}
                      onChange={(e) => {
                        const on = e.currentTarget.checked;
                        setSelected((prev) => {
                          const next = new Set(prev);
                          if (on) next.add(r.id);
                          else next.delete(r.id);
                          return next;
                        });
                      }}
                      data-testid="triage-check"
                    />
                  </Table.Td>
                  <Table.Td ff="monospace">{r.protocol}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.receivedAt, tz, lang)}</Table.Td>
                  <Table.Td>
                    {r.fromName && <Text size="sm" fw={500}>{r.fromName}</Text>}
                    <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>{r.fromAddress ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td maw={360}>
                    <Text size="sm" fw={500}>{r.subject || t('emailTriage.noSubject')}</Text>
                    <Text size="xs" c="dimmed" lineClamp={1} title={r.preview}>{r.preview}</Text>
                  </Table.Td>
                  <Table.Td>{r.serviceName}</Table.Td>
                  <Table.Td>
                    {r.attachments > 0 && (
                      <Badge variant="light" color="gray" leftSection={<IconPaperclip size={12} />} data-testid="triage-attachments">
                        {t('emailTriage.attachmentsCount', { count: r.attachments })}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group justify="flex-end" wrap="nowrap">
                      <RowAction
                        label={t('emailTriage.open')}
                        ariaLabel={t('emailTriage.openNamed', { protocol: r.protocol })}
                        icon={<IconMessage2 size={18} />}
                        onClick={() => setOpened(r)}
                        testId="triage-open"
                      />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        {query.isSuccess && rows.length === 0 && <EmptyState why={t('emailTriage.empty')} todo={t('emailTriage.emptyTodo')} testId="triage-empty" />}
      </Card>
      <TriageMailModal
        row={opened}
        busy={busy}
        onClose={() => setOpened(null)}
        onAccept={(id) => void run('accept', [id])}
        onDiscard={(id) => setConfirming([id])}
      />
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={<Text fw={700}>{t('emailTriage.confirmTitle')}</Text>} zIndex={400} data-testid="triage-confirm">
        <Stack>
          <Text size="sm">{t('emailTriage.confirmText', { count: confirming?.length ?? 0 })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)}>{t('emailTriage.cancel')}</Button>
            <Button color="red" loading={busy === 'discard'} onClick={() => confirming && void run('discard', confirming)} data-testid="triage-confirm-discard">
              {t('emailTriage.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
