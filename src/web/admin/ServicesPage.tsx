import { ActionIcon, Code, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IconCheck, IconClipboardList, IconClock, IconCopy, IconRobot } from '@tabler/icons-react';
import type { Service } from '../../contracts/admin';
import { useSession } from '../auth/session';
import { RowAction } from '../ui/RowAction';
import { ResourcePage, type FormValues } from '../ui/ResourcePage';
import { Tag } from './Tag';
import { providersOf } from '../../contracts/channel-account-fields';
import { channelOptions, formatSeconds, namesOf, pickOptions, useChannelAccounts, useTeams, withChosen } from './lookups';

const isEmail = (form: FormValues) => form.channel === 'email';

function ServiceKey({ value }: { value: string }) {
  const { t } = useTranslation('admin');
  return (
    <Group gap={4} wrap="nowrap">
      <Code style={{ whiteSpace: 'nowrap' }}>{value}</Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('services.copied') : t('services.copy')}>
            <ActionIcon variant="subtle" size="sm" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={t('services.copy')}>
              {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/**
 * Serviços: the entry points (one per channel), the departments that handle them, their targets and
 * timeouts. People type minutes (hours for an e-mail target); the API keeps seconds.
 */
export function ServicesPage() {
  const { t } = useTranslation('admin');
  const { settings, me } = useSession();
  const teams = useTeams();
  const accounts = useChannelAccounts(me.role === 'admin');
  const teamOptions = pickOptions(teams.items, (x) => x.name, (x) => x.omniEnabled);
  const min = t('units.min');
  return (
    <ResourcePage<Service>
      resource="Services"
      title={t('services.title')}
      description={t('services.description')}
      formTitles={{ create: t('services.create'), edit: t('services.edit') }}
      // the bot flow (every channel but e-mail), the business hours and the wrap-up fields, on screens of their own
      extraActions={me.role === 'admin' ? (s) => (
        <>
          {s.channel !== 'email' && (
            <RowAction label={t('botFlow.action')} ariaLabel={`${t('botFlow.action')}: ${s.name}`} icon={<IconRobot size={16} />} to={`/admin/services/${s.id}/bot-flow`} />
          )}
          <RowAction label={t('hours.action')} ariaLabel={`${t('hours.action')}: ${s.name}`} icon={<IconClock size={16} />} to={`/admin/services/${s.id}/hours`} />
          <RowAction label={t('wrapupFields.action')} ariaLabel={`${t('wrapupFields.action')}: ${s.name}`} icon={<IconClipboardList size={16} />} to={`/admin/services/${s.id}/wrapup-fields`} />
        </>
      ) : undefined}
      columns={[
        { key: 'name', label: t('common.name'), render: (s) => <Text size="sm" fw={500}>{s.name}</Text> },
        { key: 'channel', label: t('services.channel'), render: (s) => <Tag name>{t(`channels.${s.channel}`)}</Tag> },
        { key: 'teams', label: t('services.teams'), render: (s) => namesOf(s.teamIds, teams.names).join(', ') || '—' },
        { key: 'sl', label: t('services.serviceLevelShort'), render: (s) => formatSeconds(s.serviceLevelSeconds) },
        { key: 'tma', label: t('services.tmaGoalShort'), render: (s) => formatSeconds(s.tmaGoalSeconds) },
        { key: 'key', label: t('services.key'), render: (s) => <ServiceKey value={s.key} /> },
      ]}
      fields={[
        { name: 'name', label: t('common.name'), type: 'text', required: true },
        { name: 'channel', label: t('services.channel'), type: 'select', required: true, createOnly: true, options: channelOptions(t), description: t('services.channelHelp') },
        {
          // the provider account (a WhatsApp number, a Page, a bot) of a channel that has them
          name: 'channelAccountId',
          label: t('services.channelAccount'),
          description: t('services.channelAccountHelp'),
          type: 'select',
          nullable: true,
          placeholder: t('services.noChannelAccount'),
          visible: (form) => providersOf(String(form.channel ?? '')).length > 0,
          options: (form) => withChosen(
            pickOptions(accounts.items, (a) => a.name, (a) => a.channel === form.channel),
            form.channelAccountId ? [form.channelAccountId as string] : [],
            accounts.names,
          ),
        },
        {
          name: 'teamIds',
          label: t('services.teams'),
          description: t('services.teamsHelp'),
          type: 'multiselect',
          options: (form) => withChosen(teamOptions, form.teamIds as string[], teams.names),
        },
        {
          name: 'serviceLevelSeconds',
          label: t('services.serviceLevel'),
          type: 'number',
          min: 0.01,
          description: `${t('services.serviceLevelHelp')} ${t('services.serviceLevelEmpty', {
            chat: formatSeconds(settings.serviceLevel.chatSeconds),
            email: formatSeconds(settings.serviceLevel.emailSeconds),
          })}`,
          editDescription: t('services.serviceLevelHelp'),
          scale: (form) => (isEmail(form) ? 3600 : 1),
          unit: (form) => (isEmail(form) ? t('units.h') : t('units.s')),
        },
        { name: 'tmaGoalSeconds', label: t('services.tmaGoal'), type: 'number', min: 0.5, scale: 60, unit: min, description: t('services.tmaGoalHelp') },
        { name: 'botTimeoutSeconds', label: t('services.botTimeout'), type: 'number', min: 0.5, scale: 60, unit: min, description: t('services.botTimeoutHelp') },
        { name: 'queueTimeoutSeconds', label: t('services.queueTimeout'), type: 'number', min: 0.5, scale: 60, unit: min, description: t('services.queueTimeoutHelp') },
        { name: 'inactivityTimeoutSeconds', label: t('services.inactivityTimeout'), type: 'number', min: 0.5, scale: 60, unit: min, description: t('services.inactivityTimeoutHelp') },
        { name: 'emailTriage', label: t('services.emailTriage'), type: 'boolean', description: t('services.emailTriageHelp'), visible: isEmail },
        { name: 'emailSignature', label: t('services.emailSignature'), type: 'textarea', description: t('services.emailSignatureHelp'), visible: isEmail },
      ]}
      defaults={{
        teamIds: [],
        tmaGoalSeconds: 600,
        botTimeoutSeconds: settings.timeouts.botSeconds,
        queueTimeoutSeconds: settings.timeouts.queueSeconds,
        inactivityTimeoutSeconds: settings.timeouts.inactiveInServiceSeconds,
        emailTriage: false,
      }}
      toBody={(body, { isNew, form }) => {
        // an empty target takes the Parâmetros' default for the channel (the server's own default is fixed)
        if (isNew && body.serviceLevelSeconds === undefined) {
          body.serviceLevelSeconds = isEmail(form) ? settings.serviceLevel.emailSeconds : settings.serviceLevel.chatSeconds;
        }
        return body;
      }}
    />
  );
}
