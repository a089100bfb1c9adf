import { describe, expect, it } from 'vitest';
import type { Template } from '../../contracts/admin';
import { sendableTemplates } from './outbound-templates';

// Which templates the desk offers to open a conversation on a service: the server refuses the others
// (engine/conversations/template-message.ts), so the list must not offer them.
const base: Template = {
  id: 't', categoryId: 'c', name: 'x', channel: null, language: 'pt_BR', body: 'Oi {{1}}', providerTemplate: null, channelAccountId: null, providerCategory: null,
  header: null, footer: null, buttons: [], examples: [], providerId: null, status: null, statusReason: null, quality: null, statusAt: null, active: true,
  createdAt: '2026-12-06T00:00:00Z', updatedAt: '2026-12-06T00:00:00Z',
};
const tpl = (id: string, over: Partial<Template>): Template => ({ ...base, id, ...over });

describe('templates offered by Nova conversa ativa', () => {
  const list = [
    tpl('plain', {}),
    tpl('sms-only', { channel: 'sms' }),
    tpl('inactive', { active: false }),
    tpl('by-hand', { channel: 'whatsapp', providerTemplate: 'aviso' }),
    tpl('approved-a', { channel: 'whatsapp', providerTemplate: 'a', channelAccountId: 'A', status: 'APPROVED' }),
    tpl('approved-b', { channel: 'whatsapp', providerTemplate: 'b', channelAccountId: 'B', status: 'APPROVED' }),
    tpl('pending-a', { channel: 'whatsapp', providerTemplate: 'p', channelAccountId: 'A', status: 'PENDING' }),
  ];
  const ids = (s: { channel: Template['channel'] & string; channelAccountId: string | null } | null) => sendableTemplates(list, s as never).map((x) => x.id);

  it('on WhatsApp: provider templates approved (or named by hand), of the service\'s account', () => {
    expect(ids({ channel: 'whatsapp', channelAccountId: 'A' })).toEqual(['by-hand', 'approved-a']);
  });
  it('elsewhere: any active template of the channel or of any, as text', () => {
    expect(ids({ channel: 'sms', channelAccountId: null })).toEqual(['plain', 'sms-only']);
    expect(ids({ channel: 'telegram', channelAccountId: null })).toEqual(['plain']);
  });
  it('nothing before a service is chosen', () => {
    expect(ids(null)).toEqual([]);
  });
});
