import type { TemplateStatus } from '../../contracts/admin.js';
import type { Actor } from '../../engine/actor.js';
import { loadChannelAccountById, type LoadedChannelAccount } from '../../engine/channel-accounts.js';
import type { Engine } from '../../engine/engine.js';
import { AppError } from '../../engine/errors.js';
import type { SecretKey } from '../../engine/secrets.js';
import { applyTemplateStatuses, loadProviderTemplate, recordSubmitted, templatesOfAccount, type SubmittableTemplate, type TemplateStatusUpdate } from '../../engine/templates.js';
import { writeAudit } from '../../engine/audit.js';
import { GraphError, graphCall } from '../meta/graph.js';
import { cloudAccount } from './cloud/send.js';
import { gupshupAccount, gupshupCall, GupshupError } from './gupshup/client.js';
import { reasonOf, templateStatusOf } from './common.js';

// Templates at the provider: submitted for approval ("Enviar para aprovação") and read back
// ("Sincronizar", and with the wallet on its timer). Cloud API: `POST /{waba-id}/message_templates`
// (name, language, category, components) and `GET` the same edge; Gupshup's Partner API:
// `POST /partner/app/{appId}/templates` (form) and `GET` it, with the app token.

type Obj = Record<string, unknown>;

/** The Cloud API's components of a template: header, body (with its examples), footer, buttons. */
export function cloudComponents(t: Pick<SubmittableTemplate, 'header' | 'body' | 'footer' | 'buttons' | 'examples'>): Obj[] {
  const out: Obj[] = [];
  if (t.header) out.push({ type: 'HEADER', format: 'TEXT', text: t.header });
  out.push({ type: 'BODY', text: t.body, ...(t.examples.length ? { example: { body_text: [t.examples] } } : {}) });
  if (t.footer) out.push({ type: 'FOOTER', text: t.footer });
  if (t.buttons.length) {
    out.push({
      type: 'BUTTONS',
      buttons: t.buttons.map((b) => (b.type === 'URL' ? { type: 'URL', text: b.text, url: b.url } : b.type === 'PHONE_NUMBER' ? { type: 'PHONE_NUMBER', text: b.text, phone_number: b.phoneNumber } : { type: 'QUICK_REPLY', text: b.text })),
    });
  }
  return out;
}

function refused(e: unknown): AppError {
  const message = e instanceof GraphError ? (e.details ? `${e.message}: ${e.details}` : e.message) : e instanceof GupshupError ? e.message : (e as Error).message;
  return new AppError(422, 'provider_refused', { en: `the provider refused the template: ${message}`, pt: `o provedor recusou o template: ${message}` });
}

async function submitAt(account: LoadedChannelAccount, t: SubmittableTemplate): Promise<{ providerId: string; status: TemplateStatus; reason: string | null }> {
  if (account.provider === 'gupshup') {
    const a = gupshupAccount(account);
    if (!a.appId || !a.appToken) throw new AppError(422, 'account_incomplete', { en: 'submitting templates through Gupshup needs the App Id and App Token', pt: 'enviar templates pela Gupshup exige App Id e App Token' });
    const form = new URLSearchParams({
      elementName: t.providerTemplate, languageCode: t.language, category: t.providerCategory, templateType: 'TEXT', vertical: t.name,
      content: t.body, example: t.body.replace(/\{\{\s*(\d+)\s*\}\}/g, (w, n: string) => t.examples[Number(n) - 1] ?? w), enableSample: 'true', allowTemplateCategoryChange: 'false',
    });
    if (t.header) form.set('header', t.header);
    if (t.footer) form.set('footer', t.footer);
    if (t.buttons.length) form.set('buttons', JSON.stringify(t.buttons.map((b) => (b.type === 'PHONE_NUMBER' ? { type: b.type, text: b.text, phone_number: b.phoneNumber } : b))));
    const res = await gupshupCall<{ template?: Obj }>(`${a.partner}/partner/app/${encodeURIComponent(a.appId)}/templates`, { headers: { authorization: a.appToken }, body: form });
    const id = res.template?.id;
    if (typeof id !== 'string') throw new Error('Gupshup answered without the template id');
    return { providerId: id, status: templateStatusOf(res.template?.status) ?? 'PENDING', reason: reasonOf(res.template?.reason) };
  }
  const c = cloudAccount(account);
  const wabaId = String(account.config.wabaId ?? '');
  if (!wabaId || !c.token) throw new AppError(422, 'account_incomplete', { en: 'submitting templates through the Cloud API needs the wabaId and accessToken', pt: 'enviar templates pela Cloud API exige wabaId e accessToken' });
  const res = await graphCall<{ id?: string; status?: string }>(c.base, `/${encodeURIComponent(wabaId)}/message_templates`, {
    token: c.token,
    body: { name: t.providerTemplate, language: t.language, category: t.providerCategory, components: cloudComponents(t) },
  });
  if (!res?.id) throw new Error('the Cloud API answered without the template id');
  return { providerId: String(res.id), status: templateStatusOf(res.status) ?? 'PENDING', reason: null };
}

