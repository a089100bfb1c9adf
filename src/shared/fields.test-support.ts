import type { FieldKind } from './fields.js';

/** A valid answer for each field kind, as a customer might type it. */
export const VALID_ANSWERS: Readonly<Record<FieldKind, string>> = {
  name: 'Maria da Silva',
  cpf: '529.982.247-25',
  email: 'Maria@Example.com.br',
  phone: '(11) 98765-4321',
  order_number: '#pd-12345',
  text: 'minha dúvida é sobre a entrega',
};
