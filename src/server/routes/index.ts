import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/admin.js';
import { ErrorBody } from '../../contracts/common.js';
import type { Database } from '../../db/database.js';
import * as defs from '../../engine/admin/definitions.js';
import { listAudit } from '../../engine/audit-query.js';
import type { SecretKey } from '../../engine/secrets.js';
import { ADMIN, ALL_ROLES } from '../auth/plugin.js';
import type { Runtime } from '../../engine/runtime.js';
import type { Config } from '../config.js';
import { agentAttachmentRoutes } from './agent-attachments.js';
import { contactRoutes } from './contacts.js';
import { conversationRoutes } from './conversations.js';
import { mediaRoutes } from './media.js';
import { emailTriageRoutes } from './email-triage.js';
import { refreshAgentViews } from '../../engine/agents/presence.js';
import { announceAccessChange } from '../../engine/auth/sessions.js';
import { MonitorService } from '../../engine/monitor/monitor-service.js';
import { apiChannelRoutes } from './channels-api.js';
import { channelAccountRoutes } from './channel-accounts.js';
import { alertRoutes, monitorRoutes } from './monitor.js';
import { analysisRoutes } from './analysis.js';
import { indicatorsRoutes } from './indicators.js';
import { reportRoutes } from './reports.js';
import { reportScheduleRoutes } from './report-schedules.js';
import { chartRoutes } from './charts.js';
import { whatsappRoutes } from './whatsapp.js';
import { templateRoutes } from './templates.js';
import { optOutRoutes } from './opt-out.js';
import { campaignRoutes } from './campaigns.js';
import { authRoutes } from './auth.js';
import { lookbackRoutes } from './lookback.js';
import { registerCrud } from './crud.js';
import { settingsRoutes } from './settings.js';
import { complianceRoutes } from './compliance.js';
import { wrapupFieldRoutes } from './wrapup-fields.js';

export interface RouteDeps {
  db: Database;
  config: Config;
  /** Encrypts channel credentials at rest (engine/secrets.ts). */
  secretKey: SecretKey;
  runtime: Runtime;
}

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps;
  authRoutes(app, deps);
  settingsRoutes(app, deps);
  conversationRoutes(app, deps);
  emailTriageRoutes(app, deps);
  agentAttachmentRoutes(app, deps);
  mediaRoutes(app, deps);
  apiChannelRoutes(app, deps);
  monitorRoutes(app, deps);
  alertRoutes(app, deps);
  wrapupFieldRoutes(app, deps);
  lookbackRoutes(app, deps);
  analysisRoutes(app, deps);
  indicatorsRoutes(app, deps);
  reportRoutes(app, deps);
  complianceRoutes(app, deps);
  reportScheduleRoutes(app, deps);
  chartRoutes(app, deps);
  whatsappRoutes(app, deps);
  contactRoutes(app, deps);
  templateRoutes(app, deps);
  optOutRoutes(app, deps);
  campaignRoutes(app, deps);

  // Administration. Writes are the admin's; supervisors and agents read what their scope shows.
  // agents may read too: their scope shows them only themselves
  // users and teams feed the live views of agents: each change is pushed as agent.updated
  const refreshAgents = (ids: string[]) => refreshAgentViews(deps.runtime.engine, ids);
  const catalogChanged = () => MonitorService.announceCatalogChange(deps.runtime.engine);
  registerCrud(app, db, {
    path: '/api/users', tag: 'users', def: defs.users, item: c.User, create: c.CreateUser, update: c.UpdateUser, read: ALL_ROLES, write: ADMIN,
    onChange: async (u) => {
      await refreshAgents([u.id]);
      // role, teams or active flag: their sockets are checked and re-scoped on every node
      announceAccessChange(deps.runtime.bus, [u.id]);
    },
  });
  registerCrud(app, db, {
    path: '/api/teams', tag: 'teams', def: defs.teams, item: c.Team, create: c.CreateTeam, update: c.UpdateTeam, read: ALL_ROLES, write: ADMIN,
    onChange: async (t, before) => {
      await refreshAgents([...new Set([...t.agentIds, ...(before?.agentIds ?? [])])]);
      await catalogChanged();
    },
  });
  channelAccountRoutes(app, deps, catalogChanged);
  registerCrud(app, db, { path: '/api/services', tag: 'services', def: defs.services, item: c.Service, create: c.CreateService, update: c.UpdateService, read: ALL_ROLES, write: ADMIN, onChange: catalogChanged });
  registerCrud(app, db, { path: '/api/pause-reasons', tag: 'pause-reasons', def: defs.pauseReasons, item: c.PauseReason, create: c.CreatePauseReason, update: c.UpdatePauseReason, read: ALL_ROLES, write: ADMIN });
  registerCrud(app, db, { path: '/api/classifications', tag: 'classifications', def: defs.classifications, item: c.Classification, create: c.CreateClassification, update: c.UpdateClassification, read: ALL_ROLES, write: ADMIN });
  registerCrud(app, db, { path: '/api/template-categories', tag: 'template-categories', def: defs.templateCategories, item: c.TemplateCategory, create: c.CreateTemplateCategory, update: c.UpdateTemplateCategory, read: ALL_ROLES, write: ADMIN });
  registerCrud(app, db, { path: '/api/templates', tag: 'templates', def: defs.templates, item: c.Template, create: c.CreateTemplate, update: c.UpdateTemplate, read: ALL_ROLES, write: ADMIN });

  app.withTypeProvider<ZodTypeProvider>().get('/api/audit', {
    config: { access: ADMIN },
    schema: { tags: ['audit'], summary: 'The audit log, newest first', querystring: c.AuditQuery, response: { 200: c.AuditPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (req) => listAudit(db, req.query));
}
