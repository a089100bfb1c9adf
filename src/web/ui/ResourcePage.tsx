import { useMemo, useState, type ReactNode } from 'react';
import {
  Alert, Badge, Button, Card, Group, Modal, MultiSelect, NumberInput, PasswordInput, Select, Stack, Switch,
  Table, Text, TextInput, Textarea, } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { IconPencil, IconPlus, IconPlayerPause, IconPlayerPlay, IconSearch } from '@tabler/icons-react';
import { EmptyState } from './EmptyState';
import { PageHeader } from './PageHeader';
import { RowAction } from './RowAction';
import { fieldErrors, issueField, issuesOf, resources, type ResourceFor } from '../api';
import { useSession } from '../auth/session';

export interface Option {
  value: string;
  label: string;
}

/** One form field; `name` is the API field. */
export interface FieldDef {
  name: string;
  label: string;
  type: 'text' | 'email' | 'password' | 'number' | 'boolean' | 'select' | 'multiselect' | 'textarea' | 'custom';
  /** a `custom` field's own editor (a template's buttons): its value is sent as it is */
  render?: (props: { value: unknown; onChange: (v: unknown) => void; error?: string; form: FormValues }) => ReactNode;
  required?: boolean;
  /** a function builds them from the form, e.g. to keep an already chosen inactive record listed */
  options?: Option[] | ((form: FormValues) => Option[]);
  description?: string;
  /** help shown instead of `description` when editing ("leave empty to keep the password") */
  editDescription?: string;
  min?: number;
  max?: number;
  /** set only when creating (e.g. channel, which cannot change): shown disabled, and not sent, when editing */
  createOnly?: boolean;
  /** optional on edit even if required on create (password) */
  optionalOnEdit?: boolean;
  nullable?: boolean;
  placeholder?: string;
  autoComplete?: string;
  /**
   * number fields: the API value is the typed value × scale, e.g. 60 when a person types minutes and
   * the API stores seconds. A function picks the unit from the form (hours for e-mail, seconds for chat).
   */
  scale?: number | ((form: FormValues) => number);
  /** unit shown inside a number input (min, s, h) */
  unit?: string | ((form: FormValues) => string);
  /** the field shows (and is sent) only while this returns true, e.g. the e-mail filter of e-mail services */
  visible?: (form: FormValues, editing: boolean) => boolean;
  /** multiselect: an empty selection is sent as null (e.g. a classification with no service is valid for all) */
  emptyAsNull?: boolean;
}

export type FormValues = Record<string, unknown>;
const NO_FIELDS: FieldDef[] = [];

const pick = <V,>(v: V | ((form: FormValues) => V) | undefined, form: FormValues): V | undefined =>
  typeof v === 'function' ? (v as (form: FormValues) => V)(form) : v;

/** The API's value of a field as a person sees it (seconds → minutes). */
export function toDisplay(f: FieldDef, apiValue: unknown, form: FormValues): unknown {
  const scale = pick(f.scale, form);
  if (f.type !== 'number' || !scale || scale === 1 || typeof apiValue !== 'number') return apiValue;
  return Math.round((apiValue / scale) * 100) / 100;
}

/** What a person typed as the API's value (minutes → whole seconds). */
export function fromDisplay(f: FieldDef, value: unknown, form: FormValues): unknown {
  const scale = pick(f.scale, form);
  if (f.type !== 'number' || !scale || scale === 1 || typeof value !== 'number') return value;
  return Math.round(value * scale);
}

/**
 * The server's issues on the form's fields: `body.maxChat` and `email` go to the field of that name,
 * `teamIds.0` to `teamIds` (the form's fields are flat); several on one field are joined.
 */
export function formErrors(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors(e))) {
    const name = path.split('.')[0];
    out[name] = out[name] ? `${out[name]}; ${message}` : message;
  }
  return out;
}

export interface ColumnDef<T> {
  key: string;
  label: string;
  render: (item: T) => ReactNode;
}

interface Props<T extends { id: string; active: boolean }> {
  /** the API's resource, e.g. PauseReasons (getPauseReasons, postPauseReasons…); its path is the query key */
  resource: ResourceFor<T>;
  title: string;
  description?: string;
  columns: ColumnDef<T>[];
  /** the form; none for a screen without create and edit */
  fields?: FieldDef[];
  /** form values for an existing item (edit) */
  toForm?: (item: T) => Record<string, unknown>;
  defaults?: Record<string, unknown>;
  extraActions?: (item: T) => ReactNode;
  headerExtra?: ReactNode;
  /** filters the list on the client, after the server's (search, active) */
  filter?: (item: T) => boolean;
  /** turns off built-in actions (they are the admin's only anyway), e.g. a screen that links instead of creating */
  allow?: { create?: boolean; edit?: boolean; toggleActive?: boolean };
  /** last touch on the request body, e.g. a default taken from the parameters */
  toBody?: (body: Record<string, unknown>, ctx: { isNew: boolean; form: FormValues }) => Record<string, unknown>;
  /** shown under the fields, live as the form changes (a template's WhatsApp bubble) */
  preview?: (form: FormValues) => ReactNode;
  /** titles of the form: "Novo serviço", "Editar serviço" */
  formTitles?: { create: string; edit: string };
}

