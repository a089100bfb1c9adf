import { describe, expect, it } from 'vitest';
import { accountForm, CHANNEL_ACCOUNT_FORMS, checkAccountFields, emailList, fieldApplies, hasWebhook } from './channel-account-fields.js';

describe('the channel-account forms', () => {
  it('every provider: apiBaseUrl optional in config (webhook providers), no key twice, a label and a hint in both languages for each field', () => {
    for (const form of CHANNEL_ACCOUNT_FORMS) {
      const at = `${form.channel}/${form.provider}`;
      if (!form.pull) expect(form.config.find((f) => f.key === 'apiBaseUrl'), at).toMatchObject({ required: false, secret: false });
      const keys = [...form.config, ...form.credentials].map((f) => f.key);
      expect(new Set(keys).size, at).toBe(keys.length);
      expect(form.config.every((f) => !f.secret) && form.credentials.every((f) => f.secret), at).toBe(true);
      for (const f of [...form.config, ...form.credentials]) {
        for (const w of [f.label, f.hint, form.label]) expect(w.en.trim() && w.pt.trim(), `${at} ${f.key}`).toBeTruthy();
      }
    }
    expect(new Set(CHANNEL_ACCOUNT_FORMS.map((f) => `${f.channel}/${f.provider}`)).size).toBe(CHANNEL_ACCOUNT_FORMS.length);
  });

  it('a generated secret is never required (Mirante fills it)', () => {
    for (const f of CHANNEL_ACCOUNT_FORMS.flatMap((x) => x.credentials)) if (f.generated) expect(f.required, f.key).toBe(false);
  });

  it('channels with provider forms have webhooks, but a mailbox Mirante reads itself; WebChat and the API channel are not checked', () => {
    expect(['whatsapp', 'facebook', 'instagram', 'telegram', 'sms'].every(hasWebhook)).toBe(true);
    expect(['webchat', 'email', 'api'].some(hasWebhook)).toBe(false);
    expect(checkAccountFields('webchat', 'any', { anything: 1 }, {})).toEqual([]);
  });

  it('the mailbox: ports, booleans, addresses and hosts are checked, and a password or a token is needed', () => {
    const good = { imapHost: 'imap.loja.com.br', imapPort: '993', imapTls: 'true', imapUser: 'suporte@loja.com.br', smtpHost: 'smtp.loja.com.br', smtpPort: '587', smtpSecure: 'false', fromAddress: 'suporte@loja.com.br' };
    expect(checkAccountFields('email', 'imap', good, { imapPassword: 'x' })).toEqual([]);
    expect(checkAccountFields('email', 'imap', good, { imapAccessToken: 'ya29.x' })).toEqual([]);
    const bad = checkAccountFields('email', 'imap', { ...good, imapPort: '0', smtpPort: 'abc', imapTls: 'yes', fromAddress: 'suporte', imapHost: 'imaps://imap.loja.com.br:993' }, {});
    expect(bad.map((i) => i.path).sort()).toEqual(['config.fromAddress', 'config.imapHost', 'config.imapPort', 'config.imapTls', 'config.smtpPort', 'credentials.imapPassword']);
    expect(bad.find((i) => i.path === 'credentials.imapPassword')!.message.pt).toMatch(/Senha IMAP, Token de acesso OAuth2/);
  });

  it('e-mail received by SMTP: no IMAP field nor password needed; inbound is imap or smtp; the addresses are a list of e-mails', () => {
    const smtp = { inbound: 'smtp', smtpHost: 'smtp.loja.test', fromAddress: 'sac@loja.test' };
    expect(checkAccountFields('email', 'imap', smtp, {})).toEqual([]);
    expect(checkAccountFields('email', 'imap', { ...smtp, inboundAddresses: 'sac@loja.test, Outro@Loja.test' }, {})).toEqual([]);
    const paths = (c: Record<string, unknown>, cr: Record<string, unknown> = {}) => checkAccountFields('email', 'imap', c, cr).map((i) => i.path).sort();
    expect(paths({ ...smtp, inboundAddresses: 'sac@loja.test, nao-e-email' })).toEqual(['config.inboundAddresses']);
    expect(paths({ ...smtp, inbound: 'pop3' })).toEqual(['config.inbound']);
    // left empty, inbound is imap: the IMAP fields and a password or token again
    expect(paths({ smtpHost: 'smtp.loja.test', fromAddress: 'sac@loja.test' })).toEqual(['config.imapHost', 'config.imapUser', 'credentials.imapPassword']);
    const form = accountForm('email', 'imap')!;
    const host = form.config.find((f) => f.key === 'imapHost')!;
    const addresses = form.config.find((f) => f.key === 'inboundAddresses')!;
    expect([fieldApplies(form, host, {}), fieldApplies(form, host, { inbound: 'smtp' }), fieldApplies(form, addresses, { inbound: 'smtp' }), fieldApplies(form, addresses, {})]).toEqual([true, false, true, false]);
    expect(emailList(' A@x.com;b@y.com ,, ')).toEqual(['a@x.com', 'b@y.com']);
  });
});
