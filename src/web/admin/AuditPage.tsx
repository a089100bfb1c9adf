import { Fragment, useMemo, useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, Group, Select, Stack, Switch, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import type { AuditEntry } from '../../contracts/admin';
import { AUDIT_ENTITIES } from '../../shared/audit';
import { call } from '../api';
import { PageHeader } from '../ui/PageHeader';
import { useSession } from '../auth/session';
import { formatDateTime, startOfDayIn } from '../ui/time';
import { useServices, useTeams, useTemplateCategories, useUsers } from './lookups';
import { Tag } from './Tag';
import { DateField } from '../ui/DateField';

// the Parâmetros card of each settings key, to name a setting entry
const SETTING_TITLES: Record<string, string> = {
  timezone: 'settings.timezone.title', companyName: 'settings.companyName.title', timeInState: 'settings.timeInState.title', noInteractionMinutes: 'settings.noInteraction.title',
  shortAbandonSeconds: 'settings.shortAbandon.title', serviceLevel: 'settings.serviceLevel.title', timeouts: 'settings.timeouts.title', alerts: 'settings.alerts.title',
  allowPrivateWebhookTargets: 'settings.webhooks.title', optOut: 'settings.optOut.title',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;
// changes on every update: shown, never counted as a change
const NOISE = new Set(['updatedAt']);
const PAGE = 50;

type Flat = Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

// an empty object adds no row: its keys, when the other side has them, show as — there
function flatten(v: unknown, prefix = '', out: Flat = {}): Flat {
  if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out[prefix] = v;
  return out;
}

const tr = (t: TFunction, group: string, key: string) => {
  const k = `audit.${group}.${key}`;
  const s = t(k);
  return s === k ? key : s;
};

function entryLabel(e: AuditEntry, t: TFunction): string | null {
  if (e.entity === 'setting' && e.entityId && SETTING_TITLES[e.entityId]) return t(SETTING_TITLES[e.entityId]);
  const o = (isObject(e.after) ? e.after : isObject(e.before) ? e.before : null) as Record<string, unknown> | null;
  const name = o?.name ?? o?.title ?? o?.email ?? o?.code;
  return typeof name === 'string' || typeof name === 'number' ? String(name) : null;
}

function Diff({ entry, names }: { entry: AuditEntry; names: Map<string, string> }) {
  const { t, i18n } = useTranslation('admin');
  const { settings } = useSession();
  const setting = entry.entity === 'setting';
  const strip = (f: Flat) => (setting ? Object.fromEntries(Object.entries(f).map(([k, v]) => [k.replace(/^value\.?/, '') || t('audit.entities.setting'), v])) : f);
  const before = strip(flatten(entry.before));
  const after = strip(flatten(entry.after));
  const both = entry.before !== null && entry.after !== null;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changed = new Set(both ? keys.filter((k) => !NOISE.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k])) : []);
  const [onlyChanged, setOnlyChanged] = useState(both && changed.size > 0);
  const shown = onlyChanged ? keys.filter((k) => changed.has(k)) : keys;

  const show = (v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'string' && UUID.test(x) ? (names.get(x) ?? x) : show(x))).join(', ') : '—';
    if (typeof v === 'string' && UUID.test(v)) return names.get(v) ? `${names.get(v)} (${v.slice(0, 8)})` : v;
    if (typeof v === 'string' && ISO.test(v)) return formatDateTime(v, settings.timezone, i18n.language);
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  };

  if (!keys.length) {
    return <Text size="sm" c="dimmed">{t('audit.noDetails')}{entry.ip ? ` ${t('audit.ip')}: ${entry.ip}` : ''}</Text>;
  }
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Group gap="xs">
          {both && <Badge variant="light" color={changed.size ? 'yellow' : 'gray'}>{t('audit.changedCount', { count: changed.size })}</Badge>}
          {entry.ip && <Text size="xs" c="dimmed">{t('audit.ip')}: {entry.ip}</Text>}
          <Text size="xs" c="dimmed" ff="monospace">{entry.entityId}</Text>
        </Group>
        {both && <Switch size="xs" label={t('audit.onlyChanged')} checked={onlyChanged} onChange={(e) => setOnlyChanged(e.currentTarget.checked)} />}
      </Group>
      <Table.ScrollContainer minWidth={480}>
        <Table withTableBorder withColumnBorders verticalSpacing={4} fz="sm" data-testid="audit-diff">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="24%">{t('audit.field')}</Table.Th>
              <Table.Th>{t('audit.before')}</Table.Th>
              <Table.Th>{t('audit.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((k) => {
              const hit = changed.has(k);
              return (
                <Table.Tr key={k} bg={hit ? 'yellow.0' : undefined} data-changed={hit || undefined}>
                  <Table.Td ff="monospace" fw={hit ? 700 : 400}>{k}</Table.Td>
                  <Table.Td c={hit ? 'red.8' : undefined} style={{ wordBreak: 'break-word' }}>{show(before[k])}</Table.Td>
                  <Table.Td c={hit ? 'teal.8' : undefined} fw={hit ? 600 : 400} style={{ wordBreak: 'break-word' }}>{show(after[k])}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** Auditoria: the audit log, newest first, filtered by entity and dates, paged with "Carregar mais". */
export function AuditPage() {
  const { t, i18n } = useTranslation('admin');
  const { settings } = useSession();
  const tz = settings.timezone;
  const [entity, setEntity] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const users = useUsers();
  const teams = useTeams();
  const services = useServices();
  const categories = useTemplateCategories();
  const names = useMemo(
    () => new Map([...users.names, ...teams.names, ...services.names, ...categories.names]),
    [users.names, teams.names, services.names, categories.names],
  );

  const filters = { entity, from, to, tz };
  const log = useInfiniteQuery({
    queryKey: ['/api/audit', filters],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => {
      // the days are the contact center's: a day starts at midnight in its time zone
      return call('getAudit', {
        query: { limit: PAGE, entity: entity || undefined, from: from ? startOfDayIn(from, tz) : undefined, to: to ? startOfDayIn(to, tz, 1) : undefined, before: pageParam || undefined },
      });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      <Card withBorder padding="sm">
        <Group mb="sm" align="flex-end">
          <Select
            label={t('audit.entity')}
            placeholder={t('common.all')}
            data={AUDIT_ENTITIES.map((e) => ({ value: e, label: tr(t, 'entities', e) }))}
            value={entity}
            onChange={setEntity}
            clearable
            w={{ base: '100%', xs: 220 }}
          />
          <DateField label={t('audit.from')} value={from} max={to || undefined} onChange={setFrom} clearable w={{ base: '47%', xs: 170 }} />
          <DateField label={t('audit.to')} value={to} min={from || undefined} onChange={setTo} clearable w={{ base: '47%', xs: 170 }} />
          {(entity || from || to) && (
            <Button variant="subtle" color="gray" onClick={() => { setEntity(null); setFrom(''); setTo(''); }}>{t('common.clear')}</Button>
          )}
        </Group>
        {log.isError && <Alert color="red" role="alert" mb="sm">{log.error.message}</Alert>}
        <Table.ScrollContainer minWidth={640}>
          <Table highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36} />
                <Table.Th>{t('audit.when')}</Table.Th>
                <Table.Th>{t('audit.who')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.entity')}</Table.Th>
                <Table.Th>{t('audit.record')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => {
                const expanded = open === e.id;
                const label = entryLabel(e, t) ?? (e.entityId ? (names.get(e.entityId) ?? null) : null);
                return (
                  <Fragment key={e.id}>
                    <Table.Tr onClick={() => setOpen(expanded ? null : e.id)} style={{ cursor: 'pointer' }} bg={expanded ? 'cyan.0' : undefined}>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          size="sm"
                          aria-label={t('audit.details')}
                          aria-expanded={expanded}
                          onClick={(ev) => { ev.stopPropagation(); setOpen(expanded ? null : e.id); }}
                        >
                          {expanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at, tz, i18n.language)}</Table.Td>
                      <Table.Td>{e.actorId === null ? <Text span c="dimmed" size="sm">{t('audit.system')}</Text> : e.actorName}</Table.Td>
                      <Table.Td><Tag color={e.action === 'deactivate' ? 'red' : e.action === 'create' ? 'teal' : 'blue'}>{tr(t, 'actions', e.action)}</Tag></Table.Td>
                      <Table.Td>{tr(t, 'entities', e.entity)}</Table.Td>
                      <Table.Td>
                        {label && <Text size="sm" span>{label} </Text>}
                        {e.entityId && (!label || e.entity !== 'setting') && <Text size="xs" c="dimmed" ff="monospace" span title={e.entityId}>{UUID.test(e.entityId) ? e.entityId.slice(0, 8) : e.entityId}</Text>}
                      </Table.Td>
                    </Table.Tr>
                    {expanded && (
                      <Table.Tr>
                        <Table.Td colSpan={6} bg="gray.0">
                          <Diff entry={e} names={names} />
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {log.isLoading && <Text c="dimmed" ta="center" py="md">{t('common.loading')}</Text>}
        {log.isSuccess && !items.length && <Text c="dimmed" ta="center" py="md">{t('common.empty')}</Text>}
        {log.hasNextPage ? (
          <Group justify="center" mt="sm">
            <Button variant="light" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>{t('audit.loadMore')}</Button>
          </Group>
        ) : (
          items.length > PAGE && <Text c="dimmed" ta="center" size="sm" mt="sm">{t('audit.end')}</Text>
        )}
      </Card>
    </Stack>
  );
}