/** "Enviar para aprovação": the template goes to its account's provider; the answer's id and status are kept. */
export async function submitTemplate(engine: Engine, key: SecretKey, actor: Actor, id: string): Promise<void> {
  const t = await loadProviderTemplate(engine.db, id);
  if (t.status === 'PENDING' || t.status === 'APPROVED') {
    throw new AppError(409, 'already_submitted', { en: `the template is ${t.status} at the provider: change it before submitting again`, pt: `o template já está ${t.status} no provedor: altere-o antes de enviar de novo` }, { status: t.status });
  }
  const account = await loadChannelAccountById(engine.db, key, t.channelAccountId);
  let r;
  try {
    r = await submitAt(account, t);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw refused(e);
  }
  await recordSubmitted(engine, actor, id, r.providerId, r.status, r.reason);
}

/** Every template of the account as the provider has it now (Cloud API pages through the edge). */
export async function readProviderTemplates(account: LoadedChannelAccount): Promise<TemplateStatusUpdate[]> {
  if (account.provider === 'gupshup') {
    const a = gupshupAccount(account);
    const res = await gupshupCall<{ templates?: Obj[] }>(`${a.partner}/partner/app/${encodeURIComponent(a.appId)}/templates`, { headers: { authorization: a.appToken } });
    return (res.templates ?? []).map((x) => ({
      providerId: typeof x.id === 'string' ? x.id : null, name: typeof x.elementName === 'string' ? x.elementName : null, language: typeof x.languageCode === 'string' ? x.languageCode : null,
      status: templateStatusOf(x.status), reason: reasonOf(x.reason ?? x.rejectedReason), quality: typeof x.quality === 'string' ? x.quality.toUpperCase() : null,
    }));
  }
  const c = cloudAccount(account);
  const out: TemplateStatusUpdate[] = [];
  let after: string | undefined;
  for (let page = 0; page < 50; page++) {
    const res = await graphCall<{ data?: Obj[]; paging?: { cursors?: { after?: string }; next?: string } }>(c.base, `/${encodeURIComponent(String(account.config.wabaId ?? ''))}/message_templates`, {
      token: c.token, query: { fields: 'id,name,language,status,category,quality_score,rejected_reason', limit: '100', ...(after ? { after } : {}) },
    });
    for (const x of res.data ?? []) {
      const q = x.quality_score as { score?: string } | undefined;
      out.push({ providerId: x.id === undefined ? null : String(x.id), name: typeof x.name === 'string' ? x.name : null, language: typeof x.language === 'string' ? x.language : null, status: templateStatusOf(x.status), reason: reasonOf(x.rejected_reason), quality: q?.score ?? null });
    }
    after = res.paging?.next ? res.paging.cursors?.after : undefined;
    if (!after) break;
  }
  return out;
}

/** Reads the account's templates at the provider and keeps their statuses; how many changed. */
export async function syncAccountTemplates(engine: Engine, account: LoadedChannelAccount): Promise<number> {
  if (!(await templatesOfAccount(engine.db, account.id)).length) return 0;
  return applyTemplateStatuses(engine, account.id, await readProviderTemplates(account));
}

/** "Sincronizar": the template's account read from the provider now (audited). */
export async function syncTemplate(engine: Engine, key: SecretKey, actor: Actor, id: string): Promise<void> {
  const t = await loadProviderTemplate(engine.db, id);
  const account = await loadChannelAccountById(engine.db, key, t.channelAccountId);
  let changed: number;
  try {
    changed = await syncAccountTemplates(engine, account);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw refused(e);
  }
  await writeAudit(engine.db, actor, { action: 'sync_templates', entity: 'template', entityId: id, after: { changed } });
}
