import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Group, Loader, Modal, Paper, SegmentedControl, Select, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconSearch, IconSend } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Service } from '../../contracts/admin';
import { capabilitiesOf } from '../../contracts/channel-capabilities';
import type { ContactSummary } from '../../contracts/contacts';
import { fillTemplate, templateParameterCount } from '../../shared/template-text';
import { call, resources } from '../api';
import { errorText } from './format';
import { sendableTemplates } from './outbound-templates';
import { TemplateParameterInputs } from './TemplatePicker';
import type { DeskStore } from './store';

// "Nova conversa ativa": the agent writes first (issue 17). A contact found by name, phone, e-mail or
// protocol among the agent's own (or a new number), one of the agent's services that may write
// first (its channel and account send), a template that may go there (APPROVED on WhatsApp), its
// parameters and the text the customer will read; Enviar opens the conversation on the desk.

function useOutboundChoices(open: boolean) {
  const services = useQuery({ queryKey: ['desk', 'services'], queryFn: () => resources.list<Service>('Services'), staleTime: 5 * 60_000, enabled: open });
  const templates = useQuery({ queryKey: ['desk', 'templates'], queryFn: async () => (await call('getTemplates', { query: { active: 'true' } })).items, staleTime: 60_000, enabled: open });
  return { services, templates };
}

export function OutboundModal({ store, opened, onClose }: { store: DeskStore; opened: boolean; onClose(): void }) {
  const { t } = useTranslation('desk');
  const { services, templates } = useOutboundChoices(opened);
  const [mode, setMode] = useState<'contact' | 'phone'>('contact');
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const [contact, setContact] = useState<ContactSummary | null>(null);
  const [phone, setPhone] = useState('');
  const [serviceId, setServiceId] = useState<string | null>(null);
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [params, setParams] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // a fresh form each time the modal opens
  useEffect(() => {
    if (!opened) return;
    setMode('contact'); setQ(''); setContact(null); setPhone(''); setServiceId(null); setTemplateId(null); setParams([]); setError(null);
  }, [opened]);

  const found = useQuery({
    queryKey: ['desk', 'outbound-contacts', debounced],
    queryFn: async () => (await call('getAgentContacts', { query: { q: debounced, limit: 8 } })).items,
    enabled: opened && mode === 'contact' && debounced.length >= 2,
  });
  const writable = useMemo(() => (services.data ?? []).filter((s) => s.active && capabilitiesOf(s.channel).writeFirst), [services.data]);
  const service = writable.find((s) => s.id === serviceId) ?? null;
  const choices = useMemo(() => sendableTemplates(templates.data ?? [], service), [templates.data, service]);
  const template = choices.find((x) => x.id === templateId) ?? null;
  const count = template ? templateParameterCount(template.body) : 0;
  const values = Array.from({ length: count }, (_, i) => params[i] ?? '');
  const who = mode === 'contact' ? contact !== null : phone.trim().length >= 8;
  const ready = who && service !== null && template !== null && values.every((v) => v.trim());

  async function send() {
    if (!ready || sending) return;
    setSending(true);
    setError(null);
    try {
      const started = await call('postConversationsOutbound', {
        body: { ...(mode === 'contact' ? { contactId: contact!.id } : { phone: phone.trim() }), serviceId: service!.id, templateId: template!.id, parameters: values.map((v) => v.trim()) },
      });
      notifications.show({ color: 'green', message: t('desk.outbound.started', { protocol: started.conversation.protocol }), autoClose: 4000 });
      store.openStarted(started.conversation);
      onClose();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setSending(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={t('desk.outbound.title')} size="lg" data-testid="outbound-modal">
      <Stack gap="sm">
        {error && <Alert color="red" role="alert" data-testid="outbound-error">{error}</Alert>}
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as 'contact' | 'phone')}
          data={[{ value: 'contact', label: t('desk.outbound.searchContact') }, { value: 'phone', label: t('desk.outbound.newNumber') }]}
          aria-label={t('desk.outbound.who')}
        />
        {mode === 'contact' ? (
          <Stack gap={4}>
            <TextInput
              label={t('desk.outbound.search')}
              description={t('desk.outbound.searchHelp')}
              leftSection={<IconSearch size={16} />}
              rightSection={found.isFetching ? <Loader size={14} /> : undefined}
              value={q}
              onChange={(e) => { setQ(e.currentTarget.value); setContact(null); }}
              data-autofocus
            />
            {contact ? (
              <Paper withBorder p="xs" data-testid="outbound-contact">
                <Group justify="space-between">
                  <Text size="sm" fw={500}>{contact.name ?? contact.phone ?? contact.email ?? contact.id}</Text>
                  <Text size="xs" c="dimmed">{[contact.phone, contact.email].filter(Boolean).join(' · ')}</Text>
                </Group>
              </Paper>
            ) : (
              debounced.length >= 2 && found.data && (
                found.data.length ? (
                  <Stack gap={2} role="listbox" aria-label={t('desk.outbound.results')}>
                    {found.data.map((c) => (
                      <UnstyledButton key={c.id} role="option" aria-selected={false} onClick={() => setContact(c)} p={6} style={{ borderRadius: 4, border: '1px solid var(--mantine-color-gray-3)' }} data-testid="outbound-contact-option">
                        <Text size="sm" fw={500}>{c.name ?? '—'}</Text>
                        <Text size="xs" c="dimmed">{[c.phone, c.email].filter(Boolean).join(' · ') || '—'}</Text>
                      </UnstyledButton>
                    ))}
                  </Stack>
                ) : <Text size="sm" c="dimmed">{t('desk.outbound.noContacts')}</Text>
              )
            )}
          </Stack>
        ) : (
          <TextInput label={t('desk.outbound.phone')} description={t('desk.outbound.phoneHelp')} placeholder="+55 11 98888-7777" value={phone} onChange={(e) => setPhone(e.currentTarget.value)} inputMode="tel" />
        )}
        <Select
          label={t('desk.outbound.service')}
          description={t('desk.outbound.serviceHelp')}
          data={writable.map((s) => ({ value: s.id, label: `${s.name} · ${t(`channels.${s.channel}`)}` }))}
          value={serviceId}
          onChange={(v) => { setServiceId(v); setTemplateId(null); setParams([]); }}
          searchable
          comboboxProps={{ withinPortal: true }}
          nothingFoundMessage={t('desk.outbound.noServices')}
        />
        <Select
          label={t('desk.outbound.template')}
          description={service && capabilitiesOf(service.channel).templates ? t('desk.outbound.templateApproved') : t('desk.outbound.templatePlain')}
          data={choices.map((x) => ({ value: x.id, label: `${x.name} (${x.language})` }))}
          value={templateId}
          onChange={(v) => { setTemplateId(v); setParams([]); }}
          disabled={!service}
          searchable
          comboboxProps={{ withinPortal: true }}
          nothingFoundMessage={t('desk.outbound.noTemplates')}
        />
        {template && count > 0 && <TemplateParameterInputs values={values} onChange={setParams} />}
        {template && (
          <Paper withBorder p="xs" radius="sm" bg="gray.0">
            <Text size="xs" c="dimmed">{t('desk.composer.templates.preview')}</Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="outbound-preview">{fillTemplate(template.body, values)}</Text>
          </Paper>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button leftSection={<IconSend size={16} />} onClick={() => void send()} loading={sending} disabled={!ready} data-testid="outbound-send">
            {t('desk.outbound.send')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
