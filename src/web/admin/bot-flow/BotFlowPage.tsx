import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Anchor, Badge, Button, Card, FileButton, Grid, Group, List, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { IconArrowLeft, IconDeviceFloppy, IconDownload, IconPlus, IconSparkles, IconTrash, IconUpload } from '@tabler/icons-react';
import { useServices } from '../lookups';
import { ApiError } from '../../api';
import { patchService, useService } from '../service-api';
import { useConfirm } from './confirm';
import { asFlow, checkFlow, freeId, newStep, stepOfIssuePath, type Flow, type LocalProblem } from './flow-model';
import { FlowPreview } from './FlowPreview';
import { FlowTree } from './FlowTree';
import { StepEditor } from './StepEditor';
import sample from './sample-flow.pt-BR.json';

const SAMPLE = sample as Flow;

function describe(p: LocalProblem, flow: Flow, t: TFunction): string {
  switch (p.code) {
    case 'unknown_step': {
      const step = flow.steps[p.stepId];
      const label = p.via === 'option' && step?.kind === 'menu' ? step.options[p.optionIndex ?? 0]?.label : undefined;
      const via = t(`botFlow.via.${p.via}`) + (label ? ` “${label}”` : '');
      const text = p.ref ? t('botFlow.problem.unknown_step', { via, ref: p.ref }) : t('botFlow.problem.unknown_step_empty', { via });
      return text.charAt(0).toUpperCase() + text.slice(1);
    }
    case 'empty_text':
      return t('botFlow.problem.empty_text', { field: t(`botFlow.fieldNames.${p.field}`) });
    case 'duplicate_option':
      return t('botFlow.problem.duplicate_option', { label: p.label });
    default:
      return t(`botFlow.problem.${p.code}`);
  }
}

/**
 * Fluxo do bot of one service: the tree of steps, the editor of the selected step, a clickable
 * preview, JSON import/export and the sample flow. Saving sends the whole flow; the server's validator
 * may refuse it, and its problems are shown on the steps they name.
 */
