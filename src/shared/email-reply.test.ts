import { describe, expect, it } from 'vitest';
import { defaultRecipients, emailSubject, isEmailAddress, type ParentEmail } from './email-reply.js';

const parent: ParentEmail = {
  from: { address: 'maria@cliente.test', name: 'Maria' },
  replyTo: [],
  to: [{ address: 'sac@loja.test', name: null }, { address: 'joao@cliente.test', name: null }],
  cc: [{ address: 'Ana@Cliente.test', name: null }, { address: 'maria@cliente.test', name: null }],
  subject: 'Pedido',
};

describe('an e-mail reply', () => {
  it('reply goes to the sender (its Reply-To when set); reply-all adds everyone but the mailbox and the sender; forward to nobody yet', () => {
    expect(defaultRecipients(parent, 'reply', 'sac@loja.test', null)).toEqual({ to: ['maria@cliente.test'], cc: [] });
    expect(defaultRecipients({ ...parent, replyTo: [{ address: 'respostas@cliente.test', name: null }] }, 'reply', 'sac@loja.test', null).to).toEqual(['respostas@cliente.test']);
    expect(defaultRecipients(parent, 'replyAll', 'SAC@loja.test', null)).toEqual({ to: ['maria@cliente.test'], cc: ['joao@cliente.test', 'ana@cliente.test'] });
    expect(defaultRecipients(parent, 'forward', 'sac@loja.test', null)).toEqual({ to: [], cc: [] });
    expect(defaultRecipients(null, 'reply', null, 'cliente@x.test')).toEqual({ to: ['cliente@x.test'], cc: [] });
  });

  it('the subject carries the protocol once and one Re:/Fwd:', () => {
    expect(emailSubject('20261206000001', 'Pedido', 'reply')).toBe('[#20261206000001] Re: Pedido');
    expect(emailSubject('20261206000001', 'RE: Res: [#20261206000001] Re: Pedido', 'reply')).toBe('[#20261206000001] Re: Pedido');
    expect(emailSubject('20261206000001', 'Fwd: Pedido', 'forward')).toBe('[#20261206000001] Fwd: Pedido');
    expect(emailSubject('20261206000001', null, 'reply')).toBe('[#20261206000001] Re: (sem assunto)');
  });

  it('addresses', () => {
    expect(isEmailAddress('a@b.co')).toBe(true);
    expect(['a', 'a@b', 'a b@c.d', '<a@b.c>', 'a@b.c,d@e.f'].some(isEmailAddress)).toBe(false);
  });
});
