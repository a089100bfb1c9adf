import type { ReactNode } from 'react';
import { Navigate, type RouteObject } from 'react-router-dom';
import type { TFunction } from 'i18next';
import {
  IconAdjustments, IconCategory, IconCoffee, IconFileSearch, IconHeadset, IconHistory, IconHourglass, IconListDetails, IconMessages, IconSend,
  IconMailCheck, IconPlugConnected, IconShieldLock, IconUserShield, IconSitemap, IconTags, IconTemplate, IconUserCircle, IconUsers, IconUsersGroup,
} from '@tabler/icons-react';
import type { Role } from '../contracts/common';
import type { Me } from '../contracts/auth';
import { useSession } from './auth/session';
import type { NavSection } from './ui/AppLayout';
import { AgentsPage } from './admin/AgentsPage';
import { AuditPage } from './admin/AuditPage';
import { ChannelAccountsPage } from './admin/channel-accounts/ChannelAccountsPage';
import { ClassificationsPage } from './admin/ClassificationsPage';
import { PauseReasonsPage } from './admin/PauseReasonsPage';
import { ProfilePage } from './admin/ProfilePage';
import { ServicesPage } from './admin/ServicesPage';
import { BotFlowPage } from './admin/bot-flow/BotFlowPage';
import { ServiceHoursPage } from './admin/ServiceHoursPage';
import { WrapupFieldsPage } from './admin/WrapupFieldsPage';
import { SettingsPage } from './admin/SettingsPage';
import { TeamsPage } from './admin/TeamsPage';
import { TemplateCategoriesPage } from './admin/TemplateCategoriesPage';
import { TemplatesPage } from './admin/TemplatesPage';
import { UsersPage } from './admin/UsersPage';
import { DeskPage } from './desk/DeskPage';
import { ConsultasPage } from './lookback/ConsultasPage';
import { HistoryPage } from './lookback/HistoryPage';
import { IconArchive, IconChartBar, IconGauge, IconHeadphones, IconReportAnalytics } from '@tabler/icons-react';
import { MonitorPage } from './monitor/MonitorPage';
import { WallboardPage } from './monitor/WallboardPage';
import { MonitorarPage } from './monitorar/MonitorarPage';
import { AgentsAnalysisPage } from './analysis/AgentsAnalysisPage';
import { OutboundPage } from './analysis/OutboundPage';
import { QueuePage } from './analysis/QueuePage';
import { ChartsPage } from './charts/ChartsPage';
import { EmailTriageBadge } from './email-triage/EmailTriageBadge';
import { EmailTriagePage } from './email-triage/EmailTriagePage';
import { DataAccessPage } from './compliance/DataAccessPage';
import { ReportsPage } from './reports/ReportsPage';
import { ContactPage } from './contacts/ContactPage';
import { TitularesPage } from './contacts/TitularesPage';

const ADMIN: Role[] = ['admin'];
const STAFF: Role[] = ['admin', 'supervisor'];
const ALL: Role[] = ['admin', 'supervisor', 'agent'];
const icon = (I: typeof IconUsers) => <I size={18} stroke={1.6} />;

/** The side menu, by role. Each area adds its entries here and its routes below. */
export function navSections(t: TFunction, me?: Pick<Me, 'agentEnabled' | 'privacyOfficer'>): NavSection[] {
  return [
    // Início: the supervisor's live monitor, their home
    // Monitorar: the conversations grouped by status, service, agent or channel, beside it; Consultas:
    // conversations by period, protocol, status… (OmniMonitor → Consultas)
    {
      items: [
        { to: '/monitor', label: t('nav.home'), roles: STAFF, icon: icon(IconGauge) },
        { to: '/monitorar', label: t('nav.monitorar'), roles: STAFF, icon: icon(IconListDetails) },
        { to: '/consultas', label: t('nav.consultas'), roles: STAFF, icon: icon(IconFileSearch) },
      ],
    },
    // Filtro → E-mail (seed: "Filtro (de E-mail)"): the e-mails waiting in the filter, their count live
    {
      label: t('nav.filter'),
      items: [{ to: '/filtro/email', label: t('nav.filterEmail'), roles: STAFF, icon: icon(IconMailCheck), badge: <EmailTriageBadge /> }],
    },
    // the agent desk, for users linked as omnichannel agents (any role)
    ...(me && !me.agentEnabled ? [] : [{ items: [{ to: '/desk', label: t('nav.desk'), roles: ALL, icon: icon(IconHeadphones) }] }]),
    {
      // Análise da Operação (seed: Dashboard Omnichannel): the service desk's menus
      label: t('nav.analysis'),
      items: [
        { to: '/analise/atendentes', label: t('nav.analysisAgents'), roles: STAFF, icon: icon(IconUsersGroup) },
        { to: '/analise/fila', label: t('nav.analysisQueue'), roles: STAFF, icon: icon(IconHourglass) },
        { to: '/analise/mensagens-ativas', label: t('nav.analysisOutbound'), roles: STAFF, icon: icon(IconSend) },
        { to: '/analise/historico', label: t('nav.history'), roles: STAFF, icon: icon(IconArchive) },
        { to: '/relatorios', label: t('nav.reports'), roles: STAFF, icon: icon(IconReportAnalytics) },
        { to: '/analise/graficos', label: t('nav.analysisCharts'), roles: STAFF, icon: icon(IconChartBar) },
      ],
    },
    {
      label: t('nav.admin'),
      items: [
        // supervisors read these (their scope), without the create and edit buttons
        { to: '/admin/users', label: t('nav.users'), roles: STAFF, icon: icon(IconUsers) },
        { to: '/admin/agents', label: t('nav.agents'), roles: ADMIN, icon: icon(IconHeadset) },
        { to: '/admin/teams', label: t('nav.teams'), roles: STAFF, icon: icon(IconSitemap) },
        { to: '/admin/services', label: t('nav.services'), roles: STAFF, icon: icon(IconMessages) },
        { to: '/admin/canais', label: t('nav.channelAccounts'), roles: ADMIN, icon: icon(IconPlugConnected) },
        { to: '/admin/pause-reasons', label: t('nav.pauseReasons'), roles: ADMIN, icon: icon(IconCoffee) },
        { to: '/admin/classifications', label: t('nav.classifications'), roles: ADMIN, icon: icon(IconTags) },
        { to: '/admin/template-categories', label: t('nav.templateCategories'), roles: ADMIN, icon: icon(IconCategory) },
        { to: '/admin/templates', label: t('nav.templates'), roles: ADMIN, icon: icon(IconTemplate) },
        { to: '/admin/settings', label: t('nav.settings'), roles: ADMIN, icon: icon(IconAdjustments) },
        { to: '/admin/audit', label: t('nav.audit'), roles: ADMIN, icon: icon(IconHistory) },
      ],
    },
    {
      // LGPD: the consumer's rights (Titulares: admins, and supervisors for their services' customers);
      // who accessed a person's data (Acessos a dados: admins and users marked Encarregado de dados (DPO))
      label: t('nav.lgpd'),
      items: [
        { to: '/lgpd/titulares', label: t('nav.titulares'), roles: STAFF, icon: icon(IconUserShield) },
        ...(me?.privacyOfficer ? [{ to: '/lgpd/acessos', label: t('nav.dataAccess'), roles: ALL, icon: icon(IconShieldLock) }] : []),
      ],
    },
    {
      label: t('nav.account'),
      items: [{ to: '/profile', label: t('nav.profile'), roles: ALL, icon: icon(IconUserCircle) }],
    },
  ];
}

