import { Code, Group } from '@mantine/core';
import { Tag } from './Tag';
import { useTranslation } from 'react-i18next';
import type { Classification } from '../../contracts/admin';
import { ResourcePage } from '../ui/ResourcePage';
import { namesOf, pickOptions, useServices, withChosen } from './lookups';

/** Classificações: the wrap-up codes, for every service or only some. */
export function ClassificationsPage() {
  const { t } = useTranslation('admin');
  const services = useServices();
  const serviceOptions = pickOptions(services.items, (s) => `${s.name} (${t(`channels.${s.channel}`)})`);
  return (
    <ResourcePage<Classification>
      resource="Classifications"
      title={t('classifications.title')}
      description={t('classifications.description')}
      formTitles={{ create: t('classifications.create'), edit: t('classifications.edit') }}
      columns={[
        { key: 'code', label: t('classifications.code'), render: (c) => <Code>{c.code}</Code> },
        { key: 'name', label: t('common.name'), render: (c) => c.name },
        {
          key: 'services',
          label: t('classifications.services'),
          render: (c) =>
            c.serviceIds === null || !c.serviceIds.length ? (
              <Tag name color="gray">{t('classifications.allServices')}</Tag>
            ) : (
              <Group gap={4}>{namesOf(c.serviceIds, services.names).map((n) => <Tag key={n} name variant="outline">{n}</Tag>)}</Group>
            ),
        },
      ]}
      fields={[
        { name: 'code', label: t('classifications.code'), type: 'text', required: true },
        { name: 'name', label: t('common.name'), type: 'text', required: true },
        {
          name: 'serviceIds',
          label: t('classifications.services'),
          description: t('classifications.servicesHelp'),
          placeholder: t('classifications.allServices'),
          type: 'multiselect',
          emptyAsNull: true,
          options: (form) => withChosen(serviceOptions, form.serviceIds as string[], services.names),
        },
      ]}
      toForm={(c) => ({ ...c, serviceIds: c.serviceIds ?? [] })}
      defaults={{ serviceIds: [] }}
    />
  );
}
