import { useMemo, useRef, useState, type DragEvent } from 'react';
import { Alert, Anchor, Badge, Button, FileInput, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconFileUpload, IconRocket, IconChecklist } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Campaign, CampaignValidation } from '../../../contracts/campaigns';
import { campaignReasonText } from '../../../shared/campaign-reasons';
import { templateParameterCount } from '../../../shared/template-text';
import { call, fieldErrors } from '../../api';
import { useSession } from '../../auth/session';
import { useServices } from '../../monitor/useMonitor';
import { putCampaign } from './api';
import { campaignService, dataLines, exampleCsv, looksLikeCsv, MAX_CSV_CHARS, sendableTemplates } from './campaign-form';
import { instantOfWallTime } from './wall-time';

interface Csv {
  name: string;
  text: string;
}

/** "Nova campanha": name, service, template, window, start; the CSV (picked or dropped), Validar, Iniciar campanha. */
export function NewCampaignModal({ opened, onClose, onCreated }: { opened: boolean; onClose(): void; onCreated(c: Campaign): void }) {
  const { t } = useTranslation('analysis');
  return (
    <Modal opened={opened} onClose={onClose} size="min(920px, 96vw)" title={<Text fw={700}>{t('analysis.campaigns.form.title')}</Text>} data-testid="campaign-modal">
      {opened && <NewCampaignForm onClose={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function NewCampaignForm({ onClose, onCreated }: { onClose(): void; onCreated(c: Campaign): void }) {
  const { t, i18n } = useTranslation('analysis');
  const { settings } = useSession();
  const qc = useQueryClient();
  const { services } = useServices();
  const templates = useQuery({ queryKey: ['campaigns', 'templates'], queryFn: async () => (await call('getTemplates', { query: { active: 'true' } })).items, staleTime: 60_000 });
  const [name, setName] = useState('');
  const [serviceId, setServiceId] = useState<string | null>(null);
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [from, setFrom] = useState('09:00');
  const [to, setTo] = useState('18:00');
  const [startAt, setStartAt] = useState('');
  const [csv, setCsv] = useState<Csv | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [touched, setTouched] = useState(false);
  const validatedFor = useRef<string | null>(null);

  const service = services.find((s) => s.id === serviceId) ?? null;
  const choices = useMemo(() => sendableTemplates(templates.data ?? [], service?.channelAccountId), [templates.data, service]);
  const template = choices.find((x) => x.id === templateId) ?? null;
  const paramCount = template ? templateParameterCount(template.body) : 0;
  const inputKey = JSON.stringify([serviceId, templateId, csv?.text ?? null]);

  const validate = useMutation({
    mutationFn: (body: { templateId: string; serviceId: string; csv: string }) => call('postCampaignsValidate', { body }),
  });
  const create = useMutation({
    mutationFn: () => {
      const start = startAt ? instantOfWallTime(startAt, settings.timezone) : null;
      return call('postCampaigns', {
        body: { name: name.trim(), templateId: templateId!, serviceId: serviceId!, csv: csv!.text, window: { from, to }, ...(start ? { startAt: start } : {}) },
      });
    },
    onSuccess: (c) => {
      putCampaign(qc, c);
      notifications.show({ message: t('analysis.campaigns.form.started', { name: c.name }), color: 'teal' });
      onCreated(c);
      onClose();
    },
  });

  const readFile = async (f: File | null) => {
    setFile(f);
    setFileError(null);
    setCsv(null);
    validate.reset();
    if (!f) return;
    if (!looksLikeCsv(f)) return setFileError(t('analysis.campaigns.form.notCsv', { name: f.name }));
    if (f.size > MAX_CSV_CHARS) return setFileError(t('analysis.campaigns.form.tooBig', { size: (f.size / 1_000_000).toLocaleString(i18n.language, { maximumFractionDigits: 1 }) }));
    setCsv({ name: f.name, text: await f.text() });
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files[0];
    if (f) void readFile(f);
  };

  const downloadExample = () => {
    if (!template) return;
    const url = URL.createObjectURL(new Blob([`\uFEFF${exampleCsv(paramCount, template.examples)}`], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `exemplo-${(template.providerTemplate ?? template.name).replace(/[^\w-]+/g, '_')}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  const runValidate = () => {
    setTouched(true);
    if (!serviceId || !templateId || !csv) return;
    validatedFor.current = inputKey;
    validate.mutate({ templateId, serviceId, csv: csv.text });
  };
  const result: CampaignValidation | undefined = validate.data;
  const stale = result !== undefined && validatedFor.current !== inputKey;
  const canStart = !!result && !stale && result.ok > 0 && name.trim().length > 0 && !!from && !!to && !create.isPending;
  const errors = { ...fieldErrors(validate.error), ...fieldErrors(create.error) };
  const required = (v: unknown) => (touched && !v ? t('analysis.campaigns.form.required') : undefined);
  const apiError = create.error ?? validate.error;

  return (
    <Stack data-testid="campaign-form">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('analysis.campaigns.form.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={120} required error={errors.name ?? required(name.trim())} data-testid="campaign-name" />
        <Select
          label={t('analysis.campaigns.form.service')}
          placeholder={t('analysis.campaigns.form.servicePlaceholder')}
          data={services.filter(campaignService).map((s) => ({ value: s.id, label: s.name }))}
          value={serviceId}
          onChange={(v) => { setServiceId(v); setTemplateId(null); }}
          searchable
          required
          error={errors.serviceId ?? required(serviceId)}
          comboboxProps={{ withinPortal: true, zIndex: 400 }}
          data-testid="campaign-service"
        />
      </SimpleGrid>
      <Select
        label={t('analysis.campaigns.form.template')}
        placeholder={service ? t('analysis.campaigns.form.templatePlaceholder') : t('analysis.campaigns.form.chooseService')}
        data={choices.map((x) => ({ value: x.id, label: `${x.name} (${x.language})` }))}
        value={templateId}
        onChange={setTemplateId}
        disabled={!service}
        searchable
        required
        error={errors.templateId ?? required(templateId)}
        comboboxProps={{ withinPortal: true, zIndex: 400 }}
        data-testid="campaign-template"
      />
      {templates.isError && <Alert color="red" role="alert">{templates.error.message}</Alert>}
      {service && templates.isSuccess && choices.length === 0 && <Alert color="yellow" data-testid="campaign-no-templates">{t('analysis.campaigns.form.noTemplates')}</Alert>}
      {template && (
        <Paper withBorder p="sm" data-testid="campaign-template-info">
          <Text size="xs" c="dimmed">{t('analysis.campaigns.form.preview')}</Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{template.body}</Text>
          <Group justify="space-between" mt="xs" gap="xs">
            <Text size="sm" data-testid="campaign-parameters">{t('analysis.campaigns.form.parameters', { count: paramCount })}</Text>
            <Button size="xs" variant="light" leftSection={<IconDownload size={14} />} onClick={downloadExample} data-testid="campaign-example">{t('analysis.campaigns.form.example')}</Button>
          </Group>
        </Paper>
      )}
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <TextInput type="time" label={t('analysis.campaigns.form.windowFrom')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} required error={errors['window.from']} description={t('analysis.campaigns.form.windowHelp', { tz: settings.timezone })} data-testid="campaign-from" />
        <TextInput type="time" label={t('analysis.campaigns.form.windowTo')} value={to} onChange={(e) => setTo(e.currentTarget.value)} required error={errors['window.to']} description={'\u00a0'} data-testid="campaign-to" />
        <TextInput type="datetime-local" label={t('analysis.campaigns.form.startAt')} value={startAt} onChange={(e) => setStartAt(e.currentTarget.value)} error={errors.startAt} description={t('analysis.campaigns.form.startHelp')} data-testid="campaign-start-at" />
      </SimpleGrid>
      <Paper
        withBorder
        p="sm"
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        style={{ borderStyle: 'dashed', background: dragging ? 'var(--mantine-color-blue-light)' : undefined }}
        data-testid="campaign-drop"
      >
        <Stack gap={6}>
          <Group gap="xs"><IconFileUpload size={18} /><Text size="sm" fw={600}>{t('analysis.campaigns.form.drop')}</Text></Group>
          <FileInput
            label={t('analysis.campaigns.form.csv')}
            placeholder={t('analysis.campaigns.form.csvPlaceholder')}
            accept=".csv,text/csv,text/plain"
            value={file}
            onChange={(f) => void readFile(f)}
            clearable
            clearButtonProps={{ 'aria-label': t('analysis.campaigns.form.clearFile') }}
            // Mantine's placeholder grey is below the 4.5:1 contrast axe asks for
            styles={{ placeholder: { color: 'var(--mantine-color-dimmed)' } }}
            error={fileError ?? errors.csv ?? required(csv)}
            data-testid="campaign-file"
          />
          <Text size="xs" c="dimmed">{t('analysis.campaigns.form.dropHelp')}</Text>
          {csv && <Text size="xs" data-testid="campaign-file-read">{t('analysis.campaigns.form.fileRead', { name: csv.name, count: dataLines(csv.text), n: dataLines(csv.text).toLocaleString(i18n.language) })}</Text>}
        </Stack>
      </Paper>
      {apiError && <Alert color="red" role="alert" data-testid="campaign-error">{apiError.message}</Alert>}
      {result && <ValidationResult result={result} stale={stale} />}
      <Group justify="flex-end">
        <Anchor component="button" type="button" size="sm" onClick={onClose}>{t('analysis.campaigns.form.cancel')}</Anchor>
        <Button variant="light" leftSection={<IconChecklist size={16} />} onClick={runValidate} loading={validate.isPending} data-testid="campaign-validate">{t('analysis.campaigns.form.validate')}</Button>
        <Button leftSection={<IconRocket size={16} />} onClick={() => { setTouched(true); if (canStart) create.mutate(); }} disabled={!canStart} loading={create.isPending} data-testid="campaign-start">
          {t('analysis.campaigns.form.start')}
        </Button>
      </Group>
    </Stack>
  );
}

/** A row's reason in words, and the server's detail when it says more (the line it repeats, the empty parameter) without saying it twice. */
function ReasonCell({ label, detail }: { label: string | null; detail: string | null }) {
  if (detail && label && detail.startsWith(label)) return <Text span size="sm" fw={600}>{detail}</Text>;
  return (
    <>
      <Text span size="sm" fw={600}>{label ?? detail ?? '—'}</Text>
      {label && detail && <Text span size="sm" c="dimmed">{` — ${detail}`}</Text>}
    </>
  );
}

function ValidationResult({ result, stale }: { result: CampaignValidation; stale: boolean }) {
  const { t, i18n } = useTranslation('analysis');
  const lang = i18n.language === 'en' ? 'en' : 'pt';
  const n = (v: number) => v.toLocaleString(i18n.language);
  return (
    <Stack gap="xs" data-testid="campaign-validation">
      <Text fw={700} size="sm">{t('analysis.campaigns.form.validation.title')}</Text>
      <Group gap="xs">
        <Badge variant="light" color="gray" tt="none" data-testid="validation-rows">{t('analysis.campaigns.form.validation.rows')}: {n(result.rows)}</Badge>
        <Badge variant="light" color="teal" tt="none" data-testid="validation-ok">{t('analysis.campaigns.form.validation.ok')}: {n(result.ok)}</Badge>
        <Badge variant="light" color="orange" tt="none" data-testid="validation-skipped">{t('analysis.campaigns.form.validation.skipped')}: {n(result.skipped)}</Badge>
      </Group>
      {stale && <Alert color="yellow" data-testid="validation-stale">{t('analysis.campaigns.form.validation.stale')}</Alert>}
      {result.ok === 0 && <Alert color="red" data-testid="validation-nothing">{t('analysis.campaigns.form.validation.nothingToSend')}</Alert>}
      {result.problems.length === 0 ? (
        <Text size="sm" c="teal">{t('analysis.campaigns.form.validation.noProblems')}</Text>
      ) : (
        <>
          <Text size="sm">{t('analysis.campaigns.form.validation.problems', { count: result.problems.length })}</Text>
          <Table.ScrollContainer minWidth={520} mah={280}>
            <Table fz="sm" verticalSpacing={4} stickyHeader data-testid="validation-problems">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={70}>{t('analysis.campaigns.form.validation.line')}</Table.Th>
                  <Table.Th>{t('analysis.campaigns.form.validation.phone')}</Table.Th>
                  <Table.Th>{t('analysis.campaigns.form.validation.reason')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.problems.map((p) => (
                  <Table.Tr key={p.line} data-testid="validation-problem" data-line={p.line} data-reason={p.reason ?? ''}>
                    <Table.Td>{p.line}</Table.Td>
                    <Table.Td ff="monospace">{p.phone ?? '—'}</Table.Td>
                    <Table.Td>
                      <ReasonCell label={campaignReasonText(p.reason, lang)} detail={p.message} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
