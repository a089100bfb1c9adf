// What the demo's people say: customers' names, first messages and answers, and the agents' lines.
// The customers answer an agent's line (and only those: the bot's own texts are answered by its menus).

export const FIRST = ['Ana', 'Beatriz', 'Carlos', 'Daniela', 'Eduardo', 'Fernanda', 'Gustavo', 'Helena', 'Igor', 'Juliana', 'Lucas', 'Mariana', 'Nicolas', 'Patrícia', 'Rafael', 'Sofia', 'Thiago', 'Vitória'];
export const LAST = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Pereira', 'Costa', 'Rodrigues', 'Almeida', 'Nascimento', 'Lima', 'Araújo', 'Ferreira'];
export const OPENERS = [
  'Olá, preciso da segunda via do meu boleto',
  'Boa tarde! Meu pedido ainda não chegou',
  'Quero cancelar minha assinatura',
  'Não consigo acessar minha conta',
  'Gostaria de saber o status do protocolo que abri ontem',
  'O aplicativo está dando erro ao pagar',
  'Vocês têm o produto em estoque?',
  'Fui cobrado duas vezes este mês',
];
export const CUSTOMER_REPLIES = ['Ok, obrigado', 'Meu CPF é 123.456.789-09', 'Pode verificar, por favor?', 'Entendi', 'Certo, aguardo', 'Isso mesmo', 'Perfeito, resolveu!'];
export const AGENT_REPLIES = [
  'Olá! Vou verificar isso para você, um instante.',
  'Pode me confirmar o CPF do titular, por favor?',
  'Encontrei aqui. Já estou resolvendo.',
  'Prontinho, a solicitação foi registrada.',
  'Enviei as informações para o seu e-mail cadastrado.',
  'Posso ajudar em algo mais?',
];

/** What an agent writes in an e-mail reply (between the greeting and the signature). */
export const EMAIL_REPLIES = [
  'Recebemos sua mensagem e já verificamos o seu caso. A solicitação foi registrada e você receberá a confirmação em até 2 dias úteis.',
  'Obrigado pelo contato. Para seguirmos, pode nos informar o número do pedido e o CPF do titular?',
  'Identificamos a cobrança em duplicidade e o estorno já foi solicitado; ele aparece na próxima fatura.',
  'Sua reclamação foi encaminhada à área responsável, que retornará por este e-mail.',
];

/** Whether a text Mirante sent a customer is one of the simulated agents' lines. */
export const isAgentLine = (text: string): boolean => AGENT_REPLIES.includes(text.trim());
