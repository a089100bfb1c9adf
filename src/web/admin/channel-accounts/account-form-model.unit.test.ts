import { describe, expect, it } from 'vitest';
import type { ChannelAccount } from '../../../contracts/admin';
import { bodyOf, emptyValues, valuesOf, webhookAddress } from './account-form-model';

const account: ChannelAccount = {
  id: '7f1e0c2a-1111-4222-8333-444455556666', channel: 'whatsapp', name: 'WhatsApp Vendas', provider: 'meta',
  config: { phoneNumberId: '106', wabaId: '102' }, hasCredentials: true, credentialsSet: ['accessToken', 'appSecret', 'verifyToken'],
  serviceIds: [], webhookUrl: null, active: true, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('the channel-account form', () => {
  it('a create sends channel, provider and the filled fields, trimmed; an empty optional field is left out', () => {
    const v = { ...emptyValues('whatsapp/meta'), name: ' Vendas ', config: { phoneNumberId: ' 106 ', wabaId: '' }, credentials: { accessToken: 'tok', appSecret: 's', verifyToken: 'v' } };
    expect(bodyOf(v, false)).toEqual({
      channel: 'whatsapp', provider: 'meta', name: 'Vendas', active: true,
      config: { phoneNumberId: '106' }, credentials: { accessToken: 'tok', appSecret: 's', verifyToken: 'v' },
    });
  });

  it('an edit sends the whole config and only the secrets typed again (none: no credentials at all)', () => {
    const v = valuesOf(account);
    expect(v.kind).toBe('whatsapp/meta');
    expect(bodyOf(v, true)).toEqual({ name: 'WhatsApp Vendas', active: true, config: { phoneNumberId: '106', wabaId: '102' } });
    expect(bodyOf({ ...v, credentials: { accessToken: 'new', appSecret: '' } }, true)).toMatchObject({ credentials: { accessToken: 'new' } });
  });

  it('an account without a provider form is edited by name and state only: its config is not rewritten as text', () => {
    // a provider this build has no form for (a stand-in adapter's, or one a newer version wrote)
    const other = { ...account, channel: 'telegram' as const, provider: 'bridge', config: { port: 993 } };
    expect(bodyOf({ ...valuesOf(other), name: 'Caixa' }, true)).toEqual({ name: 'Caixa', active: true });
  });

  it('the webhook URL: the server\'s (PUBLIC_URL) when it has one, else the page\'s origin, flagged', () => {
    expect(webhookAddress({ ...account, webhookUrl: 'https://m.example/webhooks/whatsapp/x' }, 'http://localhost:3000')).toEqual({ url: 'https://m.example/webhooks/whatsapp/x', fromBrowser: false });
    expect(webhookAddress(account, 'http://localhost:3000/')).toEqual({ url: `http://localhost:3000/webhooks/whatsapp/${account.id}`, fromBrowser: true });
  });
});
