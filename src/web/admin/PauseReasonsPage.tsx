import { useTranslation } from 'react-i18next';
import type { PauseReason } from '../../contracts/admin';
import { formatSeconds } from '../../shared/duration';
import { ResourcePage } from '../ui/ResourcePage';

export function PauseReasonsPage() {
  const { t } = useTranslation('admin');
  return (
    <ResourcePage<PauseReason>
      resource="PauseReasons"
      title={t('pauseReasons.title')}
      description={t('pauseReasons.description')}
      formTitles={{ create: t('pauseReasons.create'), edit: t('pauseReasons.edit') }}
      columns={[
        { key: 'name', label: t('common.name'), render: (r) => r.name },
        { key: 'maxMinutes', label: t('pauseReasons.maxDuration'), render: (r) => formatSeconds(r.maxMinutes === null ? null : r.maxMinutes * 60) },
        { key: 'productive', label: t('pauseReasons.productive'), render: (r) => (r.productive ? t('common.yes') : t('common.no')) },
      ]}
      fields={[
        { name: 'name', label: t('common.name'), type: 'text', required: true },
        { name: 'maxMinutes', label: t('pauseReasons.maxMinutes'), type: 'number', min: 1, max: 1440, nullable: true, description: t('pauseReasons.maxMinutesHelp') },
        { name: 'productive', label: t('pauseReasons.productive'), type: 'boolean' },
      ]}
      defaults={{ productive: false }}
    />
  );
}
