import { useTranslation } from 'react-i18next';
import type { TemplateCategory } from '../../contracts/admin';
import { ResourcePage } from '../ui/ResourcePage';

// seed 2 had only "Atualização de protocolo"; notices, billing, the satisfaction survey and marketing
// are the other uses of a contact center's active messages (issue 17)
const TYPES: Record<TemplateCategory['type'], true> = { protocol_update: true, notification: true, billing: true, satisfaction_survey: true, marketing: true };

/** Categorias de templates de comunicação (seed 2): código orders the list, título, tipo, ativo. */
export function TemplateCategoriesPage() {
  const { t } = useTranslation('admin');
  const typeOptions = (Object.keys(TYPES) as TemplateCategory['type'][]).map((v) => ({ value: v, label: t(`templateCategories.types.${v}`) }));
  return (
    <ResourcePage<TemplateCategory>
      resource="TemplateCategories"
      title={t('templateCategories.title')}
      description={t('templateCategories.description')}
      formTitles={{ create: t('templateCategories.create'), edit: t('templateCategories.edit') }}
      columns={[
        { key: 'code', label: t('templateCategories.code'), render: (c) => c.code },
        { key: 'title', label: t('templateCategories.titleField'), render: (c) => c.title },
        { key: 'type', label: t('templateCategories.type'), render: (c) => t(`templateCategories.types.${c.type}`) },
      ]}
      fields={[
        { name: 'code', label: t('templateCategories.code'), type: 'number', required: true, min: 0, max: 999999, description: t('templateCategories.codeHelp') },
        { name: 'title', label: t('templateCategories.titleField'), type: 'text', required: true },
        { name: 'type', label: t('templateCategories.type'), type: 'select', required: true, options: typeOptions },
        { name: 'active', label: t('templateCategories.active'), type: 'boolean', description: t('templateCategories.activeHelp') },
      ]}
      defaults={{ type: 'protocol_update', active: true }}
    />
  );
}
