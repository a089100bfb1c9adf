import type { z } from 'zod';
import * as c from '../contracts/admin.js';
import type { Channel, Role } from '../contracts/common.js';
import type { Database } from '../db/database.js';
import { SYSTEM_ACTOR, type Actor } from './actor.js';
import * as defs from './admin/definitions.js';
import { createResource, listResource, type ResourceDef } from './admin/resource.js';
import { replaceWrapupFields } from './admin/wrapup-fields.js';
import type { WrapupFieldInput } from '../contracts/wrapup-fields.js';
import type { SqlCondition } from './queries/conversation-filter.js';
import { seedDemoHistory, type DemoHistoryResult } from './demo-history.js';
import { getSettings } from './settings.js';
import { SAMPLE_FLOW_PT_BR } from '../core/bot-flow-sample.js';
import { CHANNEL_CAPABILITIES } from '../contracts/channel-capabilities.js';

// A believable Brazilian contact center for demos and manual testing (`npm run demo:seed`,
// `npm start -- --demo`). Never run on a normal start.

export const DEMO_ADMIN_EMAIL = 'admin@mirante.demo';
export const DEFAULT_DEMO_PASSWORD = 'demo1234';

/** MIRANTE_DEMO_PASSWORD, else demo1234: a known password is acceptable only for demo data. */
export function demoPassword(env: NodeJS.ProcessEnv = process.env): string {
  return env.MIRANTE_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
}

// The audit log names the seed as the author of everything it creates.
const DEMO_ACTOR: Actor = { ...SYSTEM_ACTOR, name: 'demo-seed' };

type TeamKey = 'geral' | 'financeiro' | 'suporte' | 'ouvidoria' | 'vendas';

const TEAMS: Record<TeamKey, { name: string; maxChat: number; maxEmail: number }> = {
  geral: { name: 'Atendimento Geral', maxChat: 4, maxEmail: 6 },
  financeiro: { name: 'Financeiro', maxChat: 3, maxEmail: 5 },
  suporte: { name: 'Suporte Técnico', maxChat: 3, maxEmail: 4 },
  ouvidoria: { name: 'Ouvidoria', maxChat: 2, maxEmail: 8 },
  vendas: { name: 'Vendas', maxChat: 5, maxEmail: 5 },
};
const ALL_TEAMS = Object.keys(TEAMS) as TeamKey[];

interface PersonSeed {
  email: string;
  name: string;
  role: Role;
  teams?: TeamKey[];
  supervises?: TeamKey[];
}

const STAFF: PersonSeed[] = [
  { email: DEMO_ADMIN_EMAIL, name: 'Roberto Siqueira', role: 'admin' },
  { email: 'supervisor@mirante.demo', name: 'Mariana Albuquerque', role: 'supervisor', supervises: ALL_TEAMS },
  { email: 'supervisor2@mirante.demo', name: 'Renata Campos', role: 'supervisor', supervises: ['financeiro', 'ouvidoria'] },
  { email: 'supervisor3@mirante.demo', name: 'Paulo Henrique Vieira', role: 'supervisor', supervises: ['suporte', 'vendas'] },
];

// agenteN@mirante.demo, N = index + 1; a few work in two teams.
const AGENTS: [string, TeamKey[]][] = [
  ['Ana Beatriz Souza', ['geral', 'financeiro']],
  ['Bruno Henrique Lima', ['geral']],
  ['Carla Fernandes', ['geral']],
  ['Diego Oliveira Santos', ['geral', 'vendas']],
  ['Eduarda Ribeiro', ['geral']],
  ['Felipe Carvalho', ['geral', 'suporte']],
  ['Gabriela Martins', ['financeiro']],
  ['Henrique Almeida', ['financeiro']],
  ['Isabela Rocha', ['financeiro']],
  ['João Pedro Barbosa', ['financeiro', 'ouvidoria']],
  ['Juliana Costa', ['suporte']],
  ['Lucas Gomes Pereira', ['suporte']],
  ['Larissa Nascimento', ['suporte']],
  ['Marcos Vinícius Dias', ['suporte']],
  ['Natália Araújo', ['ouvidoria']],
  ['Otávio Cardoso', ['ouvidoria']],
  ['Patrícia Teixeira', ['vendas']],
  ['Rafael Monteiro', ['vendas']],
  ['Sabrina Freitas', ['vendas', 'geral']],
  ['Thiago Mendes', ['vendas']],
];