export function BotFlowPage() {
  const { id } = useParams();
  const { t } = useTranslation('admin');
  const qc = useQueryClient();
  const service = useService(id);
  const services = useServices();
  const confirm = useConfirm();
  const [flow, setFlow] = useState<Flow | null>(null);
  const [loadedFor, setLoadedFor] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [serverIssues, setServerIssues] = useState<{ path: string; message: string }[]>([]);
  const [serverError, setServerError] = useState<string | null>(null);

  const s = service.data;
  useEffect(() => {
    if (!s || loadedFor === s.id) return;
    const initial = asFlow(s.botFlow);
    setFlow(initial);
    setSelected(initial?.start ?? null);
    setLoadedFor(s.id);
  }, [s, loadedFor]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  }, [dirty]);

  const edit = (next: Flow | null, select?: string | null) => {
    setFlow(next);
    setDirty(true);
    // the server's verdict was on the flow as it was; the local checks follow the edits
    setServerIssues([]);
    if (select !== undefined) setSelected(select);
    else if (next && selected && !Object.hasOwn(next.steps, selected)) setSelected(next.start);
  };

  const local = useMemo(() => (flow ? checkFlow(flow) : []), [flow]);
  const problems = useMemo(() => {
    const by = new Map<string, string[]>();
    const add = (stepId: string, text: string) => by.set(stepId, [...(by.get(stepId) ?? []), text]);
    if (flow) for (const p of local) if ('stepId' in p) add(p.stepId, describe(p, flow, t));
    for (const i of serverIssues) {
      const stepId = stepOfIssuePath(i.path);
      if (stepId && !(by.get(stepId) ?? []).includes(i.message)) add(stepId, i.message);
    }
    return by;
  }, [local, serverIssues, flow, t]);
  const globalProblems = local.filter((p) => !('stepId' in p)).map((p) => (flow ? describe(p, flow, t) : ''));
  const problemCount = [...problems.values()].reduce((n, l) => n + l.length, 0) + globalProblems.length;

  const sameChannel = useMemo(() => {
    if (!s) return [];
    const others = services.items.filter((x) => x.channel === s.channel && x.id !== s.id && x.active).map((x) => ({ value: x.id, label: x.name }));
    return [{ value: s.id, label: t('botFlow.editor.thisService', { name: s.name }) }, ...others];
  }, [services.items, s, t]);

  const save = useMutation({
    mutationFn: (botFlow: Flow | null) => patchService(id!, { botFlow }),
    onSuccess: async (_, botFlow) => {
      setDirty(false);
      setServerIssues([]);
      setServerError(null);
      notifications.show({ color: 'teal', message: botFlow ? t('botFlow.saved') : t('botFlow.removed') });
      await qc.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === 'string' && q.queryKey[0].startsWith('/api/services') });
    },
    onError: (e: Error) => {
      if (e instanceof ApiError && e.issues.length) {
        setServerIssues(e.issues);
        setServerError(null);
      } else setServerError(e.message);
    },
  });

  if (service.isError) return <Alert color="red" role="alert">{service.error.message}</Alert>;
  if (!s) return <Text c="dimmed">{t('common.loading')}</Text>;

  const texts = { text: t('botFlow.editor.newText'), retry: t('botFlow.editor.newRetry'), option: t('botFlow.editor.newOption') };
  const addStep = () => {
    if (!flow) {
      edit({ version: 1, start: 'inicio', steps: { inicio: newStep('menu', texts) } }, 'inicio');
      return;
    }
    const sid = freeId(flow, 'message');
    edit({ ...flow, steps: { ...flow.steps, [sid]: newStep('message', texts) } }, sid);
  };
  const useSample = () => {
    const load = () => edit(structuredClone(SAMPLE), SAMPLE.start);
    if (!flow) load();
    else confirm.ask({ title: t('botFlow.sample'), message: t('botFlow.sampleConfirm'), confirm: t('botFlow.sample'), cancel: t('common.cancel'), onConfirm: load });
  };
  const exportJson = () => {
    const blob = new Blob([JSON.stringify(flow, null, 2) + '\n'], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `fluxo-${s.key}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const importJson = async (file: File | null) => {
    if (!file) return;
    let parsed: Flow | null = null;
    try {
      parsed = asFlow(JSON.parse(await file.text()));
    } catch {
      parsed = null;
    }
    if (!parsed) {
      notifications.show({ color: 'red', title: t('common.error'), message: t('botFlow.importInvalid') });
      return;
    }
    edit(parsed, parsed.start);
    setServerIssues([]);
    notifications.show({ color: 'teal', message: t('botFlow.imported') });
  };
  const removeFlow = () =>
    confirm.ask({
      title: t('botFlow.remove'),
      message: t('botFlow.removeConfirm'),
      confirm: t('botFlow.remove'),
      cancel: t('common.cancel'),
      danger: true,
      onConfirm: () => {
        setFlow(null);
        setSelected(null);
        save.mutate(null);
      },
    });

  const serviceNames = new Map(services.items.map((x) => [x.id, x.name]));
  return (
    <Stack>
      {confirm.element}
      <div>
        <Anchor component={Link} to="/admin/services" size="sm"><IconArrowLeft size={14} style={{ verticalAlign: -2 }} /> {t('botFlow.back')}</Anchor>
        <Title order={1} size="h2">{t('botFlow.title', { name: s.name })}</Title>
        <Text c="dimmed" size="sm" maw={900}>{t('botFlow.description')}</Text>
      </div>
      <Group gap="xs">
        <Button leftSection={<IconDeviceFloppy size={16} />} onClick={() => save.mutate(flow)} loading={save.isPending} disabled={!dirty || !flow}>{t('botFlow.save')}</Button>
        <Button variant="default" leftSection={<IconPlus size={16} />} onClick={addStep}>{t('botFlow.addStep')}</Button>
        <Button variant="default" leftSection={<IconSparkles size={16} />} onClick={useSample}>{t('botFlow.sample')}</Button>
        <Button variant="default" leftSection={<IconDownload size={16} />} onClick={exportJson} disabled={!flow}>{t('botFlow.export')}</Button>
        <FileButton onChange={(f) => void importJson(f)} accept="application/json,.json">
          {(props) => <Button variant="default" leftSection={<IconUpload size={16} />} {...props}>{t('botFlow.import')}</Button>}
        </FileButton>
        {s.botFlow !== null && <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={removeFlow}>{t('botFlow.remove')}</Button>}
        {dirty && <Badge color="yellow" variant="light">{t('botFlow.unsaved')}</Badge>}
        {flow && (problemCount ? <Badge color="red" variant="light" data-testid="flow-problem-count">{t('botFlow.problems', { count: problemCount })}</Badge> : <Badge color="teal" variant="light">{t('botFlow.noProblems')}</Badge>)}
      </Group>
      {serverError && <Alert color="red" role="alert">{serverError}</Alert>}
      {serverIssues.length > 0 && (
        <Alert color="red" role="alert" title={t('botFlow.serverProblems')} data-testid="server-problems">
          <List size="sm">{serverIssues.map((i, n) => <List.Item key={n}>{stepOfIssuePath(i.path) ? <b>{stepOfIssuePath(i.path)}: </b> : null}{i.message}</List.Item>)}</List>
        </Alert>
      )}
      {globalProblems.length > 0 && <Alert color="red">{globalProblems.join(' ')}</Alert>}
      {!flow ? (
        <Alert color="gray" variant="light">{t('botFlow.none')}</Alert>
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 6, xl: 4 }}>
            <Card withBorder padding="sm" style={{ position: 'sticky', top: 72, maxHeight: 'calc(100vh - 88px)', overflowY: 'auto' }}>
              <Text fw={600} mb="xs">{t('botFlow.tree')}</Text>
              <FlowTree flow={flow} selected={selected} onSelect={setSelected} problems={problems} />
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6, xl: 5 }}>
            {selected && Object.hasOwn(flow.steps, selected) ? (
              <StepEditor flow={flow} stepId={selected} onChange={(f, sel) => edit(f, sel)} services={sameChannel} problems={problems.get(selected) ?? []} />
            ) : (
              <Card withBorder><Text c="dimmed">{t('botFlow.editor.select')}</Text></Card>
            )}
          </Grid.Col>
          <Grid.Col span={{ base: 12, xl: 3 }}>
            <div style={{ position: 'sticky', top: 72 }}>
              <FlowPreview flow={flow} serviceNames={serviceNames} selfName={s.name} />
            </div>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
