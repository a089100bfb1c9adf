import { Text } from '@mantine/core';
import { Tag } from './Tag';
import { useTranslation } from 'react-i18next';
import type { Template } from '../../contracts/admin';
import { ResourcePage } from '../ui/ResourcePage';
import { languageName } from '../ui/language-name';
import { channelOptions, pickOptions, useTemplateCategories, withChosen } from './lookups';

/** Templates de comunicação: the messages agents send, by category, channel and language. */
export function TemplatesPage() {
  const { t, i18n } = useTranslation('admin');
  const categories = useTemplateCategories();
  const categoryOptions = pickOptions(categories.items, (c) => `${c.code} · ${c.title}`);
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
        { key: 'body', label: t('templates.body'), render: (x) => <Text size="sm" lineClamp={2} maw={360}>{x.body}</Text> },
        { key: 'provider', label: t('templates.providerTemplateShort'), render: (x) => x.providerTemplate ?? '—' },
      ]}
      fields={[
        {
          name: 'categoryId',
          label: t('templates.category'),
          type: 'select',
          required: true,
          options: (form) => withChosen(categoryOptions, form.categoryId ? [form.categoryId as string] : [], categories.names),
        },
        { name: 'name', label: t('common.name'), type: 'text', required: true },
        { name: 'channel', label: t('templates.channel'), type: 'select', nullable: true, options: channelOptions(t), description: t('templates.channelHelp'), placeholder: t('templates.anyChannel') },
        { name: 'language', label: t('templates.language'), type: 'text', description: t('templates.languageHelp'), placeholder: 'pt_BR' },
        { name: 'body', label: t('templates.body'), type: 'textarea', required: true },
        { name: 'providerTemplate', label: t('templates.providerTemplate'), type: 'text', nullable: true, description: t('templates.providerTemplateHelp') },
      ]}
      defaults={{ language: 'pt_BR' }}
    />
  );
}