interface ServiceSeed {
  name: string;
  channel: Channel;
  teams: TeamKey[];
  serviceLevelSeconds: number;
  tmaGoalSeconds: number;
  emailTriage?: boolean;
}

// Service-level targets after Portaria 2.014/2008 (60 s; 45 s for financial services) for chat,
// longer for asynchronous channels; TMA goals by the kind of demand.
const SERVICES: ServiceSeed[] = [
  { name: 'WebChat Site', channel: 'webchat', teams: ['geral', 'vendas'], serviceLevelSeconds: 60, tmaGoalSeconds: 480 },
  { name: 'WhatsApp Atendimento', channel: 'whatsapp', teams: ['geral'], serviceLevelSeconds: 60, tmaGoalSeconds: 600 },
  { name: 'WhatsApp Financeiro', channel: 'whatsapp', teams: ['financeiro'], serviceLevelSeconds: 45, tmaGoalSeconds: 540 },
  { name: 'Instagram Direct', channel: 'instagram', teams: ['vendas', 'geral'], serviceLevelSeconds: 120, tmaGoalSeconds: 420 },
  { name: 'Facebook Messenger', channel: 'facebook', teams: ['geral'], serviceLevelSeconds: 120, tmaGoalSeconds: 420 },
  { name: 'Telegram Suporte', channel: 'telegram', teams: ['suporte'], serviceLevelSeconds: 90, tmaGoalSeconds: 900 },
  { name: 'SMS Cobrança', channel: 'sms', teams: ['financeiro'], serviceLevelSeconds: 300, tmaGoalSeconds: 300 },
  { name: 'E-mail SAC', channel: 'email', teams: ['geral'], serviceLevelSeconds: 86_400, tmaGoalSeconds: 1200 },
  { name: 'E-mail Ouvidoria', channel: 'email', teams: ['ouvidoria'], serviceLevelSeconds: 172_800, tmaGoalSeconds: 1800, emailTriage: true },
  { name: 'API Parceiros', channel: 'api', teams: ['suporte'], serviceLevelSeconds: 120, tmaGoalSeconds: 600 },
];

// [code, name, services it is limited to (null: every service)]
const CLASSIFICATIONS: [string, string, string[] | null][] = [
  ['DUV-RES', 'Dúvida resolvida', null],
  ['FIN-BOL', 'Segunda via de boleto', ['WhatsApp Financeiro', 'SMS Cobrança', 'WebChat Site', 'E-mail SAC']],
  ['FIN-NEG', 'Negociação de débito', ['WhatsApp Financeiro', 'SMS Cobrança']],
  ['REC', 'Reclamação', null],
  ['CANC', 'Cancelamento', null],
  ['PED-INF', 'Informação de pedido', null],
  ['PED-TROCA', 'Troca ou devolução', ['WebChat Site', 'WhatsApp Atendimento', 'Instagram Direct', 'E-mail SAC']],
  ['SUP-RES', 'Problema técnico resolvido', ['Telegram Suporte', 'API Parceiros', 'WebChat Site']],
  ['SUP-N2', 'Encaminhado ao suporte nível 2', ['Telegram Suporte', 'API Parceiros']],
  ['VEN-ORC', 'Orçamento enviado', ['Instagram Direct', 'WebChat Site', 'Facebook Messenger']],
  ['VEN-OK', 'Venda concluída', ['Instagram Direct', 'WebChat Site', 'Facebook Messenger']],
  ['OUV-REG', 'Manifestação registrada na ouvidoria', ['E-mail Ouvidoria']],
  ['SPAM', 'Contato indevido', null],
];

