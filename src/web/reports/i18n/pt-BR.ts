// The `reports` namespace: Relatórios (seed: OmniMonitor → Relatórios) and its Agendamentos.
export const ptBR = {
  reports: {
    title: 'Relatórios',
    subtitle: 'Detalhe e resumo dos atendimentos de todos os canais',
    catalogue: 'Relatórios disponíveis',
    catalogueEmpty: 'Nenhum relatório disponível.',
    pick: 'Escolha um relatório na lista para gerá-lo.',
    filters: {
      period: 'Período', from: 'De', to: 'Até', interval: 'Intervalo', service: 'Serviço', channel: 'Canal',
      team: 'Departamento', agent: 'Agente', any: 'Todos', generate: 'Gerar', refresh: 'Atualizar',
      timezone: 'Horários no fuso da central ({{tz}}).',
    },
    presets: { today: 'Hoje', yesterday: 'Ontem', last7: 'Últimos 7 dias', thisMonth: 'Este mês', lastMonth: 'Mês passado' },
    intervals: { '15m': '15 min', '30m': '30 min', hour: 'Hora', day: 'Dia', week: 'Semana', month: 'Mês' },
    result: {
      period: '{{from}} a {{to}}', periodDay: '{{from}}', generatedAt: 'Gerado em {{at}}', total: 'Total',
      empty: 'Nenhum atendimento no período', emptyTodo: 'Escolha outro período ou remova filtros.',
      failed: 'Não foi possível gerar o relatório: {{error}}', chart: 'Gráfico do relatório {{title}}', rows_one: '{{count}} linha', rows_other: '{{count}} linhas',
      pdf: 'PDF',
    },
    schedules: {
      title: 'Agendamentos', intro: 'Relatórios enviados por e-mail, com o arquivo anexo, no período relativo escolhido.',
      create: 'Agendar', edit: 'Editar agendamento', new: 'Novo agendamento', empty: 'Nenhum agendamento.', emptyTodo: 'Use “Agendar” para receber um relatório por e-mail.',
      report: 'Relatório', period: 'Período', frequency: 'Frequência', hour: 'Hora do envio', format: 'Formato', recipients: 'Destinatários',
      recipientsHint: 'E-mails separados por vírgula ou Enter', owner: 'Criado por', nextRun: 'Próximo envio', lastRun: 'Último envio', active: 'Ativo',
      pause: 'Pausar', resume: 'Retomar', delete: 'Excluir', deleteConfirm: 'Excluir o agendamento de “{{report}}”?', never: '—', paused: 'Pausado',
      periods: { yesterday: 'Ontem', last_week: 'Semana passada', last_month: 'Mês passado' },
      frequencies: { daily: 'Diário', weekly: 'Semanal (segunda-feira)', monthly: 'Mensal (dia 1º)' },
      saved: 'Agendamento salvo', deleted: 'Agendamento excluído', failed: 'Erro: {{error}}',
      smtpMissing: 'O envio de e-mails não está configurado neste servidor (variáveis MAIL_SMTP_HOST e MAIL_FROM, a cargo do TI): os agendamentos ficam pendentes e saem assim que for configurado.',
    },
  },
};
