// A ready-made flow for a Brazilian contact center: the default a new service starts from, the demo's
// flow, and the fixture of the runner tests. Transfers name no service, so they go to the flow's own.

import type { BotFlow } from './bot-flow.js';

export const SAMPLE_FLOW_PT_BR: BotFlow = {
  version: 1,
  start: 'boas_vindas',
  steps: {
    boas_vindas: {
      kind: 'message',
      text: 'Olá! Você está falando com a nossa Central de Atendimento. Seu protocolo é {{protocol}}.',
      next: 'menu_principal',
    },
    menu_principal: {
      kind: 'menu',
      text: 'Como podemos ajudar? Escolha uma opção:',
      options: [
        { id: 'financeiro', label: 'Financeiro', keywords: ['boleto', 'fatura', 'pagamento', 'segunda via'], next: 'menu_financeiro' },
        { id: 'suporte', label: 'Suporte técnico', keywords: ['suporte', 'problema', 'defeito'], next: 'transferir_suporte' },
        { id: 'horario', label: 'Horário de atendimento', keywords: ['horario', 'horarios', 'funcionamento'], next: 'resposta_horario' },
        // By the SAC decree a customer must always be able to reach a person.
        { id: 'atendente', label: 'Falar com atendente', keywords: ['atendente', 'humano', 'pessoa'], next: 'transferir_atendente' },
        { id: 'encerrar', label: 'Encerrar', keywords: ['sair', 'tchau', 'obrigado', 'obrigada'], next: 'fim' },
      ],
    },
    menu_financeiro: {
      kind: 'menu',
      text: 'Financeiro: o que você precisa?',
      options: [
        { id: 'segunda_via', label: 'Segunda via de boleto', keywords: ['boleto', 'segunda via'], next: 'pedir_cpf' },
        { id: 'outros', label: 'Outros assuntos financeiros', keywords: ['outros', 'outro'], next: 'transferir_financeiro' },
        { id: 'voltar', label: 'Voltar ao menu principal', keywords: ['voltar', 'menu'], next: 'menu_principal' },
      ],
    },
    pedir_cpf: {
      kind: 'question',
      text: 'Para localizar seus boletos, informe o CPF do titular (somente números).',
      field: 'cpf',
      retryText: 'Esse CPF não parece válido. Confira os 11 números e envie novamente.',
      maxAttempts: 3,
      next: 'transferir_boleto',
      onFail: 'cpf_nao_validado',
    },
    cpf_nao_validado: {
      kind: 'message',
      text: 'Não conseguimos validar o CPF, mas tudo bem: um atendente vai ajudar você.',
      next: 'transferir_financeiro',
    },
    transferir_boleto: {
      kind: 'transfer',
      text: 'Obrigado! Um atendente do financeiro vai enviar a segunda via do seu boleto. Aguarde um instante.',
    },
    transferir_financeiro: {
      kind: 'transfer',
      text: 'Vamos transferir você para o financeiro. Aguarde um instante.',
    },
    transferir_suporte: {
      kind: 'transfer',
      text: 'Vamos transferir você para o suporte técnico. Aguarde um instante.',
    },
    resposta_horario: {
      kind: 'answer',
      text: 'Atendemos de segunda a sexta, das 8h às 20h, e aos sábados, das 8h às 14h (horário de Brasília), exceto feriados.',
      next: 'menu_principal',
    },
    transferir_atendente: {
      kind: 'transfer',
      text: 'Certo! Vamos transferir você para um atendente. Aguarde um instante.',
    },
    fim: {
      kind: 'end',
      text: 'Obrigado pelo contato! Seu protocolo é {{protocol}}. Até logo.',
    },
  },
};
