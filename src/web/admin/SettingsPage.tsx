import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { IconDeviceFloppy, IconRestore } from '@tabler/icons-react';
import type { SettingKey } from '../../contracts/settings';
import { call, issueField, issuesOf, type Body } from '../api';
import { PageHeader } from '../ui/PageHeader';
import { useSession } from '../auth/session';
import { FieldInput, fromDisplay, toDisplay, type FieldDef, type FormValues } from '../ui/ResourcePage';
import { RetentionDryRun } from '../compliance/RetentionDryRun';

// The Parâmetros screen: one card per settings key. The form holds what a person types (minutes,
// hours); it goes back to the API's units on save. Scalar keys are held under SCALAR.
const SCALAR = 'value';
const KEYS: Record<SettingKey, true> = {
  timezone: true, companyName: true, timeInState: true, noInteractionMinutes: true, shortAbandonSeconds: true, serviceLevel: true, timeouts: true, alerts: true, allowPrivateWebhookTargets: true, retention: true, optOut: true,
};
// two columns of cards on a wide screen, left then right on a phone
const COLUMNS: SettingKey[][] = [['timezone', 'companyName', 'serviceLevel', 'shortAbandonSeconds', 'noInteractionMinutes', 'allowPrivateWebhookTargets', 'optOut'], ['timeInState', 'timeouts', 'alerts', 'retention']];
const ZONES = ['America/Sao_Paulo', 'America/Manaus', 'America/Belem', 'America/Fortaleza', 'America/Recife', 'America/Cuiaba', 'America/Porto_Velho', 'America/Rio_Branco', 'America/Noronha', 'UTC'];

interface Group {
  key: SettingKey;
  title: string;
  help: string;
  fields: FieldDef[];
  scalar?: boolean;
  /** fields the API holds as a list of words, typed as one line separated by commas */
  lists?: string[];
}

function zoneLabel(zone: string): string {
  try {
    const offset = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value;
    return `${zone} (${offset === 'GMT' ? 'UTC' : offset?.replace('GMT', 'UTC')})`;
  } catch {
    return zone;
  }
}

