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
  // campaigns (Mensagens ativas)
  'create_campaign',
  'pause_campaign',
  'resume_campaign',
  'cancel_campaign',
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
  'campaign',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

// Their labels, in both languages: Auditoria (web/admin), Acessos a dados (web/compliance) and the
// access records' CSV (engine/compliance) all read these, so a code reads the same everywhere.
export interface AuditLabel {
  pt: string;
  en: string;
}

export const AUDIT_ACTION_LABELS = {
  create: { pt: 'Criação', en: 'Created' },
  update: { pt: 'Alteração', en: 'Changed' },
  deactivate: { pt: 'Desativação', en: 'Deactivated' },
  reset: { pt: 'Padrão restaurado', en: 'Default restored' },
  login: { pt: 'Entrada (login)', en: 'Sign-in' },
  change_password: { pt: 'Troca de senha', en: 'Password change' },
  end_session: { pt: 'Sessão encerrada', en: 'Session ended' },
  end_other_sessions: { pt: 'Outras sessões encerradas', en: 'Other sessions ended' },
  end_sessions: { pt: 'Sessões encerradas pelo administrador', en: 'Sessions ended by an admin' },
  update_wrapup_fields: { pt: 'Campos da ficha', en: 'Wrap-up fields' },
  issue_api_credentials: { pt: 'Credencial da API emitida', en: 'API credentials issued' },
  view_history: { pt: 'Histórico consultado', en: 'History viewed' },
  supervisor_chat: { pt: 'Conversa com o agente', en: 'Chat with the agent' },
  transfer: { pt: 'Transferência pelo supervisor', en: 'Transferred by a supervisor' },
  assign_manually: { pt: 'Alocação de responsável', en: 'Assigned manually' },
  return_to_queue: { pt: 'Retorno ao grupo do serviço', en: 'Returned to the service queue' },
  accept_email: { pt: 'E-mail aceito no filtro de e-mail', en: 'E-mail accepted in the e-mail filter' },
  discard_email: { pt: 'E-mail apagado no filtro de e-mail', en: 'E-mail deleted in the e-mail filter' },
  finish_completed: { pt: 'Concluído pelo supervisor', en: 'Completed by a supervisor' },
  finish_cancelled: { pt: 'Cancelado pelo supervisor', en: 'Cancelled by a supervisor' },
  export: { pt: 'Exportação', en: 'Export' },
  view_messages: { pt: 'Mensagens consultadas', en: 'Messages viewed' },
  retention_run: { pt: 'Retenção de dados executada', en: 'Data retention run' },
  delete: { pt: 'Exclusão', en: 'Deletion' },
  send_report: { pt: 'Envio de relatório por e-mail', en: 'Report e-mailed' },
  export_history: { pt: 'Exportação de histórico do titular', en: 'Contact history export' },
  anonymize: { pt: 'Anonimização', en: 'Anonymisation' },
  submit_template: { pt: 'Template enviado para aprovação', en: 'Template submitted for approval' },
  sync_templates: { pt: 'Templates sincronizados com o provedor', en: 'Templates synced with the provider' },
  opt_out: { pt: 'Contato descadastrado (opt-out)', en: 'Contact opted out' },
  start_outbound: { pt: 'Conversa ativa iniciada', en: 'Outbound conversation started' },
  create_campaign: { pt: 'Campanha criada', en: 'Campaign created' },
  pause_campaign: { pt: 'Campanha pausada', en: 'Campaign paused' },
  resume_campaign: { pt: 'Campanha retomada', en: 'Campaign resumed' },
  cancel_campaign: { pt: 'Campanha cancelada', en: 'Campaign cancelled' },
  opt_in: { pt: 'Descadastro desfeito (opt-in)', en: 'Opt-out undone' },
} as const satisfies Record<AuditAction, AuditLabel>;

export const AUDIT_ENTITY_LABELS = {
  user: { pt: 'Usuário', en: 'User' },
  team: { pt: 'Departamento', en: 'Department' },
  service: { pt: 'Serviço', en: 'Service' },
  pause_reason: { pt: 'Motivo de pausa', en: 'Pause reason' },
  classification: { pt: 'Classificação', en: 'Classification' },
  template_category: { pt: 'Categoria de template', en: 'Template category' },
  template: { pt: 'Template', en: 'Template' },
  setting: { pt: 'Parâmetro', en: 'Parameter' },
  channel_account: { pt: 'Conta de canal', en: 'Channel account' },
  session: { pt: 'Sessão', en: 'Session' },
  conversation: { pt: 'Atendimento', en: 'Conversation' },
  conversations: { pt: 'Lista de atendimentos', en: 'Conversation list' },
  analysis_agents: { pt: 'Lista de atendentes (Análise da Operação)', en: 'Agents list (Operation analysis)' },
  analysis_queue: { pt: 'Fila (Análise da Operação)', en: 'Queue (Operation analysis)' },
  analysis_outbound: { pt: 'Mensagens ativas (Análise da Operação)', en: 'Active messages (Operation analysis)' },
  indicators: { pt: 'Indicadores (Início)', en: 'Indicators (Home)' },
  charts: { pt: 'Gráficos', en: 'Charts' },
  monitorar: { pt: 'Monitorar', en: 'Monitor' },
  report: { pt: 'Relatórios', en: 'Reports' },
  retention: { pt: 'Retenção de dados (LGPD)', en: 'Data retention (LGPD)' },
  data_access: { pt: 'Acessos a dados (LGPD)', en: 'Data access (LGPD)' },
  report_schedule: { pt: 'Agendamento de relatório', en: 'Report schedule' },
  contact: { pt: 'Contato (titular)', en: 'Contact' },
  campaign: { pt: 'Campanha', en: 'Campaign' },
} as const satisfies Record<AuditEntity, AuditLabel>;


/** One language's labels, as a screen's translations take them. */
export function auditLabelsIn<K extends string>(labels: Record<K, AuditLabel>, lang: keyof AuditLabel): Record<K, string> {
  return Object.fromEntries(Object.entries<AuditLabel>(labels).map(([k, l]) => [k, l[lang]])) as Record<K, string>;
}
