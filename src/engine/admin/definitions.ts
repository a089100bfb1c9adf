import { randomBytes } from 'node:crypto';
import type {
  Classification,
  PauseReason,
  Service,
  Team,
  Template,
  TemplateCategory,
  User,
} from '../../contracts/admin.js';
import { hashPassword } from '../auth/password.js';
import type { BusinessHoursInput } from '../../contracts/business-hours.js';
import { assertValidFlow } from '../bot/flow.js';
import { normalizeBusinessHours, storedHours } from '../business-hours.js';
import { AppError, at } from '../errors.js';
import { getSettings } from '../settings.js';
import { assertWebhookTarget } from '../webhook-targets.js';
import { iso, type ResourceDef, type Row } from './resource.js';
import { prepareTemplate, presentProviderFields } from '../templates.js';
import { capabilitiesOf } from '../../contracts/channel-capabilities.js';

const stamps = (r: Row) => ({ createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) });
const ids = (v: unknown) => (v as string[] | null) ?? [];

export const users: ResourceDef<User> = {
  entity: 'user',
  label: { en: 'User', pt: 'Usuário' },
  table: 'users',
  columns: { email: 'email', name: 'name', role: 'role', language: 'language', agentEnabled: 'agent_enabled', privacyOfficer: 'privacy_officer', active: 'active' },
  links: [
    { field: 'teamIds', table: 'team_agents', ownColumn: 'user_id', otherColumn: 'team_id' },
    { field: 'supervisedTeamIds', table: 'team_supervisors', ownColumn: 'user_id', otherColumn: 'team_id' },
  ],
  searchColumn: 'name',
  secretFields: ['password'],
  present: (r) => ({
    id: r.id as string,
    email: r.email as string,
    name: r.name as string,
    role: r.role as User['role'],
    language: r.language as User['language'],
    agentEnabled: r.agent_enabled as boolean,
    privacyOfficer: r.role === 'admin' || r.privacy_officer === true,
    active: r.active as boolean,
    teamIds: ids(r.teamIds),
    supervisedTeamIds: ids(r.supervisedTeamIds),
    ...stamps(r),
  }),
  async prepare(input, { tx, existing, actor }) {
    const losesAdmin = existing?.role === 'admin' && existing.active && ((input.role && input.role !== 'admin') || input.active === false);
    if (losesAdmin) {
      // one at a time: two admins demoting each other at once would each still count the other
      await tx.query('SELECT pg_advisory_xact_lock(727290)'); // the last-admin guard's own lock
      const { rows } = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active AND id <> $1`,
        [existing.id],
      );
      if (rows[0].n === 0) throw new AppError(409, 'conflict', at('role', { en: 'this is the last active admin; make another admin first', pt: 'este é o último administrador ativo; torne outro usuário administrador antes' }));
    }
    // a deactivated user's sessions end with them: reactivating the user must not revive old sessions
    if (existing && existing.active && input.active === false) await tx.query('DELETE FROM sessions WHERE user_id = $1', [existing.id]);
    // an admin who sets someone's password (a reset) signs that person out everywhere: whoever held the
    // old password is out; the admin's own sessions stay when it is their own row
    else if (existing && typeof input.password === 'string' && existing.id !== actor.id) await tx.query('DELETE FROM sessions WHERE user_id = $1', [existing.id]);
    const extra: Record<string, unknown> = {};
    if (typeof input.email === 'string') extra.email = input.email.trim().toLowerCase();
    if (typeof input.password === 'string') extra.password_hash = await hashPassword(input.password);
    return extra;
  },
  conflictMessage: () => ({ field: 'email', message: { en: 'a user with this e-mail already exists', pt: 'já existe um usuário com este e-mail' } }),
  scope: (policy, n) => policy.usersSql('t.id', n),
};

export const teams: ResourceDef<Team> = {
  entity: 'team',
  label: { en: 'Team', pt: 'Departamento' },
  table: 'teams',
  columns: { name: 'name', omniEnabled: 'omni_enabled', maxChat: 'max_chat', maxEmail: 'max_email', active: 'active' },
  links: [
    { field: 'agentIds', table: 'team_agents', ownColumn: 'team_id', otherColumn: 'user_id' },
    { field: 'supervisorIds', table: 'team_supervisors', ownColumn: 'team_id', otherColumn: 'user_id' },
  ],
  searchColumn: 'name',
  present: (r) => ({
    id: r.id as string,
    name: r.name as string,
    omniEnabled: r.omni_enabled as boolean,
    maxChat: r.max_chat as number,
    maxEmail: r.max_email as number,
    active: r.active as boolean,
    agentIds: ids(r.agentIds),
    supervisorIds: ids(r.supervisorIds),
    ...stamps(r),
  }),
  conflictMessage: () => ({ field: 'name', message: { en: 'a team with this name already exists', pt: 'já existe um departamento com este nome' } }),
  scope: (policy, n) => policy.teamsSql('t.id', n),
};

function serviceKey(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `${slug || 'servico'}-${randomBytes(3).toString('hex')}`;
}

export const services: ResourceDef<Service> = {
  entity: 'service',
  label: { en: 'Service', pt: 'Serviço' },
  table: 'services',
  columns: {
    name: 'name',
    key: 'key',
    channel: 'channel',
    channelAccountId: 'channel_account_id',
    botFlow: 'bot_flow',
    serviceLevelSeconds: 'service_level_seconds',
    tmaGoalSeconds: 'tma_goal_seconds',
    botTimeoutSeconds: 'bot_timeout_seconds',
    queueTimeoutSeconds: 'queue_timeout_seconds',
    inactivityTimeoutSeconds: 'inactivity_timeout_seconds',
    emailTriage: 'email_triage',
    emailSignature: 'email_signature',
    outboundWebhookUrl: 'outbound_webhook_url',
    businessHours: 'business_hours',
    prechatForm: 'prechat_form',
    customerCalls: 'customer_calls',
    active: 'active',
  },
  jsonColumns: ['bot_flow', 'business_hours', 'prechat_form'],
  links: [{ field: 'teamIds', table: 'service_teams', ownColumn: 'service_id', otherColumn: 'team_id' }],
  searchColumn: 'name',
  present: (r) => ({
    id: r.id as string,
    name: r.name as string,
    key: r.key as string,
    channel: r.channel as Service['channel'],
    channelAccountId: (r.channel_account_id as string | null) ?? null,
    teamIds: ids(r.teamIds),
    botFlow: r.bot_flow ?? null,
    serviceLevelSeconds: r.service_level_seconds as number,
    tmaGoalSeconds: r.tma_goal_seconds as number,
    botTimeoutSeconds: r.bot_timeout_seconds as number,
    queueTimeoutSeconds: r.queue_timeout_seconds as number,
    inactivityTimeoutSeconds: r.inactivity_timeout_seconds as number,
    emailTriage: r.email_triage as boolean,
    emailSignature: (r.email_signature as string | null) ?? null,
    outboundWebhookUrl: (r.outbound_webhook_url as string | null) ?? null,
    hasApiToken: Boolean(r.api_token_hash),
    businessHours: storedHours(r.business_hours),
    prechatForm: (r.prechat_form as Service['prechatForm'] | null) ?? [],
    customerCalls: Boolean(r.customer_calls),
    active: r.active as boolean,
    ...stamps(r),
  }),
  async prepare(input, { tx, existing }) {
    const channel = (input.channel ?? existing?.channel) as string;
    if (input.emailTriage === true && !capabilitiesOf(channel).triage) {
      throw new AppError(422, 'validation_error', at('emailTriage', { en: 'only e-mail services have the e-mail filter', pt: 'só serviços de e-mail têm o filtro de e-mail' }), { field: 'emailTriage' });
    }
    if (typeof input.emailSignature === 'string' && input.emailSignature.trim() && capabilitiesOf(channel).workload !== 'email') {
      throw new AppError(422, 'validation_error', at('emailSignature', { en: 'only e-mail services have a signature', pt: 'só serviços de e-mail têm assinatura' }), { field: 'emailSignature' });
    }
    // a flow that would trap a customer is refused (422 listing its problems)
    if (input.botFlow) await assertValidFlow(tx, channel, input.botFlow);
    const { serviceLevel, timeouts, timezone, allowPrivateWebhookTargets } = await getSettings(tx);
    // a webhook into our own network is refused unless Parâmetros allow it (checked again at send time)
    if (typeof input.outboundWebhookUrl === 'string') await assertWebhookTarget(input.outboundWebhookUrl, allowPrivateWebhookTargets);
    const extra: Record<string, unknown> = {};
    if (input.businessHours) {
      extra.business_hours = JSON.stringify(normalizeBusinessHours(input.businessHours as BusinessHoursInput, new Date(), timezone));
    }
    if (existing) return extra;
    // a new service starts from the operation's parameters (Parâmetros) for what it does not say
    if (!input.key) extra.key = serviceKey(String(input.name));
    if (input.serviceLevelSeconds === undefined) extra.service_level_seconds = capabilitiesOf(channel).workload === 'email' ? serviceLevel.emailSeconds : serviceLevel.chatSeconds;
    if (input.botTimeoutSeconds === undefined) extra.bot_timeout_seconds = timeouts.botSeconds;
    if (input.queueTimeoutSeconds === undefined) extra.queue_timeout_seconds = timeouts.queueSeconds;
    if (input.inactivityTimeoutSeconds === undefined) extra.inactivity_timeout_seconds = timeouts.inactiveInServiceSeconds;
    return extra;
  },
  // the name's index is `services_name_key`, so match the key's constraint exactly
  conflictMessage: (c) =>
    c === 'services_key_key'
      ? { field: 'key', message: { en: 'a service with this key already exists', pt: 'já existe um serviço com esta chave' } }
      : { field: 'name', message: { en: 'a service with this name already exists', pt: 'já existe um serviço com este nome' } },
  scope: (policy, n) => policy.servicesSql('t.id', n),
};

export const pauseReasons: ResourceDef<PauseReason> = {
  entity: 'pause_reason',
  label: { en: 'Pause reason', pt: 'Motivo de pausa' },
  table: 'pause_reasons',
  columns: { name: 'name', maxMinutes: 'max_minutes', productive: 'productive', active: 'active' },
  searchColumn: 'name',
  present: (r) => ({
    id: r.id as string,
    name: r.name as string,
    maxMinutes: (r.max_minutes as number | null) ?? null,
    productive: r.productive as boolean,
    active: r.active as boolean,
    ...stamps(r),
  }),
  conflictMessage: () => ({ field: 'name', message: { en: 'a pause reason with this name already exists', pt: 'já existe um motivo de pausa com este nome' } }),
};

export const classifications: ResourceDef<Classification> = {
  entity: 'classification',
  label: { en: 'Classification', pt: 'Classificação', fem: true },
  table: 'classifications',
  columns: { code: 'code', name: 'name', serviceIds: 'service_ids', active: 'active' },
  searchColumn: 'name',
  orderBy: 't.code',
  present: (r) => ({
    id: r.id as string,
    code: r.code as string,
    name: r.name as string,
    serviceIds: (r.service_ids as string[] | null) ?? null,
    active: r.active as boolean,
    ...stamps(r),
  }),
  async prepare(input, { tx }) {
    // service_ids is an array column, which no foreign key guards
    const serviceIds = input.serviceIds as string[] | null | undefined;
    if (serviceIds?.length) {
      const unique = [...new Set(serviceIds)];
      const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM services WHERE id = ANY($1::uuid[])', [unique]);
      if (rows[0].n !== unique.length) throw new AppError(422, 'unknown_reference', at('serviceIds', { en: 'one of the ids does not exist', pt: 'um dos ids não existe' }), { field: 'serviceIds' });
      return { service_ids: unique };
    }
    return {};
  },
  conflictMessage: () => ({ field: 'code', message: { en: 'a classification with this code already exists', pt: 'já existe uma classificação com este código' } }),
};

export const templateCategories: ResourceDef<TemplateCategory> = {
  entity: 'template_category',
  label: { en: 'Template category', pt: 'Categoria de template', fem: true },
  table: 'template_categories',
  columns: { code: 'code', title: 'title', type: 'type', active: 'active' },
  searchColumn: 'title',
  orderBy: 't.code',
  present: (r) => ({
    id: r.id as string,
    code: r.code as number,
    title: r.title as string,
    type: r.type as TemplateCategory['type'],
    active: r.active as boolean,
    ...stamps(r),
  }),
  conflictMessage: () => ({ field: 'code', message: { en: 'a template category with this code already exists', pt: 'já existe uma categoria de template com este código' } }),
};

export const templates: ResourceDef<Template> = {
  entity: 'template',
  label: { en: 'Template', pt: 'Template' },
  table: 'templates',
  columns: {
    categoryId: 'category_id',
    name: 'name',
    channel: 'channel',
    language: 'language',
    body: 'body',
    providerTemplate: 'provider_template',
    channelAccountId: 'channel_account_id',
    providerCategory: 'provider_category',
    header: 'header',
    footer: 'footer',
    buttons: 'buttons',
    examples: 'examples',
    active: 'active',
  },
  jsonColumns: ['buttons', 'examples'],
  searchColumn: 'name',
  present: (r) => ({
    id: r.id as string,
    categoryId: r.category_id as string,
    name: r.name as string,
    channel: (r.channel as Template['channel']) ?? null,
    language: r.language as string,
    body: r.body as string,
    providerTemplate: (r.provider_template as string | null) ?? null,
    ...presentProviderFields(r),
    active: r.active as boolean,
    ...stamps(r),
  }),
  prepare: (input, { tx, existing }) => prepareTemplate(input, tx, existing),
  conflictMessage: () => ({ field: 'name', message: { en: 'a template with this name already exists', pt: 'já existe um template com este nome' } }),
};
