// The `common` namespace, the default and the fallback of every other: words the whole app shares
// (buttons, navigation, sign-in, roles, channels). Each feature keeps its own namespace beside its
// screens (admin/i18n/, desk/i18n/, monitor/i18n/).
export const ptBR = {
  app: { name: 'Mirante', version: 'versão {{version}}' },
  common: {
    save: 'Salvar', cancel: 'Cancelar', create: 'Criar', edit: 'Editar', close: 'Fechar', search: 'Buscar',
    active: 'Ativo', inactive: 'Inativo', yes: 'Sim', no: 'Não', actions: 'Ações', deactivate: 'Desativar',
    activate: 'Ativar', confirm: 'Confirmar', loading: 'Carregando…', empty: 'Nenhum registro encontrado', emptyYet: 'Nada cadastrado aqui ainda.', emptyCreate: 'Use “Criar”, no alto à direita, para adicionar o primeiro.', emptyInactive: 'Os inativos aparecem com “Mostrar inativos”.', noMatch: 'Nenhum registro corresponde a “{{q}}”.', clearSearch: 'Limpar busca',
    saved: 'Alterações salvas', created: 'Registro criado', error: 'Erro', all: 'Todos', status: 'Status',
    name: 'Nome', language: 'Idioma', logout: 'Sair', reload: 'Recarregar', clear: 'Limpar',
    showInactive: 'Mostrar inativos', required: 'Obrigatório', minutes: 'minutos', seconds: 'segundos',
    toggleVisibility: 'Mostrar ou ocultar o texto digitado',
    network: 'Sem conexão com o servidor. Verifique a rede e tente de novo.',
  },
  nav: {
    home: 'Início', monitorar: 'Monitorar', desk: 'Atendimento', admin: 'Administração', users: 'Usuários', agents: 'Agentes',
    teams: 'Departamentos', services: 'Serviços', channelAccounts: 'Canais', pauseReasons: 'Motivos de pausa',
    classifications: 'Classificações', templateCategories: 'Categorias de templates', templates: 'Templates de comunicação',
    settings: 'Parâmetros', audit: 'Auditoria', lgpd: 'LGPD', dataAccess: 'Acessos a dados', titulares: 'Titulares',
    consultas: 'Consultas', analysis: 'Análise da Operação', history: 'Histórico',
    reports: 'Relatórios', analysisAgents: 'Atendentes', analysisQueue: 'Fila', analysisOutbound: 'Mensagens ativas', analysisCharts: 'Gráficos',
    account: 'Minha conta', profile: 'Meu perfil',
    filter: 'Filtro', filterEmail: 'E-mail', filterEmailPending_one: '{{count}} e-mail pendente no filtro', filterEmailPending_other: '{{count}} e-mails pendentes no filtro',
  },
  login: {
    title: 'Entrar no Mirante', email: 'E-mail', password: 'Senha', submit: 'Entrar',
    invalid: 'E-mail ou senha incorretos', throttled: 'Muitas tentativas. Aguarde alguns minutos e tente de novo.',
    subtitle: 'Central de atendimento omnichannel',
  },
  roles: { admin: 'Administrador', supervisor: 'Supervisor', agent: 'Agente' },
  channels: {
    webchat: 'WebChat', email: 'E-mail', whatsapp: 'WhatsApp', instagram: 'Instagram Direct',
    facebook: 'Facebook Messenger', telegram: 'Telegram', sms: 'SMS', api: 'API',
  },
  home: { welcome: 'Olá, {{name}}', intro: 'Use o menu lateral para administrar a operação.' },
};
