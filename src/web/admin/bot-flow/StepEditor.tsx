import { useEffect, useState } from 'react';
import {
  ActionIcon, Alert, Badge, Button, Card, Group, NumberInput, Select, Stack, TagsInput, Text, TextInput, Textarea, Tooltip,
} from '@mantine/core';
import { useConfirm } from './confirm';
import { useTranslation } from 'react-i18next';
import { IconArrowDown, IconArrowUp, IconFlag, IconPlus, IconTrash } from '@tabler/icons-react';
import {
  changeKind, deleteStep, FIELD_KINDS, freeId, hasStep, newStep, referrers, renameStep, STEP_ID_PATTERN, STEP_KINDS,
  type FieldKind, type Flow, type MenuOption, type Step, type StepKind,
} from './flow-model';
import { KIND_COLOR } from './FlowTree';

const NEW = '__new__:';

interface Props {
  flow: Flow;
  stepId: string;
  onChange: (flow: Flow, select?: string) => void;
  /** services a transfer may name (same channel), this one first */
  services: { value: string; label: string }[];
  problems: string[];
}

/** Edits one step: its id, kind, texts, where it leads; menus with their options (reorder, keywords). */
export function StepEditor({ flow, stepId, onChange, services, problems }: Props) {
  const { t } = useTranslation('admin');
  const step = flow.steps[stepId];
  const confirm = useConfirm();
  const [idDraft, setIdDraft] = useState(stepId);
  useEffect(() => setIdDraft(stepId), [stepId]);
  const texts = { text: t('botFlow.editor.newText'), retry: t('botFlow.editor.newRetry'), option: t('botFlow.editor.newOption') };

  const idError = idDraft === stepId ? null : !STEP_ID_PATTERN.test(idDraft) ? t('botFlow.editor.idInvalid') : hasStep(flow, idDraft) ? t('botFlow.editor.idTaken') : null;
  const commitId = () => {
    if (idDraft !== stepId && !idError) onChange(renameStep(flow, stepId, idDraft), idDraft);
    else setIdDraft(stepId);
  };

  /** Puts the step back, with a newly created step when a "create new" choice was made. */
  const put = (next: Step, created?: { id: string; step: Step }) => {
    const steps = { ...flow.steps, [stepId]: next, ...(created ? { [created.id]: created.step } : {}) };
    onChange({ ...flow, steps });
  };

  /** A step picker; its last choices create a step of each kind and point there. */
  const target = (label: string, value: string | undefined, set: (ref: string, created?: { id: string; step: Step }) => void, opts: { clearable?: boolean; description?: string; testId?: string } = {}) => (
    <Select
      label={label}
      description={opts.description}
      placeholder={t('botFlow.editor.choose')}
      value={value && hasStep(flow, value) ? value : null}
      error={value !== undefined && !opts.clearable && !hasStep(flow, value) ? (value ? t('botFlow.missing', { id: value }) : t('botFlow.editor.choose')) : undefined}
      clearable={opts.clearable}
      searchable
      data-testid={opts.testId}
      data={[
        { group: t('botFlow.tree'), items: Object.keys(flow.steps).filter((id) => id !== stepId || step.kind === 'menu').map((id) => ({ value: id, label: `${id} · ${t(`botFlow.kinds.${flow.steps[id].kind}`)}` })) },
        { group: t('botFlow.addStep'), items: STEP_KINDS.map((k) => ({ value: `${NEW}${k}`, label: t('botFlow.editor.createNew', { kind: t(`botFlow.kinds.${k}`) }) })) },
      ]}
      onChange={(v) => {
        if (v === null) return set('');
        if (v.startsWith(NEW)) {
          const kind = v.slice(NEW.length) as StepKind;
          const id = freeId(flow, kind);
          set(id, { id, step: newStep(kind, texts) });
        } else set(v);
      }}
    />
  );

  const remove = () =>
    confirm.ask({
      title: t('botFlow.editor.delete'),
      message: t('botFlow.editor.deleteConfirm', { id: stepId, count: referrers(flow, stepId).filter((r) => r !== stepId).length }),
      confirm: t('botFlow.editor.delete'),
      cancel: t('common.cancel'),
      danger: true,
      onConfirm: () => onChange(deleteStep(flow, stepId), undefined),
    });

  const options = step.kind === 'menu' ? step.options : [];
  const setOptions = (next: MenuOption[], created?: { id: string; step: Step }) => step.kind === 'menu' && put({ ...step, options: next }, created);
  const setOption = (i: number, patch: Partial<MenuOption>, created?: { id: string; step: Step }) => setOptions(options.map((o, j) => (j === i ? { ...o, ...patch } : o)), created);
  const moveOption = (i: number, by: number) => {
    const next = [...options];
    const [o] = next.splice(i, 1);
    next.splice(i + by, 0, o);
    setOptions(next);
  };
  const addOption = () => {
    let n = options.length + 1;
    while (options.some((o) => o.id === `opcao_${n}`)) n++;
    setOptions([...options, { id: `opcao_${n}`, label: `${t('botFlow.editor.newOption')} ${n}`, next: '' }]);
  };

  const textHelp = t('botFlow.editor.textHelp', { p: '{{protocol}}', f: '{{field.cpf}}' });
  const maxAttempts = (s: { maxAttempts?: number }) => (
    <NumberInput
      label={t('botFlow.editor.maxAttempts')}
      description={t('botFlow.editor.maxAttemptsHelp')}
      min={1}
      max={10}
      allowDecimal={false}
      allowNegative={false}
      value={s.maxAttempts ?? ''}
      onChange={(v) => put({ ...step, maxAttempts: v === '' ? undefined : Number(v) } as Step)}
      w={200}
    />
  );

  return (
    <Card withBorder padding="md" data-testid="step-editor">
      {confirm.element}
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Group gap="xs">
            <Badge color={KIND_COLOR[step.kind]} variant="light">{t(`botFlow.kinds.${step.kind}`)}</Badge>
            <Text fw={700}>{stepId}</Text>
            {flow.start === stepId && <Badge color="green" variant="outline" leftSection={<IconFlag size={12} />}>{t('botFlow.editor.isStart')}</Badge>}
          </Group>
          <Group gap="xs">
            {flow.start !== stepId && <Button size="xs" variant="default" leftSection={<IconFlag size={14} />} onClick={() => onChange({ ...flow, start: stepId })}>{t('botFlow.editor.makeStart')}</Button>}
            <Button size="xs" variant="light" color="red" leftSection={<IconTrash size={14} />} onClick={remove}>{t('botFlow.editor.delete')}</Button>
          </Group>
        </Group>
        {problems.length > 0 && (
          <Alert color="red" variant="light" p="xs" data-testid="step-problems">
            <Stack gap={2}>{problems.map((p, i) => <Text key={i} size="sm">{p}</Text>)}</Stack>
          </Alert>
        )}
        <Group grow align="flex-start">
          <TextInput
            label={t('botFlow.editor.id')}
            description={t('botFlow.editor.idHelp')}
            value={idDraft}
            error={idError}
            onChange={(e) => setIdDraft(e.currentTarget.value.trim())}
            onBlur={commitId}
            onKeyDown={(e) => e.key === 'Enter' && commitId()}
          />
          <Select
            label={t('botFlow.editor.kind')}
            description={t(`botFlow.kindHelp.${step.kind}`)}
            data={STEP_KINDS.map((k) => ({ value: k, label: t(`botFlow.kinds.${k}`) }))}
            value={step.kind}
            allowDeselect={false}
            onChange={(k) => k && k !== step.kind && put(changeKind(step, k as StepKind, texts))}
          />
        </Group>

        {step.kind === 'transfer' ? (
          <>
            <Select
              label={t('botFlow.editor.service')}
              description={t('botFlow.editor.serviceHelp')}
              data={services}
              value={step.serviceId ?? services[0]?.value ?? null}
              allowDeselect={false}
              onChange={(v) => put({ ...step, serviceId: v && v !== services[0]?.value ? v : undefined })}
            />
            <Textarea label={t('botFlow.editor.transferText')} description={textHelp} autosize minRows={2} value={step.text ?? ''} onChange={(e) => put({ ...step, text: e.currentTarget.value || undefined })} />
          </>
        ) : (
          <Textarea label={t('botFlow.editor.text')} description={textHelp} required autosize minRows={2} maxRows={10} value={step.text} onChange={(e) => put({ ...step, text: e.currentTarget.value } as Step)} />
        )}

        {(step.kind === 'message' || step.kind === 'answer') && target(t('botFlow.editor.next'), step.next, (next, c) => put({ ...step, next }, c), { testId: 'step-next' })}

        {step.kind === 'question' && (
          <>
            <Group grow align="flex-start">
              <Select
                label={t('botFlow.editor.field')}
                data={FIELD_KINDS.map((f) => ({ value: f, label: t(`botFlow.editor.fields.${f}`) }))}
                value={step.field}
                allowDeselect={false}
                onChange={(v) => v && put({ ...step, field: v as FieldKind })}
              />
              <TextInput label={t('botFlow.editor.saveAs')} description={t('botFlow.editor.saveAsHelp', { k: '{{field.chave}}' })} value={step.saveAs ?? ''} onChange={(e) => put({ ...step, saveAs: e.currentTarget.value.trim() || undefined })} />
            </Group>
            <Textarea label={t('botFlow.editor.retryText')} required autosize minRows={2} value={step.retryText} onChange={(e) => put({ ...step, retryText: e.currentTarget.value })} />
            {maxAttempts(step)}
            <Group grow align="flex-start">
              {target(t('botFlow.editor.next'), step.next, (next, c) => put({ ...step, next }, c))}
              {target(t('botFlow.editor.onFail'), step.onFail, (onFail, c) => put({ ...step, onFail }, c))}
            </Group>
          </>
        )}

        {step.kind === 'menu' && (
          <>
            <Text fw={600} size="sm" mt="xs">{t('botFlow.editor.options')}</Text>
            {options.map((o, i) => (
              <Card key={i} withBorder padding="xs" bg="var(--mantine-color-gray-0)" data-testid="menu-option">
                <Stack gap={6}>
                  <Group justify="space-between">
                    <Text size="sm" fw={600}>{t('botFlow.editor.option', { n: i + 1 })}</Text>
                    <Group gap={2}>
                      <Tooltip label={t('botFlow.editor.moveUp')}><ActionIcon variant="subtle" disabled={i === 0} onClick={() => moveOption(i, -1)} aria-label={t('botFlow.editor.moveUp')}><IconArrowUp size={16} /></ActionIcon></Tooltip>
                      <Tooltip label={t('botFlow.editor.moveDown')}><ActionIcon variant="subtle" disabled={i === options.length - 1} onClick={() => moveOption(i, 1)} aria-label={t('botFlow.editor.moveDown')}><IconArrowDown size={16} /></ActionIcon></Tooltip>
                      <Tooltip label={t('botFlow.editor.removeOption')}><ActionIcon variant="subtle" color="red" onClick={() => setOptions(options.filter((_, j) => j !== i))} aria-label={t('botFlow.editor.removeOption')}><IconTrash size={16} /></ActionIcon></Tooltip>
                    </Group>
                  </Group>
                  <Group grow align="flex-start">
                    <TextInput label={t('botFlow.editor.label')} required value={o.label} onChange={(e) => setOption(i, { label: e.currentTarget.value })} style={{ flexGrow: 2 }} />
                    <TextInput label={t('botFlow.editor.optionId')} value={o.id} onChange={(e) => setOption(i, { id: e.currentTarget.value.trim() })} />
                  </Group>
                  <TagsInput label={t('botFlow.editor.keywords')} description={t('botFlow.editor.keywordsHelp')} value={[...(o.keywords ?? [])]} onChange={(v) => setOption(i, { keywords: v.length ? v : undefined })} clearable />
                  {target(t('botFlow.editor.next'), o.next, (next, c) => setOption(i, { next }, c))}
                </Stack>
              </Card>
            ))}
            <Button variant="light" leftSection={<IconPlus size={16} />} onClick={addOption} w="fit-content">{t('botFlow.editor.addOption')}</Button>
            <Textarea label={t('botFlow.editor.retryTextMenu')} autosize minRows={1} value={step.retryText ?? ''} onChange={(e) => put({ ...step, retryText: e.currentTarget.value || undefined })} />
            <Group grow align="flex-start">
              {maxAttempts(step)}
              {target(t('botFlow.editor.onFailMenu'), step.onFail, (onFail, c) => put({ ...step, onFail: onFail || undefined }, c), { clearable: true, description: t('botFlow.editor.onFailMenuHelp') })}
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
