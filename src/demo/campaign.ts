import { randomInt } from 'node:crypto';
import type { Linked } from './provider-accounts.js';
import { chance, pick, type DemoEnv, type Person } from './people.js';
import { FIRST, LAST } from './lines.js';
import type { Session } from './session.js';

// The demo's active messages: on a fresh demo database, a small campaign on the Meta WhatsApp number
// (a billing reminder template, submitted to the sandbox, which approves it), sent to 40 customers at
// once, so Mensagens ativas has a campaign to follow live and its answers arrive as conversations.
// Some contacts answer the reminder a little later; the bot and the agents take it from there. A demo
// started again on the same data finds the campaign and leaves it as it is.

const CONTACTS = 40;
const TEMPLATE_NAME = 'Lembrete de vencimento';
const ANSWERS = ['Oi, recebi o lembrete. Posso pagar com Pix?', 'Já paguei essa fatura ontem', 'Bom dia! Preciso da segunda via', 'Qual o valor atualizado?'];

/**
 * An agent's active conversation (the desk's "Nova conversa ativa"): the campaign's reminder to a new
 * WhatsApp number, from the agent's own slot; the contact answers now and then. Mirante's no for a
 * reason an agent meets at the desk (not one of their services 404, no free slot 409) is no error.
 */
export type StartActive = (s: Session, who: string) => Promise<void>;

export async function demoCampaign(
  env: DemoEnv,
  admin: Session,
  linked: Linked[],
  contact: (waId: string, name: string) => Person | null,
): Promise<StartActive | null> {
  const meta = linked.find((l): l is Extract<Linked, { provider: 'meta-whatsapp' }> => l.provider === 'meta-whatsapp');
  if (!meta) return null;
  const service = (await admin.call<{ items: any[] }>('GET', '/api/services?active=true')).body.items.find((s) => s.name === meta.serviceName);
  const account = (await admin.call<{ items: any[] }>('GET', '/api/channel-accounts')).body.items.find((a) => a.config?.phoneNumberId === meta.phoneNumberId);
  if (!service || !account) return null;
  // a demo started again on the same data: the campaign stays as it is; the agents use its template
  if ((await admin.call<{ rows: unknown[] }>('GET', '/api/campaigns')).body.rows?.length) {
    const existing = (await admin.call<{ items?: { id: string; name: string; status: string | null }[] }>('GET', '/api/templates')).body.items?.find((t) => t.name === TEMPLATE_NAME && t.status === 'APPROVED');
    return existing ? startActive(env, service.id, existing.id, contact) : null;
  }

  const categories = (await admin.call<{ items: any[] }>('GET', '/api/template-categories')).body.items;
  const category = categories.find((c) => c.type === 'billing') ?? (await must(admin, 'POST', '/api/template-categories', { code: 900, title: 'Cobrança', type: 'billing' }));
  const template = await must(admin, 'POST', '/api/templates', {
    categoryId: category.id,
    name: TEMPLATE_NAME,
    channel: 'whatsapp',
    channelAccountId: account.id,
    providerTemplate: 'lembrete_vencimento',
    providerCategory: 'UTILITY',
    language: 'pt_BR',
    body: 'Olá {{1}}, a fatura {{2}} vence amanhã. Responda esta mensagem se precisar de ajuda.',
    examples: ['Ana', '2026-0001'],
  });
  await must(admin, 'POST', `/api/templates/${template.id}/submit`);
  for (let i = 0; ; i++) {
    const status = (await admin.call<{ status: string }>('GET', `/api/templates/${template.id}`)).body.status;
    if (status === 'APPROVED') break;
    if (i === 50 || status === 'REJECTED') throw new Error(`demo campaign: the template is ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  const people = Array.from({ length: CONTACTS }, (_, i) => ({ waId: newWaId(), name: `${pick(FIRST)} ${pick(LAST)}`, invoice: `2026-${String(1000 + i)}` }));
  const csv = ['telefone;nome;param1;param2', ...people.map((p) => `${p.waId};${p.name};${p.name.split(' ')[0]};${p.invoice}`)].join('\r\n');
  await must(admin, 'POST', '/api/campaigns', {
    name: 'Lembrete de vencimento (demonstração)',
    templateId: template.id,
    serviceId: service.id,
    csv,
    window: { from: '00:00', to: '23:59' },
  });
  env.log(`campanha "Lembrete de vencimento" enviada a ${CONTACTS} contatos do WhatsApp (Mensagens ativas)`);
  for (const p of people) {
    const person = contact(p.waId, p.name);
    // about a third answer the reminder within a few simulated minutes
    if (person && chance(0.35)) env.later(30_000 + randomInt(240_000), 'campaign contact answers', () => person.say(pick(ANSWERS)));
  }
  return startActive(env, service.id, template.id, contact);
}

function startActive(env: DemoEnv, serviceId: string, templateId: string, contact: (waId: string, name: string) => Person | null): StartActive {
  let invoice = 5000;
  return async (s, who) => {
    const waId = newWaId();
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    const r = await s.call<{ conversation: { id: string; protocol: string } }>('POST', '/api/conversations/outbound', {
      phone: `+${waId}`, serviceId, templateId, parameters: [name.split(' ')[0], `2026-${invoice++}`],
    }, {}, [404, 409]);
    if (r.status !== 201) return;
    env.log(`${who} iniciou uma conversa ativa (${r.body.conversation.protocol}) com ${name}`);
    const person = contact(waId, name);
    // about half answer the agent's reminder
    if (person && chance(0.5)) env.later(20_000 + randomInt(120_000), 'active contact answers', () => person.say(pick(ANSWERS)));
  };
}

const newWaId = () => `55119${String(70_000_000 + randomInt(9_999_999)).padStart(8, '0')}`;

async function must(s: Session, method: string, path: string, body?: unknown): Promise<any> {
  const r = await s.call(method, path, body);
  if (r.status >= 300) throw new Error(`demo campaign: ${method} ${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  return r.body;
}
