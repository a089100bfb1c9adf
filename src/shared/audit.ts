// What the audit log records: every action and every kind of record it names. The engine may write
// only these (AuditRecord is typed with them), and Auditoria shows each with a label in both
// languages (a unit test walks these lists against the screen's translations).

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'deactivate',
  'reset',
  'login',
  'change_password',
  'end_session',
  'end_other_sessions',
  'end_sessions',
  'update_wrapup_fields',
  'issue_api_credentials',
  'view_history',
  'supervisor_chat',
  'transfer',
  'assign_manually',
  'return_to_queue',
  'accept_email',
  'discard_email',
  'finish_completed',
  'finish_cancelled',
  'export',
  // LGPD (issue 18): a conversation's messages read by someone other than its agent; a retention run
  'view_messages',
  'retention_run',
  'delete',
  'send_report',
  'export_history',
  'anonymize',
  'submit_template',
  'sync_templates',
  'opt_out',
  'opt_in',
  // the desk's "Nova conversa ativa" (issue 17)
  'start_outbound',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ENTITIES = [
  'user',
  'team',
  'service',
  'channel_account',
  'pause_reason',
  'classification',
  'template_category',
  'template',
  'setting',
  'session',
  'conversation',
  'conversations',
  'analysis_agents',
  'analysis_queue',
  'analysis_outbound',
  'indicators',
  'monitorar',
  'report',
  'retention',
  'data_access',
  'report_schedule',
  'charts',
  'contact',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];
