import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ActionIcon, Alert, Anchor, Badge, Button, Card, Group, Select, Stack, Switch, TagsInput, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { IconArrowDown, IconArrowLeft, IconArrowUp, IconDeviceFloppy, IconPlus, IconTrash } from '@tabler/icons-react';
import type { WrapupFieldType } from '../../contracts/wrapup-fields';
import { ApiError } from '../api';
import { putWrapupFields, useService, useWrapupFields, wrapupFieldsKey } from './service-api';
import {
  checkRows, emptyRow, FIELD_TYPES, issuesByRow, MAX_FIELDS, rowsFrom, suggestKey, toInput, uniqueKey, type FieldRow, type RowErrors,
} from './wrapup-model';

/**
 * Campos da ficha of a service: what the agent fills in on Concluir besides the classification and
 * the notes. The whole ordered list is saved with one PUT; the server's refusals land on the field.
 */
export function WrapupFieldsPage() {
  const { id } = useParams();
  const { t } = useTranslation('admin');
  const qc = useQueryClient();
  const service = useService(id);
  const fields = useWrapupFields(id);
  const [rows, setRows] = useState<FieldRow[]>([]);
  const [loaded, setLoaded] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [serverErrors, setServerErrors] = useState<Map<number, RowErrors>>(new Map());
  const [error, setError] = useState<string | null>(null);
  // a field just added takes the focus, so the keyboard goes on typing its label
  const [added, setAdded] = useState<number | null>(null);

  useEffect(() => {
    if (!fields.data || loaded === id) return;
    setRows(rowsFrom(fields.data));
    setLoaded(id ?? null);
  }, [fields.data, loaded, id]);

  const localErrors = useMemo(() => checkRows(rows), [rows]);
  const dirty = useMemo(() => !!fields.data && JSON.stringify(toInput(rows)) !== JSON.stringify(toInput(rowsFrom(fields.data))), [rows, fields.data]);

  const save = useMutation({
    mutationFn: () => putWrapupFields(id!, toInput(rows)),
    onSuccess: (saved) => {
      setError(null);
      setTried(false);
      setServerErrors(new Map());
      qc.setQueryData(wrapupFieldsKey(id), saved.items);
      setRows(rowsFrom(saved.items));
      notifications.show({ color: 'teal', message: t('wrapupFields.saved') });
    },
    onError: (e: Error) => {
      const byRow = e instanceof ApiError ? issuesByRow(rows, e.issues) : new Map<number, RowErrors>();
      setServerErrors(byRow);
      setError(byRow.size ? t('wrapupFields.serverProblems') : e.message);
    },
  });

  const s = service.data;
  if (service.isError || fields.isError) return <Alert color="red" role="alert">{(service.error ?? fields.error)?.message}</Alert>;
  if (!s || loaded !== id) return <Text c="dimmed">{t('common.loading')}</Text>;

  const update = (uid: number, patch: Partial<FieldRow>) => {
    setRows((list) => list.map((r) => {
      if (r.uid !== uid) return r;
      const next = { ...r, ...patch };
      // the key follows the label until the admin types one
      if (patch.label !== undefined && !next.keyTyped) {
        next.key = uniqueKey(suggestKey(patch.label), new Set(list.filter((x) => x.uid !== uid).map((x) => x.key)));
      }
      return next;
    }));
    setServerErrors((m) => {
      if (!m.has(uid)) return m;
      const copy = new Map(m);
      copy.delete(uid);
      return copy;
    });
  };
  const move = (i: number, by: -1 | 1) => setRows((list) => {
    const copy = [...list];
    [copy[i], copy[i + by]] = [copy[i + by], copy[i]];
    return copy;
  });
  const add = () => {
    const row = emptyRow();
    setAdded(row.uid);
    setRows((list) => [...list, row]);
  };
  const submit = () => {
    setTried(true);
    if (localErrors.size) {
      setError(t('wrapupFields.fixFirst'));
      return;
    }
    save.mutate();
  };
  const errorOf = (r: FieldRow, f: keyof RowErrors): string | undefined => {
    const server = serverErrors.get(r.uid)?.[f];
    if (server) return server;
    const local = tried ? localErrors.get(r.uid)?.[f] : undefined;
    return local ? t(`wrapupFields.errors.${local}`) : undefined;
  };
  const typeOptions = FIELD_TYPES.map((x) => ({ value: x, label: t(`wrapupFields.types.${x}`) }));

  return (
    <Stack maw={1000}>
      <div>
        <Anchor component={Link} to="/admin/services" size="sm"><IconArrowLeft size={14} style={{ verticalAlign: -2 }} /> {t('botFlow.back')}</Anchor>
        <Title order={1} size="h2">{t('wrapupFields.title', { name: s.name })}</Title>
        <Text c="dimmed" size="sm">{t('wrapupFields.description')}</Text>
      </div>
      {error && <Alert color="red" role="alert">{error}</Alert>}

      {rows.length === 0 && (
        <Card withBorder><Text size="sm" c="dimmed">{t('wrapupFields.empty')}</Text></Card>
      )}
      {rows.map((r, i) => {
        const name = r.label.trim() || t('wrapupFields.fieldN', { n: i + 1 });
        return (
          <Card key={r.uid} withBorder padding="sm" data-testid="wrapup-field-row" aria-label={name} component="section">
            <Group align="flex-start" wrap="nowrap" gap="sm">
              <Stack gap={2} pt={22}>
                <Tooltip label={t('wrapupFields.moveUp')}>
                  <ActionIcon variant="subtle" size="sm" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`${t('wrapupFields.moveUp')}: ${name}`}><IconArrowUp size={14} /></ActionIcon>
                </Tooltip>
                <Tooltip label={t('wrapupFields.moveDown')}>
                  <ActionIcon variant="subtle" size="sm" disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label={`${t('wrapupFields.moveDown')}: ${name}`}><IconArrowDown size={14} /></ActionIcon>
                </Tooltip>
              </Stack>
              <Stack gap="xs" style={{ flex: 1 }}>
                <Group align="flex-start" wrap="nowrap" gap="sm">
                  <TextInput
                    style={{ flex: 1 }}
                    label={t('wrapupFields.label')}
                    placeholder={t('wrapupFields.labelPlaceholder')}
                    withAsterisk
                    maxLength={100}
                    value={r.label}
                    error={errorOf(r, 'label')}
                    onChange={(e) => update(r.uid, { label: e.currentTarget.value })}
                    autoFocus={r.uid === added}
                  />
                  <TextInput
                    w={210}
                    label={t('wrapupFields.key')}
                    withAsterisk
                    maxLength={40}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    value={r.key}
                    error={errorOf(r, 'key')}
                    description={r.savedKey && r.key !== r.savedKey ? t('wrapupFields.keyChanged', { key: r.savedKey }) : undefined}
                    inputWrapperOrder={['label', 'input', 'description', 'error']}
                    onChange={(e) => {
                      const key = e.currentTarget.value.toLowerCase();
                      update(r.uid, { key, keyTyped: key !== '' });
                    }}
                  />
                  <Select
                    w={170}
                    label={t('wrapupFields.type')}
                    data={typeOptions}
                    value={r.type}
                    allowDeselect={false}
                    error={errorOf(r, 'type')}
                    onChange={(v) => v && update(r.uid, { type: v as WrapupFieldType })}
                  />
                  <Switch mt={32} label={t('wrapupFields.required')} checked={r.required} onChange={(e) => update(r.uid, { required: e.currentTarget.checked })} />
                  <Tooltip label={t('wrapupFields.remove')}>
                    <ActionIcon mt={26} variant="subtle" color="red" onClick={() => setRows((list) => list.filter((x) => x.uid !== r.uid))} aria-label={`${t('wrapupFields.remove')}: ${name}`}><IconTrash size={16} /></ActionIcon>
                  </Tooltip>
                </Group>
                {r.type === 'select' && (
                  <TagsInput
                    label={t('wrapupFields.options')}
                    description={t('wrapupFields.optionsHelp')}
                    placeholder={r.options.length ? undefined : t('wrapupFields.optionsPlaceholder')}
                    withAsterisk
                    value={r.options}
                    maxTags={100}
                    acceptValueOnBlur
                    clearable
                    error={errorOf(r, 'options')}
                    onChange={(options) => update(r.uid, { options })}
                  />
                )}
                {r.type === 'boolean' && <Text size="xs" c="dimmed">{t('wrapupFields.booleanHelp')}</Text>}
              </Stack>
            </Group>
          </Card>
        );
      })}

      <Group>
        <Button variant="default" leftSection={<IconPlus size={16} />} onClick={add} disabled={rows.length >= MAX_FIELDS}>{t('wrapupFields.add')}</Button>
        <Button leftSection={<IconDeviceFloppy size={16} />} onClick={submit} loading={save.isPending}>{t('wrapupFields.save')}</Button>
        {dirty && <Badge color="yellow" variant="light">{t('wrapupFields.unsaved')}</Badge>}
      </Group>
    </Stack>
  );
}
