import { useMemo, useState, type ReactNode } from 'react';
import {
  ActionIcon, Alert, Badge, Button, Card, Group, Modal, MultiSelect, NumberInput, Select, Stack, Switch, Table,
  Text, TextInput, Textarea, Title, Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { IconPencil, IconPlus, IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { del, get, patch, post } from '../api';
import { useSession } from '../auth/session';

export interface Option {
  value: string;
  label: string;
}

/** One form field; `name` is the API field. */
export interface FieldDef {
  name: string;
  label: string;
  type: 'text' | 'email' | 'password' | 'number' | 'boolean' | 'select' | 'multiselect' | 'textarea';
  required?: boolean;
  options?: Option[];
  description?: string;
  min?: number;
  max?: number;
  /** shown only when creating (e.g. channel, which cannot change) */
  createOnly?: boolean;
  /** optional on edit even if required on create (password) */
  optionalOnEdit?: boolean;
  nullable?: boolean;
}

export interface ColumnDef<T> {
  key: string;
  label: string;
  render: (item: T) => ReactNode;
}

interface Props<T extends { id: string; active: boolean }> {
  /** API path, e.g. /api/pause-reasons; also the query key */
  path: string;
  title: string;
  description?: string;
  columns: ColumnDef<T>[];
  fields: FieldDef[];
  /** form values for an existing item (edit) */
  toForm?: (item: T) => Record<string, unknown>;
  defaults?: Record<string, unknown>;
  extraActions?: (item: T) => ReactNode;
  headerExtra?: ReactNode;
  /** filters the list on the client, after the server's (search, active) */
  filter?: (item: T) => boolean;
}

export function useList<T>(path: string, opts: { active?: boolean; q?: string } = {}) {
  const qs = new URLSearchParams();
  if (opts.active !== undefined) qs.set('active', String(opts.active));
  if (opts.q) qs.set('q', opts.q);
  return useQuery({
    queryKey: [path, opts],
    queryFn: () => get<{ items: T[] }>(`${path}${qs.size ? '?' + qs : ''}`).then((r) => r.items),
  });
}

function FieldInput({ f, value, onChange, editing }: { f: FieldDef; value: unknown; onChange: (v: unknown) => void; editing: boolean }) {
  const required = f.required && !(editing && f.optionalOnEdit);
  const common = { label: f.label, description: f.description, required, name: f.name };
  switch (f.type) {
    case 'boolean':
      return <Switch {...common} checked={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} />;
    case 'number':
      return <NumberInput {...common} min={f.min} max={f.max} value={(value as number | null) ?? ''} onChange={(v) => onChange(v === '' ? null : Number(v))} />;
    case 'select':
      return <Select {...common} data={f.options ?? []} value={(value as string | null) ?? null} onChange={(v) => onChange(v)} clearable={f.nullable} searchable />;
    case 'multiselect':
      return <MultiSelect {...common} data={f.options ?? []} value={(value as string[] | null) ?? []} onChange={(v) => onChange(v)} searchable clearable />;
    case 'textarea':
      return <Textarea {...common} autosize minRows={3} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
    default:
      return <TextInput {...common} type={f.type} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}

/**
 * A list-and-form screen for an administrable resource: search, active filter, create, edit and
 * deactivate. Errors from the API (which name the field) are shown in the form.
 */
export function ResourcePage<T extends { id: string; active: boolean }>(p: Props<T>) {
  const { t } = useTranslation();
  const { me } = useSession();
  const canWrite = me.role === 'admin';
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [showInactive, setShowInactive] = useState(false);
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [form, setForm] = useState<Record<string, unknown>>({});
  const [error, setError] = useState<string | null>(null);
  const list = useList<T>(p.path, { q: q || undefined, active: showInactive ? undefined : true });
  const items = useMemo(() => (list.data ?? []).filter(p.filter ?? (() => true)), [list.data, p.filter]);

  const open = (item: T | 'new') => {
    setError(null);
    setEditing(item);
    setForm(item === 'new' ? { ...(p.defaults ?? {}) } : (p.toForm?.(item) ?? { ...item }));
  };
  const invalidate = () => qc.invalidateQueries({ queryKey: [p.path] });

  const save = useMutation({
    mutationFn: async () => {
      const isNew = editing === 'new';
      const body: Record<string, unknown> = {};
      for (const f of p.fields) {
        if (!isNew && f.createOnly) continue;
        let v = form[f.name];
        if (v === '' || v === undefined) {
          if (!isNew && f.optionalOnEdit) continue;
          if (f.nullable) v = null;
          else if (isNew) continue;
          else v = f.type === 'text' || f.type === 'textarea' ? '' : undefined;
        }
        if (v !== undefined) body[f.name] = v;
      }
      return isNew ? post<T>(p.path, body) : patch<T>(`${p.path}/${(editing as T).id}`, body);
    },
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: editing === 'new' ? t('common.created') : t('common.saved') });
      setEditing(null);
      await invalidate();
    },
    onError: (e: Error) => setError(e.message),
  });

  const toggleActive = useMutation({
    mutationFn: (item: T) => (item.active ? del<T>(`${p.path}/${item.id}`) : patch<T>(`${p.path}/${item.id}`, { active: true })),
    onSuccess: invalidate,
    onError: (e: Error) => notifications.show({ color: 'red', title: t('common.error'), message: e.message }),
  });

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{p.title}</Title>
          {p.description && <Text c="dimmed" size="sm">{p.description}</Text>}
        </div>
        <Group>
          {p.headerExtra}
          {canWrite && <Button leftSection={<IconPlus size={16} />} onClick={() => open('new')}>{t('common.create')}</Button>}
        </Group>
      </Group>
      <Card withBorder padding="sm">
        <Group mb="sm">
          <TextInput placeholder={t('common.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={280} aria-label={t('common.search')} />
          <Switch label={t('common.showInactive')} checked={showInactive} onChange={(e) => setShowInactive(e.currentTarget.checked)} />
        </Group>
        <Table.ScrollContainer minWidth={600}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                {p.columns.map((c) => <Table.Th key={c.key}>{c.label}</Table.Th>)}
                <Table.Th>{t('common.status')}</Table.Th>
                {(canWrite || p.extraActions) && <Table.Th w={120}>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id}>
                  {p.columns.map((c) => <Table.Td key={c.key}>{c.render(item)}</Table.Td>)}
                  <Table.Td>
                    <Badge color={item.active ? 'teal' : 'gray'} variant="light">{item.active ? t('common.active') : t('common.inactive')}</Badge>
                  </Table.Td>
                  {(canWrite || p.extraActions) && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        {p.extraActions?.(item)}
                        {canWrite && (
                          <>
                            <Tooltip label={t('common.edit')}>
                              <ActionIcon variant="subtle" onClick={() => open(item)} aria-label={t('common.edit')}><IconPencil size={16} /></ActionIcon>
                            </Tooltip>
                            <Tooltip label={item.active ? t('common.deactivate') : t('common.activate')}>
                              <ActionIcon variant="subtle" color={item.active ? 'red' : 'teal'} onClick={() => toggleActive.mutate(item)} aria-label={item.active ? t('common.deactivate') : t('common.activate')}>
                                {item.active ? <IconPlayerPause size={16} /> : <IconPlayerPlay size={16} />}
                              </ActionIcon>
                            </Tooltip>
                          </>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {list.isLoading && <Text c="dimmed" ta="center" py="md">{t('common.loading')}</Text>}
        {list.isSuccess && !items.length && <Text c="dimmed" ta="center" py="md">{t('common.empty')}</Text>}
      </Card>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? `${t('common.create')}: ${p.title}` : `${t('common.edit')}: ${p.title}`} size="lg">
        <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
          <Stack>
            {error && <Alert color="red" role="alert">{error}</Alert>}
            {p.fields
              .filter((f) => editing === 'new' || !f.createOnly)
              .map((f) => (
                <FieldInput key={f.name} f={f} value={form[f.name]} editing={editing !== 'new'} onChange={(v) => setForm((s) => ({ ...s, [f.name]: v }))} />
              ))}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
              <Button type="submit" loading={save.isPending}>{t('common.save')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