function buildGroups(t: TFunction, current: string | undefined): Group[] {
  const [s, min, h, pct] = [t('units.s'), t('units.min'), t('units.h'), t('units.percent')];
  const zones = current && !ZONES.includes(current) ? [current, ...ZONES] : ZONES;
  return [
    {
      key: 'timezone', title: t('settings.timezone.title'), help: t('settings.timezone.help'), scalar: true,
      fields: [{ name: SCALAR, label: t('settings.timezone.label'), type: 'select', required: true, options: zones.map((z) => ({ value: z, label: zoneLabel(z) })) }],
    },
    {
      key: 'companyName', title: t('settings.companyName.title'), help: t('settings.companyName.help'), scalar: true,
      fields: [{ name: SCALAR, label: t('settings.companyName.label'), type: 'text', required: true }],
    },
    {
      key: 'timeInState', title: t('settings.timeInState.title'), help: t('settings.timeInState.help'),
      fields: [
        { name: 'lowMinutes', label: t('settings.timeInState.low'), type: 'number', min: 1, max: 600, unit: min, required: true },
        { name: 'highMinutes', label: t('settings.timeInState.high'), type: 'number', min: 1, max: 1440, unit: min, required: true },
      ],
    },
    {
      key: 'noInteractionMinutes', title: t('settings.noInteraction.title'), help: t('settings.noInteraction.help'), scalar: true,
      fields: [{ name: SCALAR, label: t('settings.noInteraction.label'), type: 'number', min: 1, max: 1440, unit: min, required: true }],
    },
    {
      key: 'shortAbandonSeconds', title: t('settings.shortAbandon.title'), help: t('settings.shortAbandon.help'), scalar: true,
      fields: [{ name: SCALAR, label: t('settings.shortAbandon.label'), type: 'number', min: 0, max: 600, unit: s, required: true }],
    },
    {
      key: 'serviceLevel', title: t('settings.serviceLevel.title'), help: t('settings.serviceLevel.help'),
      fields: [
        { name: 'chatSeconds', label: t('settings.serviceLevel.chat'), type: 'number', min: 1, max: 86_400, unit: s, required: true },
        { name: 'emailSeconds', label: t('settings.serviceLevel.email'), type: 'number', min: 0.01, max: 720, scale: 3600, unit: h, required: true },
        { name: 'targetPercent', label: t('settings.serviceLevel.target'), type: 'number', min: 1, max: 100, unit: pct, required: true },
      ],
    },
    {
      key: 'timeouts', title: t('settings.timeouts.title'), help: t('settings.timeouts.help'),
      fields: [
        { name: 'botSeconds', label: t('settings.timeouts.bot'), description: t('settings.timeouts.botHelp'), type: 'number', min: 0.17, max: 1440, scale: 60, unit: min, required: true },
        { name: 'queueSeconds', label: t('settings.timeouts.queue'), description: t('settings.timeouts.queueHelp'), type: 'number', min: 0.17, max: 10_080, scale: 60, unit: min, required: true },
        { name: 'inactiveInServiceSeconds', label: t('settings.timeouts.inactive'), description: t('settings.timeouts.inactiveHelp'), type: 'number', min: 0.17, max: 1440, scale: 60, unit: min, required: true },
        { name: 'agentGraceSeconds', label: t('settings.timeouts.grace'), description: t('settings.timeouts.graceHelp'), type: 'number', min: 5, max: 3600, unit: s, required: true },
        {
          name: 'connectionLostAction', label: t('settings.timeouts.action'), type: 'select', required: true,
          options: [{ value: 'requeue', label: t('settings.timeouts.requeue') }, { value: 'finish', label: t('settings.timeouts.finish') }],
        },
      ],
    },
    {
      key: 'alerts', title: t('settings.alerts.title'), help: t('settings.alerts.help'),
      fields: [
        { name: 'pauseMinutes', label: t('settings.alerts.pause'), description: t('settings.alerts.pauseHelp'), type: 'number', min: 1, max: 1440, unit: min, required: true },
        { name: 'noInteractionMinutes', label: t('settings.alerts.noInteraction'), type: 'number', min: 1, max: 1440, unit: min, required: true },
        { name: 'longServiceMinutes', label: t('settings.alerts.longService'), type: 'number', min: 1, max: 1440, unit: min, required: true },
        { name: 'queueLength', label: t('settings.alerts.queueLength'), type: 'number', min: 1, max: 100_000, unit: t('units.conversations'), required: true },
        { name: 'serviceLevelPercent', label: t('settings.alerts.serviceLevel'), type: 'number', min: 1, max: 100, unit: pct, required: true },
        { name: 'walletMinBalance', label: t('settings.alerts.walletMinBalance'), description: t('settings.alerts.walletMinBalanceHelp'), type: 'number', min: 0, max: 1_000_000_000, required: true },
        { name: 'queueWaitOverTarget', label: t('settings.alerts.queueWait'), type: 'boolean' },
      ],
    },
    {
      key: 'allowPrivateWebhookTargets', title: t('settings.webhooks.title'), help: t('settings.webhooks.help'), scalar: true,
      fields: [{ name: SCALAR, label: t('settings.webhooks.allowPrivate'), type: 'boolean' }],
    },
    {
      // Retenção de dados (LGPD): each data class its own period and switch (engine/retention/)
      key: 'retention', title: t('settings.retention.title'), help: t('settings.retention.help'),
      fields: [
        { name: 'messagesEnabled', label: t('settings.retention.messagesEnabled'), type: 'boolean' },
        { name: 'messagesYears', label: t('settings.retention.messagesYears'), type: 'number', min: 2, max: 30, unit: t('units.years'), required: true },
        { name: 'emailBodiesEnabled', label: t('settings.retention.emailBodiesEnabled'), type: 'boolean' },
        { name: 'emailBodiesYears', label: t('settings.retention.emailBodiesYears'), type: 'number', min: 2, max: 30, unit: t('units.years'), required: true },
        { name: 'attachmentsEnabled', label: t('settings.retention.attachmentsEnabled'), type: 'boolean' },
        { name: 'attachmentsYears', label: t('settings.retention.attachmentsYears'), type: 'number', min: 2, max: 30, unit: t('units.years'), required: true },
        { name: 'accessRecordsEnabled', label: t('settings.retention.accessRecordsEnabled'), type: 'boolean' },
        { name: 'accessRecordsMonths', label: t('settings.retention.accessRecordsMonths'), description: t('settings.retention.accessRecordsHelp'), type: 'number', min: 6, max: 120, unit: t('units.months'), required: true },
        { name: 'auditLogEnabled', label: t('settings.retention.auditLogEnabled'), type: 'boolean' },
        { name: 'auditLogMonths', label: t('settings.retention.auditLogMonths'), type: 'number', min: 6, max: 240, unit: t('units.months'), required: true },
      ],
    },
    {
      key: 'optOut', title: t('settings.optOut.title'), help: t('settings.optOut.help'), lists: ['words'],
      fields: [
        { name: 'words', label: t('settings.optOut.words'), description: t('settings.optOut.wordsHelp'), type: 'text', required: true },
        { name: 'confirmation', label: t('settings.optOut.confirmation'), type: 'textarea', required: true },
      ],
    },
  ];
}

