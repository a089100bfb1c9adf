import { Badge, Box, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh, IconSend } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Template, TemplateStatus } from '../../contracts/admin';
import { fillTemplate } from '../../shared/template-text';
import { call } from '../api';
import { useSession } from '../auth/session';
import { RowAction } from '../ui/RowAction';
import { ResourcePage, type FormValues } from '../ui/ResourcePage';
import { languageName } from '../ui/language-name';
import { channelOptions, pickOptions, useChannelAccounts, useTemplateCategories, withChosen } from './lookups';
import { Tag } from './Tag';
import { asButtons, TemplateButtonsInput, TemplateButtonsPreview } from './TemplateButtons';

// the provider's verdict as a badge: green approved, yellow waiting, red refused or stopped
const STATUS_COLOR: Record<TemplateStatus, string> = { DRAFT: 'gray', PENDING: 'yellow', APPROVED: 'teal', REJECTED: 'red', PAUSED: 'orange', DISABLED: 'red' };
const QUALITY_COLOR: Record<string, string> = { GREEN: 'teal', YELLOW: 'yellow', RED: 'red' };
// the {{n}} of a template, shown literally in the help (i18next would read them as its own)
const PLACEHOLDERS = { p1: '{{1}}', p2: '{{2}}' };
const lines = (v: unknown) => (typeof v === 'string' ? v.split('\n').map((x) => x.trim()).filter(Boolean) : []);

/** The template as the customer's WhatsApp shows it: header, body with the examples, footer, buttons. */
function WhatsAppBubble({ form }: { form: FormValues }) {
  const { t } = useTranslation('admin');
  if (!form.channelAccountId) return null;
  const body = typeof form.body === 'string' ? fillTemplate(form.body, lines(form.examples)) : '';
  return (
    <Box data-testid="template-preview" p="sm" style={{ background: '#e5ddd5', borderRadius: 8 }}>
      <Text size="xs" c="dimmed" mb={4}>{t('templates.preview')}</Text>
      <Paper p="xs" radius="md" maw={320} style={{ background: '#fff' }}>
        <Stack gap={4}>
          {typeof form.header === 'string' && form.header && <Text fw={700} size="sm">{form.header}</Text>}
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{body}</Text>
          {typeof form.footer === 'string' && form.footer && <Text size="xs" c="dimmed">{form.footer}</Text>}
        </Stack>
      </Paper>
      <Box mt={4}><TemplateButtonsPreview buttons={asButtons(form.buttons)} /></Box>
    </Box>
  );
}

