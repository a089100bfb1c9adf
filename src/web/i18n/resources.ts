// Every namespace of the web app, one per feature, each from its own file per language. i18next keeps
// them apart, so the same key in two features can no longer overwrite one another. No browser globals
// here: the unit test loads this file in Node.
import type { InitOptions } from 'i18next';
import { ptBR as commonPt } from './common/pt-BR';
import { en as commonEn } from './common/en';
import { ptBR as adminPt } from '../admin/i18n/pt-BR';
import { en as adminEn } from '../admin/i18n/en';
import { ptBR as deskPt } from '../desk/i18n/pt-BR';
import { en as deskEn } from '../desk/i18n/en';
import { ptBR as monitorPt } from '../monitor/i18n/pt-BR';
import { en as monitorEn } from '../monitor/i18n/en';
import { ptBR as monitorarPt } from '../monitorar/i18n/pt-BR';
import { en as monitorarEn } from '../monitorar/i18n/en';
import { ptBR as lookbackPt } from '../lookback/i18n/pt-BR';
import { en as lookbackEn } from '../lookback/i18n/en';
import { ptBR as analysisPt } from '../analysis/i18n/pt-BR';
import { en as analysisEn } from '../analysis/i18n/en';
import { ptBR as indicatorsPt } from '../indicators/i18n/pt-BR';
import { en as indicatorsEn } from '../indicators/i18n/en';
import { ptBR as emailTriagePt } from '../email-triage/i18n/pt-BR';
import { en as emailTriageEn } from '../email-triage/i18n/en';
import { ptBR as compliancePt } from '../compliance/i18n/pt-BR';
import { en as complianceEn } from '../compliance/i18n/en';
import { ptBR as reportsPt } from '../reports/i18n/pt-BR';
import { en as reportsEn } from '../reports/i18n/en';
import { ptBR as chartsPt } from '../charts/i18n/pt-BR';
import { en as chartsEn } from '../charts/i18n/en';
import { ptBR as contactsPt } from '../contacts/i18n/pt-BR';
import { en as contactsEn } from '../contacts/i18n/en';

/** `common` first: the default namespace, and where every other one falls back (buttons, navigation, channels…). */
export const NAMESPACES = ['common', 'admin', 'desk', 'monitor', 'monitorar', 'lookback', 'analysis', 'indicators', 'emailTriage', 'compliance', 'reports', 'charts', 'contacts'] as const;
export type Namespace = (typeof NAMESPACES)[number];

export const resources = {
  'pt-BR': { common: commonPt, admin: adminPt, desk: deskPt, monitor: monitorPt, monitorar: monitorarPt, lookback: lookbackPt, analysis: analysisPt, indicators: indicatorsPt, emailTriage: emailTriagePt, compliance: compliancePt, reports: reportsPt, charts: chartsPt, contacts: contactsPt },
  en: { common: commonEn, admin: adminEn, desk: deskEn, monitor: monitorEn, monitorar: monitorarEn, lookback: lookbackEn, analysis: analysisEn, indicators: indicatorsEn, emailTriage: emailTriageEn, compliance: complianceEn, reports: reportsEn, charts: chartsEn, contacts: contactsEn },
} satisfies Record<string, Record<Namespace, object>>;

/** How i18next is set up (i18n/index.ts adds the language); a screen names its namespace: useTranslation('admin'). */
export const i18nOptions = {
  resources,
  ns: [...NAMESPACES],
  defaultNS: 'common',
  fallbackNS: 'common',
  fallbackLng: 'pt-BR',
  interpolation: { escapeValue: false },
} satisfies InitOptions;
