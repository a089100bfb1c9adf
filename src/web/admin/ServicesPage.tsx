import { ActionIcon, Code, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IconCheck, IconClipboardList, IconClock, IconCopy, IconRobot } from '@tabler/icons-react';
import type { Service } from '../../contracts/admin';
import { useSession } from '../auth/session';
import { RowAction } from '../ui/RowAction';
import { ResourcePage, type FormValues } from '../ui/ResourcePage';
import { Tag } from './Tag';
import { providersOf } from '../../contracts/channel-account-fields';
import { channelOptions, formatSeconds, namesOf, pickOptions, useChannelAccounts, useTeams, useTemplateCategories, useTemplates, withChosen } from './lookups';
import type { OutboundReply, ProtocolUpdateTransition } from '../../contracts/outbound';

// the contracts' lists as plain data (the web bundle carries no zod): a value added there and missing here fails to compile
const OUTBOUND_REPLIES: Record<OutboundReply, true> = { agent: true, queue: true };
const TRANSITIONS: Record<ProtocolUpdateTransition, true> = { completed: true, cancelled: true, inactive_in_service: true, customer_gave_up: true, transferred: true };
// the {{n}} of the protocol-update help, shown literally (i18next would read them as its own)
const PLACEHOLDERS = { p1: '{{1}}', p2: '{{2}}', p3: '{{3}}' };

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
  const templates = useTemplates();
  const categories = useTemplateCategories();
  // the protocol-update templates a service of this channel may pick: of a category of that type, for the channel or any
  const protocolTemplates = (form: FormValues) => {
    const ofType = new Set(categories.items.filter((c) => c.type === 'protocol_update').map((c) => c.id));
    const fit = templates.items.filter((x) => ofType.has(x.categoryId) && x.active && (x.channel === null || x.channel === form.channel));
    return withChosen(fit.map((x) => ({ value: x.id, label: x.name })), form.protocolUpdateTemplateId ? [form.protocolUpdateTemplateId as string] : [], templates.names);
  };
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
        {
          name: 'outboundReply', label: t('services.outboundReply'), type: 'select', description: t('services.outboundReplyHelp'), visible: (f) => f.channel !== 'webchat',
          options: (Object.keys(OUTBOUND_REPLIES) as OutboundReply[]).map((v) => ({ value: v, label: t(`services.outboundReplies.${v}`) })),
        },
        { name: 'protocolUpdateTemplateId', label: t('services.protocolUpdateTemplate'), type: 'select', nullable: true, options: protocolTemplates, description: t('services.protocolUpdateTemplateHelp', PLACEHOLDERS) },
        {
          name: 'protocolUpdateOn', label: t('services.protocolUpdateOn'), type: 'multiselect', description: t('services.protocolUpdateOnHelp'), visible: (f) => !!f.protocolUpdateTemplateId,
          options: (Object.keys(TRANSITIONS) as ProtocolUpdateTransition[]).map((v) => ({ value: v, label: t(`services.transitions.${v}`) })),
        },
      ]}
      defaults={{
        teamIds: [],
        tmaGoalSeconds: 600,
        botTimeoutSeconds: settings.timeouts.botSeconds,
        queueTimeoutSeconds: settings.timeouts.queueSeconds,
        inactivityTimeoutSeconds: settings.timeouts.inactiveInServiceSeconds,
        emailTriage: false,
        outboundReply: 'agent',
        protocolUpdateOn: [],
      }}
      toBody={(body, { isNew, form }) => {
        // no template, no transitions (the server refuses transitions without one)
        if (body.protocolUpdateTemplateId === null) body.protocolUpdateOn = [];
        // an empty target takes the Parâmetros' default for the channel (the server's own default is fixed)
        if (isNew && body.serviceLevelSeconds === undefined) {
          body.serviceLevelSeconds = isEmail(form) ? settings.serviceLevel.emailSeconds : settings.serviceLevel.chatSeconds;
        }
        return body;
      }}
    />
  );
}