/** The compliance officer's screens: admins and the users marked Encarregado de dados (DPO). */
function AllowPrivacyOfficer({ children }: { children: ReactNode }) {
  const { me } = useSession();
  return me.privacyOfficer ? <>{children}</> : <HomeRedirect role={me.role} />;
}

/** A screen only some roles open; anyone else lands on their home (the menu hides it from them too). */
function Allow({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { me } = useSession();
  return roles.includes(me.role) ? <>{children}</> : <HomeRedirect role={me.role} />;
}

const guarded = (path: string, roles: Role[], element: ReactNode): RouteObject => ({ path, element: <Allow roles={roles}>{element}</Allow> });

export const routes: RouteObject[] = [
  guarded('monitor', STAFF, <MonitorPage />),
  guarded('monitor/wallboard', STAFF, <WallboardPage />),
  guarded('monitorar', STAFF, <MonitorarPage />),
  guarded('consultas', STAFF, <ConsultasPage />),
  guarded('filtro/email', STAFF, <EmailTriagePage />),
  guarded('analise/historico', STAFF, <HistoryPage />),
  guarded('analise/atendentes', STAFF, <AgentsAnalysisPage />),
  guarded('analise/fila', STAFF, <QueuePage />),
  guarded('analise/mensagens-ativas', STAFF, <OutboundPage />),
  guarded('relatorios', STAFF, <ReportsPage />),
  guarded('analise/graficos', STAFF, <ChartsPage />),
  guarded('admin/users', STAFF, <UsersPage />),
  guarded('admin/agents', ADMIN, <AgentsPage />),
  guarded('admin/teams', STAFF, <TeamsPage />),
  guarded('admin/services', STAFF, <ServicesPage />),
  guarded('admin/services/:id/bot-flow', ADMIN, <BotFlowPage />),
  guarded('admin/services/:id/hours', ADMIN, <ServiceHoursPage />),
  guarded('admin/services/:id/wrapup-fields', ADMIN, <WrapupFieldsPage />),
  guarded('admin/canais', ADMIN, <ChannelAccountsPage />),
  guarded('admin/pause-reasons', ADMIN, <PauseReasonsPage />),
  guarded('admin/classifications', ADMIN, <ClassificationsPage />),
  guarded('admin/template-categories', ADMIN, <TemplateCategoriesPage />),
  guarded('admin/templates', ADMIN, <TemplatesPage />),
  guarded('admin/settings', ADMIN, <SettingsPage />),
  guarded('admin/audit', ADMIN, <AuditPage />),
  { path: 'lgpd/acessos', element: <AllowPrivacyOfficer><DataAccessPage /></AllowPrivacyOfficer> },
  guarded('lgpd/titulares', STAFF, <TitularesPage />),
  guarded('lgpd/titulares/:id', STAFF, <ContactPage />),
  { path: 'profile', element: <ProfilePage /> },
  { path: 'desk', element: <DeskPage /> },
];

export function homePath(role: Role): string {
  return role === 'agent' ? '/desk' : '/monitor';
}

export const HomeRedirect = ({ role }: { role: Role }) => <Navigate to={homePath(role)} replace />;