function toDraft(g: Group, value: unknown): FormValues {
  const raw: FormValues = g.scalar ? { [SCALAR]: value } : { ...(value as FormValues) };
  const out: FormValues = { ...raw };
  for (const f of g.fields) out[f.name] = toDisplay(f, raw[f.name], raw);
  for (const name of g.lists ?? []) out[name] = Array.isArray(raw[name]) ? (raw[name] as string[]).join(', ') : raw[name];
  return out;
}

function fromDraft(g: Group, draft: FormValues): unknown {
  const out: FormValues = { ...draft };
  for (const f of g.fields) out[f.name] = fromDisplay(f, draft[f.name], draft);
  for (const name of g.lists ?? []) out[name] = typeof draft[name] === 'string' ? (draft[name] as string).split(',').map((w) => w.trim()).filter(Boolean) : draft[name];
  return g.scalar ? out[SCALAR] : out;
}

/** The server's issues (`body.timeInState`: "lowMinutes must be below highMinutes") by setting and field; an error without issues is one general line. */
function settingErrors(e: Error): { key?: string; field?: string; text: string }[] {
  const issues = issuesOf(e);
  if (!issues.length) return [{ text: e.message }];
  return issues.map((i) => {
    const [key, field] = issueField(i.path).split('.');
    return key in KEYS ? { key, field, text: i.message } : { text: `${i.path}: ${i.message}` };
  });
}