const TEMPLATE_CATEGORY = { code: 1, title: 'Atualização de protocolo', type: 'protocol_update' as const };

const TEMPLATES: { name: string; channel: Channel | null; body: string; providerTemplate?: string }[] = [
  {
    name: 'Protocolo registrado',
    channel: null,
    body: 'Olá! Seu atendimento foi registrado com o protocolo {{protocolo}}. Guarde este número para acompanhar sua solicitação em qualquer canal.',
  },
  {
    name: 'Protocolo em análise (WhatsApp)',
    channel: 'whatsapp',
    providerTemplate: 'atualizacao_protocolo_analise',
    body: 'Olá! Sua solicitação de protocolo {{protocolo}} está em análise. Daremos retorno em até 7 dias corridos. Responda esta mensagem se quiser falar com um atendente.',
  },
  {
    name: 'Protocolo concluído',
    channel: null,
    body: 'Sua solicitação de protocolo {{protocolo}} foi concluída. Se ainda precisar de ajuda, é só responder citando o protocolo.',
  },
  {
    name: 'Resposta inicial por e-mail',
    channel: 'email',
    body: 'Prezado(a) cliente,\n\nRecebemos sua mensagem e registramos o protocolo {{protocolo}}. Nossa equipe responderá em até 7 dias corridos.\n\nAtenciosamente,\nCentral de Atendimento',
  },
];

export interface DemoLogin {
  email: string;
  name: string;
  role: Role;
}

export interface DemoSeedResult {
  /** false when the demo data was already there (nothing was done) */
  created: boolean;
  logins: DemoLogin[];
  /** the past days of finished work written with the catalog (demo-history.ts); null when none */
  history: DemoHistoryResult | null;
}

export interface DemoSeedOptions {
  /** days of finished work before today (0: none); default 30 */
  historyDays?: number;
  now?: Date;
}

/** Every demo login, in the order the README lists them. */
export function demoLogins(): DemoLogin[] {
  return [
    ...STAFF.map(({ email, name, role }) => ({ email, name, role })),
    ...AGENTS.map(([name], i) => ({ email: `agente${i + 1}@mirante.demo`, name, role: 'agent' as const })),
  ];
}

/** The demo services' wrap-up form (Campos da ficha de atendimento); demo/agents.ts fills it in. */
export const DEMO_WRAPUP: WrapupFieldInput[] = [
  { key: 'motivo', label: 'Motivo do contato', type: 'select', options: ['Dúvida', 'Reclamação', 'Solicitação', 'Cancelamento', 'Elogio'] },
  { key: 'resolvido', label: 'Resolvido no primeiro contato', type: 'boolean' },
  { key: 'observacao', label: 'Observação', type: 'text' },
];

/**
 * Validates like the API would, then creates through the engine (one transaction and one audit
 * record each). Finds the record first by its unique key, so a seed that was interrupted resumes.
 */
async function ensure<Out extends { id: string }>(
  db: Database,
  def: ResourceDef<Out>,
  schema: z.ZodType,
  key: SqlCondition,
  input: Record<string, unknown>,
): Promise<Out> {
  const [found] = await listResource(db, def, DEMO_ACTOR, { where: key });
  return found ?? createResource(db, def, DEMO_ACTOR, schema.parse(input) as Record<string, unknown>);
}
const byName = (name: string): SqlCondition => ({ sql: 'lower(t.name) = lower($1)', params: [name] });
const byEmail = (email: string): SqlCondition => ({ sql: 'lower(t.email) = lower($1)', params: [email] });

/**
 * Creates the demo contact center. Idempotent: does nothing when admin@mirante.demo exists (it is
 * created last). Pause reasons come from the migrations, so every installation has them already.
 */
