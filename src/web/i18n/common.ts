// Shared words of the whole app. Each area keeps its own dictionary beside its screens
// (admin/i18n.ts…), merged in i18n/index.ts, so two areas never edit one file.
export const ptBR = {
  app: { name: 'Mirante', version: 'versão {{version}}' },
  common: {
    save: 'Salvar', cancel: 'Cancelar', create: 'Criar', edit: 'Editar', close: 'Fechar', search: 'Buscar',
    active: 'Ativo', inactive: 'Inativo', yes: 'Sim', no: 'Não', actions: 'Ações', deactivate: 'Desativar',
    activate: 'Ativar', confirm: 'Confirmar', loading: 'Carregando…', empty: 'Nenhum registro encontrado',
    saved: 'Alterações salvas', created: 'Registro criado', error: 'Erro', all: 'Todos', status: 'Status',
    name: 'Nome', language: 'Idioma', logout: 'Sair', reload: 'Recarregar', clear: 'Limpar',
    showInactive: 'Mostrar inativos', required: 'Obrigatório', minutes: 'minutos', seconds: 'segundos',
    toggleVisibility: 'Mostrar ou ocultar o texto digitado',
    network: 'Sem conexão com o servidor. Verifique a rede e tente de novo.',
  },
  nav: {
    home: 'Início', desk: 'Atendimento', admin: 'Administração', users: 'Usuários', agents: 'Agentes',
    teams: 'Departamentos', services: 'Serviços', pauseReasons: 'Motivos de pausa',
    classifications: 'Classificações', templateCategories: 'Categorias de templates', templates: 'Templates de comunicação',
    settings: 'Parâmetros', audit: 'Auditoria',
    account: 'Minha conta', profile: 'Meu perfil',
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

export const en: typeof ptBR = {
  app: { name: 'Mirante', version: 'version {{version}}' },
  common: {
    save: 'Save', cancel: 'Cancel', create: 'Create', edit: 'Edit', close: 'Close', search: 'Search',
    active: 'Active', inactive: 'Inactive', yes: 'Yes', no: 'No', actions: 'Actions', deactivate: 'Deactivate',
    activate: 'Activate', confirm: 'Confirm', loading: 'Loading…', empty: 'No records found',
    saved: 'Changes saved', created: 'Record created', error: 'Error', all: 'All', status: 'Status',
    name: 'Name', language: 'Language', logout: 'Sign out', reload: 'Reload', clear: 'Clear',
    showInactive: 'Show inactive', required: 'Required', minutes: 'minutes', seconds: 'seconds',
    toggleVisibility: 'Show or hide what was typed',
    network: 'No connection to the server. Check the network and try again.',
  },
  nav: {
    home: 'Home', desk: 'Agent desk', admin: 'Administration', users: 'Users', agents: 'Agents',
    teams: 'Departments', services: 'Services', pauseReasons: 'Pause reasons',
    classifications: 'Classifications', templateCategories: 'Template categories', templates: 'Communication templates',
    settings: 'Parameters', audit: 'Audit log',
    account: 'My account', profile: 'My profile',
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