/** Templates de comunicação: the messages agents send; a WhatsApp account's go to its provider for approval. */
export function TemplatesPage() {
  const { t, i18n } = useTranslation('admin');
  const { me } = useSession();
  const isAdmin = me.role === 'admin';
  const qc = useQueryClient();
  const categories = useTemplateCategories();
  const accounts = useChannelAccounts(isAdmin);
  const categoryOptions = pickOptions(categories.items, (c) => `${c.code} · ${c.title}`);
  const whatsappAccounts = accounts.items.filter((a) => a.channel === 'whatsapp' && a.active).map((a) => ({ value: a.id, label: `${a.name} (${a.provider === 'gupshup' ? 'Gupshup' : 'Cloud API'})` }));
  const done = (key: string) => async (x: Template) => {
    notifications.show({ color: 'teal', message: t(key, { name: x.name, status: x.status ? t(`templates.statuses.${x.status}`) : '' }) });
    await qc.invalidateQueries();
  };
  const failed = (e: Error) => notifications.show({ color: 'red', title: t('common.error'), message: e.message });
  const submit = useMutation({ mutationFn: (x: Template) => call('postTemplatesByIdSubmit', { params: { id: x.id } }), onSuccess: done('templates.submitted'), onError: failed });
  const sync = useMutation({ mutationFn: (x: Template) => call('postTemplatesByIdSync', { params: { id: x.id } }), onSuccess: done('templates.synced'), onError: failed });
  const provider = (form: FormValues) => !!form.channelAccountId;
  return (
    <ResourcePage<Template>
      resource="Templates"
      title={t('templates.title')}
      description={t('templates.description')}
      formTitles={{ create: t('templates.create'), edit: t('templates.edit') }}
      columns={[
        { key: 'name', label: t('common.name'), render: (x) => <Text size="sm" fw={500}>{x.name}</Text> },
        { key: 'category', label: t('templates.category'), render: (x) => categories.names.get(x.categoryId) ?? '—' },
        { key: 'channel', label: t('templates.channel'), render: (x) => (x.channel ? <Tag name>{t(`channels.${x.channel}`)}</Tag> : <Text size="sm" c="dimmed">{t('templates.anyChannel')}</Text>) },
        { key: 'language', label: t('templates.language'), render: (x) => <span title={x.language}>{languageName(x.language, i18n.language)}</span> },
        { key: 'body', label: t('templates.body'), render: (x) => <Text size="sm" lineClamp={2} maw={320}>{x.body}</Text> },
        { key: 'provider', label: t('templates.providerTemplateShort'), render: (x) => (x.channelAccountId ? `${x.providerTemplate ?? '—'} · ${accounts.names.get(x.channelAccountId) ?? ''}` : (x.providerTemplate ?? '—')) },
        {
          key: 'status',
          label: t('templates.status'),
          render: (x) => (x.status ? (
            <Stack gap={2}>
              <Badge color={STATUS_COLOR[x.status]} variant="light" data-testid="template-status">{t(`templates.statuses.${x.status}`)}</Badge>
              {x.statusReason && <Text size="xs" c="red">{x.statusReason}</Text>}
            </Stack>
          ) : <Text size="sm" c="dimmed">—</Text>),
        },
        {
          key: 'buttons',
          label: t('templates.buttons'),
          render: (x) => (x.buttons.length ? (
            <Stack gap={2} data-testid="template-buttons-cell">
              {x.buttons.map((b, i) => <Text key={i} size="xs">{`${t(`templates.buttonTypes.${b.type}`)}: ${b.text}`}</Text>)}
            </Stack>
          ) : '—'),
        },
        { key: 'quality', label: t('templates.quality'), render: (x) => (x.quality ? <Badge color={QUALITY_COLOR[x.quality] ?? 'gray'} variant="dot">{x.quality}</Badge> : '—') },
      ]}
      fields={[
        { name: 'categoryId', label: t('templates.category'), type: 'select', required: true, options: (form) => withChosen(categoryOptions, form.categoryId ? [form.categoryId as string] : [], categories.names) },
        { name: 'name', label: t('common.name'), type: 'text', required: true },
        { name: 'channelAccountId', label: t('templates.account'), type: 'select', nullable: true, options: whatsappAccounts, description: t('templates.accountHelp') },
        { name: 'channel', label: t('templates.channel'), type: 'select', nullable: true, options: channelOptions(t), description: t('templates.channelHelp'), placeholder: t('templates.anyChannel'), visible: (f) => !provider(f) },
        { name: 'providerTemplate', label: t('templates.providerTemplate'), type: 'text', nullable: true, description: t('templates.providerTemplateHelp') },
        { name: 'providerCategory', label: t('templates.providerCategory'), type: 'select', nullable: true, visible: provider, options: (['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const).map((v) => ({ value: v, label: t(`templates.providerCategories.${v}`) })) },
        { name: 'language', label: t('templates.language'), type: 'text', description: t('templates.languageHelp'), placeholder: 'pt_BR' },
        { name: 'header', label: t('templates.header'), type: 'text', nullable: true, visible: provider, max: 60 },
        { name: 'body', label: t('templates.body'), type: 'textarea', required: true, description: t('templates.bodyHelp', PLACEHOLDERS) },
        { name: 'examples', label: t('templates.examples'), type: 'textarea', visible: provider, description: t('templates.examplesHelp', PLACEHOLDERS) },
        { name: 'footer', label: t('templates.footer'), type: 'text', nullable: true, visible: provider },
        { name: 'buttons', label: t('templates.buttons'), type: 'custom', visible: provider, render: ({ value, onChange, error }) => <TemplateButtonsInput value={value} onChange={onChange} error={error} /> },
      ]}
      defaults={{ language: 'pt_BR', buttons: [] }}
      // examples are one per line in the form, a list in the API
      toForm={(x) => ({ ...x, examples: x.examples.join('\n') })}
      toBody={(body, { form }) => {
        const out: Record<string, unknown> = { ...body };
        if ('examples' in out) out.examples = lines(form.examples);
        for (const k of ['header', 'footer']) if (out[k] === '') out[k] = null;
        return out;
      }}
      preview={(form) => <WhatsAppBubble form={form} />}
      extraActions={isAdmin ? (x) => (x.channelAccountId ? (
        <>
          {(x.status === 'DRAFT' || x.status === 'REJECTED' || x.status === 'PAUSED' || x.status === 'DISABLED') && (
            <RowAction label={t('templates.submit')} ariaLabel={`${t('templates.submit')}: ${x.name}`} icon={<IconSend size={16} />} onClick={() => submit.mutate(x)} loading={submit.isPending && submit.variables?.id === x.id} />
          )}
          {x.status !== 'DRAFT' && (
            <RowAction label={t('templates.sync')} ariaLabel={`${t('templates.sync')}: ${x.name}`} icon={<IconRefresh size={16} />} onClick={() => sync.mutate(x)} loading={sync.isPending && sync.variables?.id === x.id} />
          )}
        </>
      ) : null) : undefined}
    />
  );
}
