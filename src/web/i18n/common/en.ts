// The `common` namespace in English: the same keys as pt-BR.ts (its type says so).
import type { ptBR } from './pt-BR';

export const en: typeof ptBR = {
  app: { name: 'Mirante', version: 'version {{version}}' },
  common: {
    save: 'Save', cancel: 'Cancel', create: 'Create', edit: 'Edit', close: 'Close', search: 'Search',
    active: 'Active', inactive: 'Inactive', yes: 'Yes', no: 'No', actions: 'Actions', deactivate: 'Deactivate',
    activate: 'Activate', confirm: 'Confirm', loading: 'Loading…', emptyYet: 'Nothing here yet.', emptyCreate: 'Use “Create”, top right, to add the first one.', emptyInactive: 'Inactive ones show with “Show inactive”.', noMatch: 'Nothing matches “{{q}}”.', clearSearch: 'Clear search', empty: 'No records found',
    saved: 'Changes saved', created: 'Record created', error: 'Error', all: 'All', status: 'Status',
    name: 'Name', language: 'Language', logout: 'Sign out', reload: 'Reload', clear: 'Clear',
    showInactive: 'Show inactive', required: 'Required', minutes: 'minutes', seconds: 'seconds',
    toggleVisibility: 'Show or hide what was typed',
    network: 'No connection to the server. Check the network and try again.',
  },
  nav: {
    home: 'Home', monitorar: 'Monitor', desk: 'Agent desk', admin: 'Administration', users: 'Users', agents: 'Agents',
    teams: 'Departments', services: 'Services', channelAccounts: 'Channels', pauseReasons: 'Pause reasons',
    classifications: 'Classifications', templateCategories: 'Template categories', templates: 'Communication templates',
    settings: 'Parameters', audit: 'Audit log', lgpd: 'LGPD', dataAccess: 'Data access', titulares: 'Data subjects',
    consultas: 'Lookup', analysis: 'Operation analysis', history: 'History',
    reports: 'Reports', analysisAgents: 'Agents', analysisQueue: 'Queue', analysisOutbound: 'Active messages', analysisCharts: 'Charts',
    account: 'My account', profile: 'My profile',
    filter: 'Filter', filterEmail: 'E-mail', filterEmailPending_one: '{{count}} e-mail pending in the filter', filterEmailPending_other: '{{count}} e-mails pending in the filter',
  },
  login: {
    title: 'Sign in to Mirante', email: 'E-mail', password: 'Password', submit: 'Sign in',
    invalid: 'Wrong e-mail or password', throttled: 'Too many attempts. Wait a few minutes and try again.',
    subtitle: 'Omnichannel contact center',
  },
  roles: { admin: 'Administrator', supervisor: 'Supervisor', agent: 'Agent' },
  channels: {
    webchat: 'WebChat', email: 'E-mail', whatsapp: 'WhatsApp', instagram: 'Instagram Direct',
    facebook: 'Facebook Messenger', telegram: 'Telegram', sms: 'SMS', api: 'API',
  },
  home: { welcome: 'Hello, {{name}}', intro: 'Use the side menu to administer the operation.' },
};
