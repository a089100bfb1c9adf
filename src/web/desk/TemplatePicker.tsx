import { useMemo, useState } from 'react';
import { Alert, Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTemplate } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Template } from '../../contracts/admin';
import type { ConversationView } from '../../contracts/conversations';
import { fillTemplate, templateParameterCount } from '../../shared/template-text';
import { call } from '../api';
import { errorText } from './format';

/** The approved templates of a channel: active, approved at the provider, for this channel or any. */
function useApprovedTemplates(channel: ConversationView['channel']) {
  return useQuery({
    queryKey: ['desk', 'templates'],
    queryFn: async () => (await call('getTemplates', { query: { active: 'true' } })).items,
    staleTime: 60_000,
    select: (items: Template[]) => items.filter((x) => x.active && x.providerTemplate && (x.channel === null || x.channel === channel)),
  });
}

/**
 * Outside the customer-service window the composer is this: pick an approved template, fill in its
 * parameters ({{1}}, {{2}}…), see the text the customer will read, send.
 */
/** The template's {{n}} parameters, one input each (the composer's picker and Nova conversa ativa). */
export function TemplateParameterInputs({ values, onChange }: { values: string[]; onChange(values: string[]): void }) {
  const { t } = useTranslation('desk');
  return (
    <Group gap="xs" grow>
      {values.map((v, i) => (
        <TextInput
          key={i}
          label={t('desk.composer.templates.parameter', { n: i + 1 })}
          value={v}
          maxLength={1024}
          onChange={(e) => {
            const next = [...values];
            next[i] = e.currentTarget.value;
            onChange(next);
          }}
        />
      ))}
    </Group>
  );
}

export function TemplatePicker({ view, onSend }: { view: ConversationView; onSend(templateId: string, parameters: string[]): Promise<void> }) {
  const { t } = useTranslation('desk');
  const q = useApprovedTemplates(view.channel);
  const [id, setId] = useState<string | null>(null);
  const [params, setParams] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const chosen = useMemo(() => q.data?.find((x) => x.id === id) ?? null, [q.data, id]);
  const count = chosen ? templateParameterCount(chosen.body) : 0;
  const values = Array.from({ length: count }, (_, i) => params[i] ?? '');
  const ready = chosen !== null && values.every((v) => v.trim());

  if (q.isError) return <Alert color="red">{t('desk.composer.templates.loadFailed')}</Alert>;
  if (q.data && q.data.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="template-none">
        {t('desk.composer.templates.none')}
      </Text>
    );
  }

  async function send() {
    if (!chosen || !ready || sending) return;
    setSending(true);
    try {
      await onSend(chosen.id, values.map((v) => v.trim()));
      setId(null);
      setParams([]);
    } catch (err) {
      notifications.show({ title: t('desk.composer.failed'), message: errorText(t, err), color: 'red', autoClose: 8000 });
    } finally {
      setSending(false);
    }
  }

  return (
    <Stack gap="xs" data-testid="template-picker">
      <Select
        label={t('desk.composer.templates.pick')}
        placeholder={t('desk.composer.templates.pickPlaceholder')}
        data={(q.data ?? []).map((x) => ({ value: x.id, label: `${x.name} (${x.language})` }))}
        value={id}
        onChange={(v) => {
          setId(v);
          setParams([]);
        }}
        leftSection={<IconTemplate size={16} />}
        searchable
        comboboxProps={{ withinPortal: true }}
      />
      {chosen && (
        <>
          {count > 0 && <TemplateParameterInputs values={values} onChange={setParams} />}
          <Paper withBorder p="xs" radius="sm" bg="gray.0">
            <Text size="xs" c="dimmed">
              {t('desk.composer.templates.preview')}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="template-preview">
              {fillTemplate(chosen.body, values)}
            </Text>
          </Paper>
          <Group justify="flex-end">
            <Button onClick={() => void send()} loading={sending} disabled={!ready}>
              {t('desk.composer.templates.send')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