export function useList<T>(resource: ResourceFor<T>, opts: { active?: boolean; q?: string } = {}) {
  return useQuery({
    queryKey: [resources.path(resource), opts],
    queryFn: () => resources.list<T>(resource, { active: opts.active === undefined ? undefined : opts.active ? 'true' : 'false', q: opts.q || undefined }),
  });
}

/** One input of a FieldDef; `value` is in the unit the person types (see toDisplay). */
export function FieldInput({ f, value, onChange, editing = false, form = {}, error }: {
  f: FieldDef;
  value: unknown;
  onChange: (v: unknown) => void;
  editing?: boolean;
  form?: FormValues;
  error?: string;
}) {
  const { t } = useTranslation();
  const required = f.required && !(editing && f.optionalOnEdit);
  const description = editing && f.editDescription ? f.editDescription : f.description;
  const disabled = editing && f.createOnly;
  const common = { label: f.label, description, required: required && !disabled, name: f.name, error, placeholder: f.placeholder, disabled };
  switch (f.type) {
    case 'boolean':
      return <Switch label={f.label} description={description} name={f.name} error={error} checked={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} />;
    case 'number': {
      const unit = pick(f.unit, form);
      return (
        <NumberInput
          {...common}
          min={f.min}
          max={f.max}
          decimalScale={pick(f.scale, form) && pick(f.scale, form) !== 1 ? 2 : 0}
          allowNegative={false}
          value={(value as number | null) ?? ''}
          onChange={(v) => onChange(v === '' ? null : Number(v))}
          rightSection={unit ? <Text size="sm" c="dimmed">{unit}</Text> : undefined}
          rightSectionWidth={unit ? 48 : undefined}
        />
      );
    }
    case 'select':
      return <Select {...common} data={pick(f.options, form) ?? []} value={(value as string | null) ?? null} onChange={(v) => onChange(v)} clearable={f.nullable} allowDeselect={!!f.nullable} searchable nothingFoundMessage={t('common.empty')} />;
    case 'multiselect':
      return <MultiSelect {...common} data={pick(f.options, form) ?? []} value={(value as string[] | null) ?? []} onChange={(v) => onChange(v)} searchable clearable nothingFoundMessage={t('common.empty')} />;
    case 'textarea':
      return <Textarea {...common} autosize minRows={3} maxRows={14} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'custom':
      return <>{f.render?.({ value, onChange, error, form })}</>;
    case 'password':
      return <PasswordInput {...common} visibilityToggleButtonProps={{ 'aria-label': t('common.toggleVisibility') }} autoComplete={f.autoComplete ?? 'new-password'} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
    default:
      return <TextInput {...common} type={f.type} autoComplete={f.autoComplete} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}

/**
 * A list-and-form screen for an administrable resource: search, active filter, create, edit and
 * deactivate. Errors from the API (which name the field) are shown in the form.
 */
export function ResourcePage<T extends { id: string; active: boolean }>(props: Props<T>) {
  const p = { ...props, fields: props.fields ?? NO_FIELDS };
  const { t } = useTranslation();
  const { me } = useSession();
  const isAdmin = me.role === 'admin';
  const canCreate = isAdmin && p.allow?.create !== false;
  const canEdit = isAdmin && p.allow?.edit !== false;
  const canToggle = isAdmin && p.allow?.toggleActive !== false;
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [showInactive, setShowInactive] = useState(false);
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [form, setForm] = useState<FormValues>({});
  const [error, setError] = useState<Error | null>(null);
  const list = useList<T>(p.resource, { q: q || undefined, active: showInactive ? undefined : true });
  const items = useMemo(() => (list.data ?? []).filter(p.filter ?? (() => true)), [list.data, p.filter]);
  const isNew = editing === 'new';
  const shown = p.fields.filter((f) => f.visible?.(form, !isNew) ?? true);
  const errors = useMemo(() => formErrors(error), [error]);
  // the alert names each field by its label, not by its API name; an error without issues says its message
  const alertText = useMemo(() => {
    if (!error) return null;
    const issues = issuesOf(error);
    if (!issues.length) return error.message;
    return issues
      .map((i) => {
        const [name, ...rest] = issueField(i.path).split('.');
        const f = p.fields.find((x) => x.name === name);
        return `${f ? f.label : name}${rest.length ? `.${rest.join('.')}` : ''}: ${i.message}`;
      })
      .join('; ');
  }, [error, p.fields]);

  const open = (item: T | 'new') => {
    setError(null);
    setEditing(item);
    const raw: FormValues = item === 'new' ? { ...(p.defaults ?? {}) } : (p.toForm?.(item) ?? { ...item });
    const display = { ...raw };
    for (const f of p.fields) if (raw[f.name] !== undefined) display[f.name] = toDisplay(f, raw[f.name], raw);
    setForm(display);
  };
  // a change here shows elsewhere (a user's teams are the team's agents): refresh every list, and me
  const invalidate = () =>
    qc.invalidateQueries({ predicate: (query) => (typeof query.queryKey[0] === 'string' && query.queryKey[0].startsWith('/api/')) || query.queryKey[0] === 'me' });

  const save = useMutation({
    mutationFn: async () => {
      let body: Record<string, unknown> = {};
      for (const f of shown) {
        if (!isNew && f.createOnly) continue;
        let v = form[f.name];
        if (v === '' || v === undefined || v === null) {
          if (!isNew && f.optionalOnEdit) continue;
          if (f.nullable) v = null;
          else if (isNew) continue;
          else if (f.type === 'text' || f.type === 'textarea') v = '';
          else continue;
        }
        if (f.emptyAsNull && Array.isArray(v) && v.length === 0) v = null;
        body[f.name] = fromDisplay(f, v, form);
      }
      if (p.toBody) body = p.toBody(body, { isNew, form });
      return isNew ? resources.create<T>(p.resource, body) : resources.update<T>(p.resource, (editing as T).id, body);
    },
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: isNew ? t('common.created') : t('common.saved') });
      setEditing(null);
      await invalidate();
    },
    onError: (e: Error) => setError(e),
  });

  const toggleActive = useMutation({
    mutationFn: (item: T) => (item.active ? resources.deactivate<T>(p.resource, item.id) : resources.update<T>(p.resource, item.id, { active: true })),
    onSuccess: invalidate,
    onError: (e: Error) => notifications.show({ color: 'red', title: t('common.error'), message: e.message }),
  });

  const hasActions = canEdit || canToggle || !!p.extraActions;
  const title = isNew ? (p.formTitles?.create ?? `${t('common.create')}: ${p.title}`) : (p.formTitles?.edit ?? `${t('common.edit')}: ${p.title}`);

  return (
    <Stack>
      <PageHeader
        title={p.title}
        description={p.description}
        actions={(p.headerExtra || canCreate) && (
          <>
            {p.headerExtra}
            {canCreate && <Button leftSection={<IconPlus size={16} />} onClick={() => open('new')}>{t('common.create')}</Button>}
          </>
        )}
      />
      <Card withBorder padding="sm">
        <Group mb="sm">
          <TextInput
            placeholder={t('common.search')}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            w={{ base: '100%', xs: 280 }}
            aria-label={t('common.search')}
            leftSection={<IconSearch size={16} />}
          />
          <Switch label={t('common.showInactive')} checked={showInactive} onChange={(e) => setShowInactive(e.currentTarget.checked)} />
        </Group>
        <Table.ScrollContainer minWidth={600}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                {p.columns.map((c) => <Table.Th key={c.key}>{c.label}</Table.Th>)}
                <Table.Th>{t('common.status')}</Table.Th>
                {hasActions && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id}>
                  {p.columns.map((c) => <Table.Td key={c.key}>{c.render(item)}</Table.Td>)}
                  <Table.Td>
                    <Badge color={item.active ? 'teal' : 'gray'} variant="light" style={{ minWidth: 'max-content' }}>{item.active ? t('common.active') : t('common.inactive')}</Badge>
                  </Table.Td>
                  {hasActions && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        {p.extraActions?.(item)}
                        {canEdit && <RowAction label={t('common.edit')} icon={<IconPencil size={16} />} onClick={() => open(item)} />}
                        {canToggle && (
                          <RowAction
                            label={item.active ? t('common.deactivate') : t('common.activate')}
                            color={item.active ? 'red' : 'teal'}
                            icon={item.active ? <IconPlayerPause size={16} /> : <IconPlayerPlay size={16} />}
                            onClick={() => toggleActive.mutate(item)}
                          />
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
        {list.isError && <Alert color="red" role="alert" mt="sm">{list.error.message}</Alert>}
        {list.isSuccess && !items.length && (
          q.trim() ? (
            <EmptyState why={t('common.noMatch', { q: q.trim() })} action={<Button variant="subtle" size="xs" onClick={() => setQ('')}>{t('common.clearSearch')}</Button>} />
          ) : (
            <EmptyState
              why={t('common.emptyYet')}
              todo={canCreate ? t('common.emptyCreate') : showInactive ? undefined : t('common.emptyInactive')}
            />
          )
        )}
      </Card>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={title} size="lg">
        <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
          <Stack>
            {alertText && <Alert color="red" role="alert">{alertText}</Alert>}
            {shown.map((f) => (
              <FieldInput
                key={f.name}
                f={f}
                value={form[f.name]}
                form={form}
                error={errors[f.name]}
                editing={!isNew}
                onChange={(v) => setForm((s) => ({ ...s, [f.name]: v }))}
              />
            ))}
            {p.preview?.(form)}
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
