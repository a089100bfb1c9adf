import { randomBytes, randomInt } from 'node:crypto';
import type { MetaWhatsAppSandbox } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { eventually, metaWhatsAppAccount } from './provider-sandbox.js';
import { createService, createTeam, createUser, unique, type Client, type TestApp } from './test-app.js';

// A WhatsApp (Cloud API) service of one team, with its supervisor and an APPROVED two-parameter
// template, approved through the sandbox's review as in production: what a campaign needs.

const hex = () => randomBytes(5).toString('hex');

export interface CampaignWorld {
  team: { id: string };
  sup: { id: string; email: string; password: string };
  supClient: Client;
  account: { id: string };
  service: { id: string };
  template: { id: string; providerTemplate: string };
  phoneNumberId: string;
}

export async function campaignWorld(t: TestApp, admin: Client, sb: Sandbox, wa: MetaWhatsAppSandbox, opts: { messagingLimit?: string } = {}): Promise<CampaignWorld> {
  const { account, phoneNumberId } = await metaWhatsAppAccount(t.url, admin, sb, wa, { messagingLimit: opts.messagingLimit ?? 'TIER_10K' });
  const team = await createTeam(admin);
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
  const service = await createService(admin, { channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id] });
  const category = (await admin.post('/api/template-categories', { code: randomInt(1, 999_999), title: unique('Cobrança'), type: 'billing' })).body;
  const template = (await admin.post('/api/templates', {
    categoryId: category.id, name: unique('Boleto'), channelAccountId: account.id, providerTemplate: `boleto_${hex()}`, providerCategory: 'UTILITY',
    language: 'pt_BR', body: 'Olá {{1}}, o boleto {{2}} vence amanhã.', examples: ['Ana', '123'],
  })).body;
  if (!template.id) throw new Error(`fixture: template ${JSON.stringify(template)}`);
  await admin.post(`/api/templates/${template.id}/submit`);
  await eventually(async () => {
    const s = (await admin.get(`/api/templates/${template.id}`)).body.status;
    if (s !== 'APPROVED') throw new Error(`template ${s}`);
  });
  return { team, sup, supClient: await t.login(sup.email, sup.password), account, service, template, phoneNumberId };
}

/** A CSV of `n` contacts (mobiles of São Paulo from `base`), `;`-separated with a BOM, as Excel writes it. */
export function contactsCsv(n: number, base = randomInt(10_000_000, 89_000_000), extra: string[] = []): { csv: string; phones: string[] } {
  const phones = Array.from({ length: n }, (_, i) => `+55119${String(base + i).padStart(8, '0')}`);
  const lines = ['telefone;nome;param1;param2', ...phones.map((p, i) => `${p.slice(3)};Cliente ${i};Cliente ${i};B-${i}`), ...extra];
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, phones };
}