export async function seedDemo(db: Database, password: string, opts: DemoSeedOptions = {}): Promise<DemoSeedResult> {
  const logins = demoLogins();
  const existing = await db.query('SELECT 1 FROM users WHERE lower(email) = $1', [DEMO_ADMIN_EMAIL]);
  if (existing.rows.length) return { created: false, logins, history: null };
  if (password.length < 8) throw new Error('MIRANTE_DEMO_PASSWORD must have at least 8 characters');

  const teamIds = {} as Record<TeamKey, string>;
  for (const key of ALL_TEAMS) {
    teamIds[key] = (await ensure(db, defs.teams, c.CreateTeam, byName(TEAMS[key].name), { ...TEAMS[key], omniEnabled: true })).id;
  }
  const toIds = (keys: TeamKey[] = []) => keys.map((k) => teamIds[k]);

  // The admin comes last: its presence marks a complete seed.
  const people: PersonSeed[] = [
    ...STAFF.slice(1),
    ...AGENTS.map(([name, teams], i): PersonSeed => ({ email: `agente${i + 1}@mirante.demo`, name, role: 'agent', teams })),
  ];
  for (const p of people) {
    await ensure(db, defs.users, c.CreateUser, byEmail(p.email), {
      email: p.email,
      name: p.name,
      role: p.role,
      password,
      language: 'pt-BR',
      agentEnabled: p.role === 'agent',
      teamIds: toIds(p.teams),
      supervisedTeamIds: toIds(p.supervises),
    });
  }

  const serviceIds: Record<string, string> = {};
  for (const s of SERVICES) {
    const created = await ensure(db, defs.services, c.CreateService, byName(s.name), {
      name: s.name,
      channel: s.channel,
      teamIds: toIds(s.teams),
      serviceLevelSeconds: s.serviceLevelSeconds,
      tmaGoalSeconds: s.tmaGoalSeconds,
      emailTriage: s.emailTriage ?? false,
      // every chat and messaging service greets with the sample flow (menu, a CPF, transfer), so
      // Autoatendimento has work to show
      botFlow: CHANNEL_CAPABILITIES[s.channel].botStage ? SAMPLE_FLOW_PT_BR : null,
    });
    serviceIds[s.name] = created.id;
  }

  // the wrap-up form every service asks on Concluir, none of it required (Classificações' answers)
  for (const id of Object.values(serviceIds)) {
    const { rows } = await db.query('SELECT 1 FROM wrapup_fields WHERE service_id = $1 LIMIT 1', [id]);
    if (!rows.length) await replaceWrapupFields(db, DEMO_ACTOR, id, DEMO_WRAPUP);
  }

  for (const [code, name, services] of CLASSIFICATIONS) {
    await ensure(db, defs.classifications, c.CreateClassification, { sql: 'lower(t.code) = lower($1)', params: [code] }, {
      code,
      name,
      serviceIds: services ? services.map((n) => serviceIds[n]) : null,
    });
  }

  const category = await ensure(db, defs.templateCategories, c.CreateTemplateCategory, { sql: 't.code = $1', params: [TEMPLATE_CATEGORY.code] }, TEMPLATE_CATEGORY);
  for (const t of TEMPLATES) {
    await ensure(db, defs.templates, c.CreateTemplate, byName(t.name), {
      categoryId: category.id,
      name: t.name,
      channel: t.channel,
      language: 'pt_BR',
      body: t.body,
      providerTemplate: t.providerTemplate ?? null,
    });
  }

  const admin = STAFF[0];
  // the past goes in before the admin: an interrupted seed starts again and writes it then
  const days = opts.historyDays ?? 30;
  const history = days > 0 ? await seedDemoHistory(db, { days, timeZone: (await getSettings(db)).timezone, now: opts.now ?? new Date() }) : null;
  await ensure(db, defs.users, c.CreateUser, byEmail(admin.email), { email: admin.email, name: admin.name, role: admin.role, password, language: 'pt-BR' });
  return { created: true, logins, history };
}
