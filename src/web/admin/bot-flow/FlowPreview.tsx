import { useCallback, useEffect, useState } from 'react';
import { Box, Button, Card, Group, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IconRefresh } from '@tabler/icons-react';
import { hasStep, type Flow } from './flow-model';

interface Line {
  from: 'bot' | 'customer' | 'system';
  text: string;
  tone?: 'error';
}

interface Waiting {
  stepId: string;
  attempts: number;
}

const MAX_HOPS = 50;

/**
 * A clickable walk through the flow, as the customer would see it: messages follow one another, a
 * menu waits for a button, a question for an answer (or a simulated invalid one). It follows the
 * structure only; the real runner (core) also matches typed words and validates fields.
 */
export function FlowPreview({ flow, serviceNames, selfName }: { flow: Flow; serviceNames: Map<string, string>; selfName: string }) {
  const { t } = useTranslation('admin');
  const [lines, setLines] = useState<Line[]>([]);
  const [waiting, setWaiting] = useState<Waiting | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [answer, setAnswer] = useState('');

  const fill = useCallback(
    (text: string, values: Record<string, string>) =>
      text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_, name: string) => (name === 'protocol' ? t('botFlow.preview.protocolSample') : name.startsWith('field.') ? (values[name.slice(6)] ?? '') : '')),
    [t],
  );

  /** Runs from `from` until the flow waits for the customer or finishes. */
  const run = useCallback(
    (from: string, before: Line[], values: Record<string, string>) => {
      const out = [...before];
      let id = from;
      let wait: Waiting | null = null;
      for (let hops = 0; ; hops++) {
        if (hops > MAX_HOPS) {
          out.push({ from: 'system', text: t('botFlow.preview.loop'), tone: 'error' });
          break;
        }
        if (!hasStep(flow, id)) {
          out.push({ from: 'system', text: t('botFlow.preview.broken'), tone: 'error' });
          break;
        }
        const s = flow.steps[id];
        if (s.kind === 'message' || s.kind === 'answer') {
          out.push({ from: 'bot', text: fill(s.text, values) });
          id = s.next;
          continue;
        }
        if (s.kind === 'menu' || s.kind === 'question') {
          out.push({ from: 'bot', text: fill(s.text, values) });
          wait = { stepId: id, attempts: 0 };
          break;
        }
        if (s.kind === 'transfer') {
          if (s.text) out.push({ from: 'bot', text: fill(s.text, values) });
          const name = (s.serviceId && serviceNames.get(s.serviceId)) || selfName;
          out.push({ from: 'system', text: t('botFlow.preview.transferred', { service: name }) });
        } else {
          out.push({ from: 'bot', text: fill(s.text, values) });
          out.push({ from: 'system', text: t('botFlow.preview.ended') });
        }
        break;
      }
      setLines(out);
      setWaiting(wait);
      setFields(values);
      setAnswer('');
    },
    [flow, fill, serviceNames, selfName, t],
  );

  const restart = useCallback(() => run(flow.start, [], {}), [run, flow.start]);
  // the preview follows the flow being edited: any change starts it over
  useEffect(() => restart(), [restart]);

  const step = waiting ? flow.steps[waiting.stepId] : undefined;
  const pick = (label: string, next: string) => run(next, [...lines, { from: 'customer', text: label }], fields);
  const reply = () => {
    if (step?.kind !== 'question' || !answer.trim()) return;
    run(step.next, [...lines, { from: 'customer', text: answer.trim() }], { ...fields, [step.saveAs ?? step.field]: answer.trim() });
  };
  const fail = () => {
    if (!waiting || !step || (step.kind !== 'question' && step.kind !== 'menu')) return;
    const attempts = waiting.attempts + 1;
    const said = [...lines, { from: 'customer' as const, text: '???' }];
    const max = step.maxAttempts ?? 3;
    if (step.onFail && attempts >= max) return run(step.onFail, said, fields);
    setLines([...said, { from: 'bot', text: fill(step.retryText || step.text, fields) }]);
    setWaiting({ ...waiting, attempts });
  };

  return (
    <Card withBorder padding="sm" data-testid="flow-preview">
      <Group justify="space-between" mb={4}>
        <Text fw={600}>{t('botFlow.preview.title')}</Text>
        <Button size="xs" variant="subtle" leftSection={<IconRefresh size={14} />} onClick={restart}>{t('botFlow.preview.restart')}</Button>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">{t('botFlow.preview.help')}</Text>
      <ScrollArea.Autosize mah={520} type="auto">
        <Stack gap={6} p={4} bg="var(--mantine-color-gray-0)" style={{ borderRadius: 8 }}>
          {lines.map((l, i) => (
            <Box
              key={i}
              style={{
                alignSelf: l.from === 'customer' ? 'flex-end' : l.from === 'system' ? 'center' : 'flex-start',
                maxWidth: '88%',
                background: l.from === 'customer' ? 'var(--mantine-color-cyan-7)' : l.from === 'bot' ? 'white' : 'transparent',
                color: l.from === 'customer' ? 'white' : undefined,
                border: l.from === 'bot' ? '1px solid var(--mantine-color-gray-3)' : undefined,
                borderRadius: 10,
                padding: l.from === 'system' ? '0 6px' : '6px 10px',
              }}
            >
              <Text size="sm" c={l.tone === 'error' ? 'red' : l.from === 'system' ? 'dimmed' : undefined} fs={l.from === 'system' ? 'italic' : undefined} style={{ whiteSpace: 'pre-wrap' }}>{l.text}</Text>
            </Box>
          ))}
          {step?.kind === 'menu' && (
            <Group gap={6}>
              {step.options.map((o, i) => (
                <Button key={i} size="compact-sm" variant="outline" radius="xl" onClick={() => pick(o.label, o.next)}>{o.label || '…'}</Button>
              ))}
            </Group>
          )}
        </Stack>
      </ScrollArea.Autosize>
      {step?.kind === 'question' && (
        <form onSubmit={(e) => { e.preventDefault(); reply(); }}>
          <Group gap={6} mt="xs" align="flex-end">
            <TextInput size="xs" label={t('botFlow.preview.answer')} value={answer} onChange={(e) => setAnswer(e.currentTarget.value)} style={{ flex: 1 }} />
            <Button size="xs" type="submit" disabled={!answer.trim()}>{t('botFlow.preview.send')}</Button>
          </Group>
        </form>
      )}
      {(step?.kind === 'question' || step?.kind === 'menu') && (
        <Button size="compact-xs" variant="subtle" color="gray" mt={6} onClick={fail}>{t('botFlow.preview.fail')}</Button>
      )}
    </Card>
  );
}
