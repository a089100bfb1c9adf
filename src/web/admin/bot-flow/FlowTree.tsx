import { useMemo, type ReactNode } from 'react';
import { Badge, Box, Group, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IconAlertTriangle, IconArrowForwardUp, IconFlag } from '@tabler/icons-react';
import { buildTree, type Flow, type StepKind, type TreeNode } from './flow-model';

export const KIND_COLOR: Record<StepKind, string> = { message: 'gray', menu: 'cyan', answer: 'teal', question: 'grape', transfer: 'orange', end: 'red' };

interface Props {
  flow: Flow;
  selected: string | null;
  onSelect: (stepId: string) => void;
  /** problems per step id (local checks and the server's) */
  problems: Map<string, string[]>;
}

/**
 * The flow as a tree from the start step: a menu's options are its children, a step reached a second
 * time is a link "→ step" (loops back to a menu are normal), steps no path reaches are listed apart.
 */
export function FlowTree({ flow, selected, onSelect, problems }: Props) {
  const { t } = useTranslation('admin');
  const { root, unreachable } = useMemo(() => buildTree(flow), [flow]);

  /** How the parent leads here: a menu option's label (own line), or "depois" / "se falhar". */
  const edgeLabel = (node: TreeNode, parentId: string | null): { option?: string; via?: string } => {
    const e = node.edge;
    if (!e || !parentId) return {};
    const parent = flow.steps[parentId];
    if (e.via === 'option' && parent?.kind === 'menu') return { option: parent.options[e.optionIndex ?? 0]?.label?.trim() || t('botFlow.empty') };
    return { via: t(`botFlow.via.${e.via}`) };
  };
  const viaText = (via?: string) => via && <Text span size="xs" c="dimmed" fs="italic" style={{ flex: 'none' }}>{via}</Text>;

  const row = (node: TreeNode, parentId: string | null, depth: number): ReactNode => {
    const { option, via } = edgeLabel(node, parentId);
    let body: ReactNode;
    if (node.missing) {
      body = (
        <Group gap={6} wrap="nowrap" py={3} px={6}>
          {viaText(via)}
          <Text size="sm" c="red" data-testid="flow-missing"><IconAlertTriangle size={14} style={{ verticalAlign: -2 }} /> {node.stepId ? t('botFlow.missing', { id: node.stepId }) : t('botFlow.problem.unknown_step_empty', { via: t(`botFlow.via.${node.edge?.via ?? 'next'}`) })}</Text>
        </Group>
      );
    } else if (node.link) {
      body = (
        <Group gap={6} wrap="nowrap" py={3} px={6}>
          {viaText(via)}
          <Tooltip label={t('botFlow.linkHelp')} openDelay={400}>
            <UnstyledButton onClick={() => onSelect(node.stepId)} data-testid="flow-link">
              <Text size="sm" c="cyan.8" td="underline" style={{ wordBreak: 'break-all' }}><IconArrowForwardUp size={14} style={{ verticalAlign: -2 }} /> {node.stepId}</Text>
            </UnstyledButton>
          </Tooltip>
        </Group>
      );
    } else {
      const step = flow.steps[node.stepId];
      const issues = problems.get(node.stepId) ?? [];
      const isSelected = selected === node.stepId;
      const text = 'text' in step ? step.text : undefined;
      body = (
        <UnstyledButton
          onClick={() => onSelect(node.stepId)}
          aria-current={isSelected ? 'true' : undefined}
          data-testid="flow-step"
          data-step={node.stepId}
          w="100%"
          px={6}
          py={4}
          style={{ borderRadius: 6, background: isSelected ? 'var(--mantine-color-cyan-light)' : undefined, outline: isSelected ? '1px solid var(--mantine-color-cyan-5)' : undefined }}
        >
          <Group gap={4} wrap="wrap" style={{ rowGap: 0 }}>
            {viaText(via)}
            {flow.start === node.stepId && <IconFlag size={14} color="var(--mantine-color-green-7)" aria-label={t('botFlow.start')} style={{ flex: 'none' }} />}
            <Badge size="sm" variant="light" color={KIND_COLOR[step.kind]} style={{ flex: 'none' }}>{t(`botFlow.kinds.${step.kind}`)}</Badge>
            <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>{node.stepId}</Text>
            {issues.length > 0 && (
              <Tooltip label={issues.join(' ')} multiline w={300}>
                <Badge size="sm" color="red" variant="filled" leftSection={<IconAlertTriangle size={11} />} style={{ flex: 'none' }} data-testid="flow-step-problems">{issues.length}</Badge>
              </Tooltip>
            )}
          </Group>
          {text && <Text size="xs" c="dimmed" lineClamp={1}>{text}</Text>}
        </UnstyledButton>
      );
    }
    return (
      <Box component="li" key={node.key} style={{ listStyle: 'none' }} mt={2}>
        {option && <Text size="xs" c="cyan.9" fw={600} px={6} data-testid="flow-option">▸ {option}</Text>}
        {body}
        {node.children.length > 0 && (
          <Box component="ul" m={0} pl={8} ml={6} style={{ borderLeft: '1px solid var(--mantine-color-gray-3)' }}>
            {node.children.map((c) => row(c, node.stepId, depth + 1))}
          </Box>
        )}
      </Box>
    );
  };

  return (
    <Stack gap="sm" component="nav" aria-label={t('botFlow.treeLabel')}>
      <Box component="ul" m={0} p={0}>{root ? row(root, null, 0) : <Text c="red" size="sm">{t('botFlow.problem.start_missing')}</Text>}</Box>
      {unreachable.length > 0 && (
        <div>
          <Text size="sm" fw={600} c="orange.8" mb={4}>{t('botFlow.unreachableTitle')}</Text>
          <Box component="ul" m={0} p={0}>{unreachable.map((n) => row(n, null, 0))}</Box>
        </div>
      )}
    </Stack>
  );
}
