import type { ptBR } from './pt-BR';

export const en: typeof ptBR = {
  reports: {
    title: 'Reports',
    subtitle: 'Detail and summary of the conversations of every channel',
    catalogue: 'Available reports',
    catalogueEmpty: 'No report available.',
    pick: 'Pick a report from the list to generate it.',
    filters: {
      period: 'Period', from: 'From', to: 'To', interval: 'Interval', service: 'Service', channel: 'Channel',
      team: 'Department', agent: 'Agent', any: 'All', generate: 'Generate', refresh: 'Refresh',
      timezone: 'Times in the contact center’s time zone ({{tz}}).',
    },
    presets: { today: 'Today', yesterday: 'Yesterday', last7: 'Last 7 days', thisMonth: 'This month', lastMonth: 'Last month' },
    intervals: { '15m': '15 min', '30m': '30 min', hour: 'Hour', day: 'Day', week: 'Week', month: 'Month' },
    result: {
      period: '{{from}} to {{to}}', periodDay: '{{from}}', generatedAt: 'Generated at {{at}}', total: 'Total',
      empty: 'No conversation in the period', emptyTodo: 'Pick another period or remove filters.',
      failed: 'The report could not be generated: {{error}}', chart: 'Chart of the report {{title}}', rows_one: '{{count}} row', rows_other: '{{count}} rows',
      pdf: 'PDF',
    },
    schedules: {
      title: 'Schedules', intro: 'Reports e-mailed with the file attached, over the relative period chosen.',
      create: 'Schedule', edit: 'Edit schedule', new: 'New schedule', empty: 'No schedule.', emptyTodo: 'Use “Schedule” to receive a report by e-mail.',
      report: 'Report', period: 'Period', frequency: 'Frequency', hour: 'Sending hour', format: 'Format', recipients: 'Recipients',
      recipientsHint: 'E-mails separated by commas or Enter', owner: 'Created by', nextRun: 'Next sending', lastRun: 'Last sent', active: 'Active',
      pause: 'Pause', resume: 'Resume', delete: 'Delete', deleteConfirm: 'Delete the schedule of “{{report}}”?', never: '—', paused: 'Paused',
      periods: { yesterday: 'Yesterday', last_week: 'Last week', last_month: 'Last month' },
      frequencies: { daily: 'Daily', weekly: 'Weekly (Monday)', monthly: 'Monthly (the 1st)' },
      saved: 'Schedule saved', deleted: 'Schedule deleted', failed: 'Error: {{error}}',
      smtpMissing: 'Sending e-mail is not set up on this server (MAIL_SMTP_HOST and MAIL_FROM, set by IT): schedules wait and go out once it is.',
    },
  },
};
