import type { ptBR } from './pt-BR';

export const en: typeof ptBR = {
  lookback: {
    consultas: 'Lookup',
    history: 'History',
    historyIntro: 'Every conversation, on every channel.',
    tabs: { chat: 'Chat', email: 'E-mail', messaging: 'Messaging' },
    filters: {
      from: 'From', to: 'To', protocol: 'Protocol', protocolHint: 'Ticket number',
      status: 'Status', statusHint: 'All', more: 'Filter options', service: 'Service', origin: 'Origin name or number',
      originHint: 'Customer’s name, phone or e-mail', classification: 'Classification', agent: 'Assignee',
      search: 'Search', clear: 'Clear filters', open: 'In progress', finished: 'Finished', any: 'All',
    },
    states: {
      triage: 'In the e-mail filter', bot: 'With the bot', queued: 'Waiting in queue', in_service: 'In service',
      completed: 'Completed', cancelled: 'Cancelled', abandoned: 'Abandoned', customer_gave_up: 'Gave up / inactive',
      connection_lost: 'Connection lost', inactive_in_service: 'Inactive in service', discarded: 'Discarded',
    },
    columns: {
      start: 'Date/time', botStart: 'Bot start', botEnd: 'Bot end', queued: 'Queued at', humanStart: 'Agent start',
      humanEnd: 'Agent end', protocol: 'Protocol', queueTime: 'Queue time', handleTime: 'Handle time', audioTime: 'Audio time',
      videoTime: 'Video time', contact: 'Contact', origin: 'Origin', service: 'Service', subject: 'Subject', state: 'Status',
      agent: 'Agent', channel: 'Type', classification: 'Classification', actions: 'Actions',
      contactMessaging: 'Origin', agentEmail: 'Assignee',
    },
    help: {
      start: 'When the conversation started', botStart: 'Entered the bot stage', botEnd: 'Left the bot stage',
      queued: 'Entered the queue', humanStart: 'An agent took it', humanEnd: 'The agent’s service ended',
      protocol: 'Ticket number: opens the service record', queueTime: 'From entering the queue to an agent taking it',
      handleTime: 'From an agent taking it to the end', noCalls: 'no voice/video in Mirante yet',
      running: 'running',
    },
    total_one: '{{formatted}} conversation',
    total_other: '{{formatted}} conversations',
    totalMore: 'more than {{formatted}} conversations',
    loadMore: 'Load more',
    shown: '{{shown}} of {{total}} shown',
    empty: 'No conversation matches these filters.',
    loadFailed: 'The list could not be loaded: {{error}}',
    sortBy: 'Sort by {{column}}',
    viewRecord: 'View record',
    viewConversation: 'View conversation',
    recordTitle: 'Service record · {{protocol}}',
    export: {
      csv: 'Export CSV', xlsx: 'Export XLSX', progress: 'Exporting: {{done}} of {{total}} rows',
      progressBytes: 'Exporting: {{mb}} MB received ({{total}} rows)', done: 'Export finished: {{rows}} rows',
      failed: 'The export failed: {{error}}', cancel: 'Cancel',
    },
  },
};