export function SettingsPage() {
  const { t, i18n } = useTranslation('admin');
  const { me } = useSession();
  const canWrite = me.role === 'admin';
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => call('getSettings') });
  const timezone = settings.data?.timezone;
  const groups = useMemo(() => buildGroups(t, timezone), [t, i18n.language, timezone]);
  const meta = useQueries({
    queries: groups.map((g) => ({
      queryKey: ['settings-meta', g.key],
      queryFn: () => call('getSettingsByKey', { params: { key: g.key } }),
    })),
  });
  const [draft, setDraft] = useState<Partial<Record<SettingKey, FormValues>>>({});
  const [errors, setErrors] = useState<ReturnType<typeof settingErrors>>([]);

  // (re)load the draft of a key from the server unless the person is editing it
  const server = settings.data;
  useEffect(() => {
    if (!server) return;
    setDraft((d) => {
      const missing = groups.filter((g) => !d[g.key]);
      if (!missing.length) return d;
      return { ...d, ...Object.fromEntries(missing.map((g) => [g.key, toDraft(g, server[g.key])])) };
    });
  }, [server, groups]);

  const changed = useMemo(
    () => (server ? groups.filter((g) => draft[g.key] && JSON.stringify(fromDraft(g, draft[g.key]!)) !== JSON.stringify(server[g.key])) : []),
    [groups, draft, server],
  );

  const afterWrite = async () => {
    await qc.invalidateQueries({ queryKey: ['settings'] });
    await qc.invalidateQueries({ queryKey: ['settings-meta'] });
  };

  const save = useMutation({
    // each group's value is built from its form (fromDraft); the server checks it and names the field
    mutationFn: () => call('patchSettings', { body: Object.fromEntries(changed.map((g) => [g.key, fromDraft(g, draft[g.key]!)])) as Body<'patchSettings'> }),
    onSuccess: async (saved) => {
      setErrors([]);
      qc.setQueryData(['settings'], saved);
      setDraft(Object.fromEntries(groups.map((g) => [g.key, toDraft(g, saved[g.key])])));
      notifications.show({ color: 'teal', message: t('settings.saved') });
      await afterWrite();
    },
    onError: (e: Error) => setErrors(settingErrors(e)),
  });

  const restore = useMutation({
    mutationFn: (g: Group) => call('deleteSettingsByKey', { params: { key: g.key } }),
    onSuccess: async (res, g) => {
      setErrors((es) => es.filter((e) => e.key !== g.key));
      setDraft((d) => ({ ...d, [g.key]: toDraft(g, res.value) }));
      notifications.show({ color: 'teal', message: t('settings.restored', { group: g.title }) });
      await afterWrite();
    },
    onError: (e: Error) => notifications.show({ color: 'red', title: t('common.error'), message: e.message }),
  });

  const general = errors.filter((e) => !e.key);
  const saveBar = (
    <Group justify="flex-end">
      {changed.length > 0 && <Text size="sm" c="orange.8">{t('settings.unsaved', { count: changed.length })}</Text>}
      <Button variant="default" disabled={!changed.length} onClick={() => { setErrors([]); setDraft(server ? Object.fromEntries(groups.map((g) => [g.key, toDraft(g, server[g.key])])) : {}); }}>
        {t('settings.discard')}
      </Button>
      <Button leftSection={<IconDeviceFloppy size={16} />} disabled={!changed.length} loading={save.isPending} onClick={() => save.mutate()}>
        {t('settings.save')}
      </Button>
    </Group>
  );

  return (
    <Stack>
      <PageHeader title={t('settings.title')} description={t('settings.description')} actions={canWrite && saveBar} />
      {!canWrite && <Alert color="gray">{t('settings.readOnly')}</Alert>}
      {general.length > 0 && <Alert color="red" role="alert">{general.map((e) => e.text).join('; ')}</Alert>}
      {settings.isError && <Alert color="red" role="alert">{settings.error.message}</Alert>}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md" style={{ alignItems: 'start' }}>
        {COLUMNS.map((keys, c) => <Stack key={c} gap="md">{groups.filter((g) => keys.includes(g.key)).map((g) => {
          const i = groups.indexOf(g);
          const form = draft[g.key];
          if (!form) return null;
          const isChanged = changed.includes(g);
          const isDefault = meta[i]?.data?.isDefault;
          const groupErrors = errors.filter((e) => e.key === g.key);
          const loose = groupErrors.filter((e) => !e.field || !g.fields.some((f) => f.name === e.field));
          return (
            <Card key={g.key} withBorder padding="md" component="section" aria-labelledby={`settings-${g.key}`} data-testid={`settings-${g.key}`}>
              <Group justify="space-between" align="center" wrap="nowrap" gap="xs">
                <Group gap="xs" style={{ minWidth: 0 }}>
                  <Title order={4} id={`settings-${g.key}`}>{g.title}</Title>
                  {isChanged ? (
                    <Badge color="orange" variant="light" size="sm">{t('settings.changed')}</Badge>
                  ) : isDefault !== undefined && (
                    <Badge color={isDefault ? 'gray' : 'cyan'} variant="light" size="sm">{isDefault ? t('settings.isDefault') : t('settings.customized')}</Badge>
                  )}
                </Group>
                {canWrite && isDefault === false && (
                  <Button
                      size="xs"
                      variant="subtle"
                      color="gray"
                      leftSection={<IconRestore size={14} />}
                      style={{ flexShrink: 0 }}
                      loading={restore.isPending && restore.variables?.key === g.key}
                      onClick={() => restore.mutate(g)}
                      aria-label={`${t('settings.restore')}: ${g.title}`}
                    >
                      {t('settings.restore')}
                    </Button>
                )}
              </Group>
              <Text size="sm" c="dimmed" mt={4} mb="sm">{g.help}</Text>
              {loose.length > 0 && <Alert color="red" role="alert" mb="sm">{loose.map((e) => e.text).join('; ')}</Alert>}
              <fieldset disabled={!canWrite} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
                <SimpleGrid cols={{ base: 1, sm: g.fields.length > 1 ? 2 : 1 }} spacing="sm" verticalSpacing="sm" style={{ alignItems: 'end' }}>
                  {g.fields.map((f) => (
                    <FieldInput
                      key={f.name}
                      f={f}
                      form={form}
                      value={form[f.name]}
                      error={groupErrors.find((e) => e.field === f.name)?.text}
                      onChange={(v) => setDraft((d) => ({ ...d, [g.key]: { ...d[g.key], [f.name]: v } }))}
                    />
                  ))}
                </SimpleGrid>
              </fieldset>
              {g.key === 'retention' && <RetentionDryRun />}
            </Card>
          );
        })}</Stack>)}
      </SimpleGrid>
      {canWrite && changed.length > 0 && saveBar}
    </Stack>
  );
}
