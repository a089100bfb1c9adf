import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { deliverWebhook, type SandboxContext, type SandboxProvider } from './sandbox.js';

// Gupshup as the sandbox plays it (prefix /gupshup; an account's apiBaseUrl is `{sandbox}/gupshup`,
// serving both the messaging API and the Partner API paths): `POST /wa/api/v1/msg` and
// `/wa/api/v1/template/msg` (forms, `apikey`), `GET /sm/api/v2/wallet/balance` (`apikey`),
// `POST /partner/app/{appId}/media`, `GET /partner/app/{appId}/wallet/balance` and `/ratings`
// (`Authorization: <app token>`). Callbacks are format v2 bodies posted to Mirante's webhook with the
// account's secret in the `Authorization` header. A session message to a customer whose window is
// closed is accepted (`submitted`) and then fails by a `failed` message-event with code 131047, as
// Gupshup does.

export interface GupshupApp {
  appName: string;
  appId: string;
  apiKey: string;
  appToken: string;
  sourceNumber: string;
  /** Mirante's `{PUBLIC_URL}/webhooks/whatsapp/{accountId}` */
  webhookUrl: string;
  webhookSecret: string;
  wallet?: { currency: string; currentBalance: number; overDraftLimit: number };
  /** the Partner API's ratings: messaging limit (Tier1K…) and the number's quality */
  ratings?: { currentLimit: string; oldLimit?: string; event?: string; quality?: 'GREEN' | 'YELLOW' | 'RED' };
  /** message-events for each message Mirante sends (enqueued, sent, delivered, read), this far apart; false: none */
  autoEvents?: false | { delayMs: number };
}

export interface GupshupSent {
  messageId: string;
  appName: string;
  destination: string;
  /** the `message` JSON, or the template */
  message: Record<string, unknown>;
  template: boolean;
}

type Obj = Record<string, unknown>;

export function createGupshup() {
  const apps = new Map<string, GupshupApp>();
  const lastInbound = new Map<string, number>();
  const sent: GupshupSent[] = [];
  let ctx: SandboxContext | null = null;
  /** templates by Gupshup's id: what Mirante applied for, with the review's verdict */
  const templates = new Map<string, { appName: string; elementName: string; languageCode: string; category: string; data: Record<string, string>; status: string; reason: string | null; quality: string }>();
  const review: { delayMs: number | false } = { delayMs: 200 };

  /**
   * Template review as Gupshup relays Meta's: `pending`, then (after `review.delayMs`) approved, or
   * rejected when the name contains "rejeitar", told by a `template-event`. false: a test decides.
   */
  function reviewTemplate(id: string, status: 'approved' | 'rejected' | 'paused' | 'disabled', reason: string | null = null, notify = true) {
    const tpl = templates.get(id);
    if (!tpl) throw new Error(`gupshup sandbox: no template ${id}`);
    tpl.status = status.toUpperCase();
    tpl.reason = reason;
    if (!notify) return Promise.resolve({ status: 0, text: '' });
    return post(appOf(tpl.appName), 'template-event', { id, type: 'status-update', elementName: tpl.elementName, languageCode: tpl.languageCode, status, ...(reason ? { rejectedReason: reason } : {}) });
  }

  const appOf = (name: string) => {
    const a = apps.get(name);
    if (!a) throw new Error(`gupshup sandbox: app ${name} is not connected`);
    return a;
  };
  const byKey = (req: FastifyRequest) => [...apps.values()].find((a) => req.headers.apikey === a.apiKey);
  const byToken = (req: FastifyRequest, appId: string) => [...apps.values()].find((a) => a.appId === appId && req.headers.authorization === a.appToken);

  const post = (a: GupshupApp, type: string, payload: Obj) =>
    deliverWebhook(a.webhookUrl, JSON.stringify({ app: a.appName, timestamp: Date.now(), version: 2, type, payload }), {
      'content-type': 'application/json',
      authorization: a.webhookSecret,
    });

  async function customerMessage(appName: string, from: { phone: string; name?: string }, type: string, payload: Obj, context?: string) {
    const a = appOf(appName);
    const id = `ABEG${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    lastInbound.set(`${appName}:${from.phone}`, Date.now());
    const res = await post(a, 'message', {
      id,
      source: from.phone,
      type,
      payload,
      sender: { phone: from.phone, name: from.name ?? from.phone, country_code: from.phone.slice(0, 2), dial_code: from.phone.slice(2) },
      ...(context ? { context: { id: '', gsId: context } } : {}),
    });
    return { ...res, id };
  }

  /** A status of a message Mirante sent (by Gupshup's id); sent/delivered/read also carry a WhatsApp id. */
  function sendEvent(appName: string, messageId: string, type: 'enqueued' | 'sent' | 'delivered' | 'read' | 'failed', failure?: { code: number; reason: string }) {
    const a = appOf(appName);
    const destination = sent.find((s) => s.messageId === messageId)?.destination ?? '';
    const dlr = type === 'sent' || type === 'delivered' || type === 'read';
    return post(a, 'message-event', {
      id: dlr ? `gBEG${messageId.replace(/-/g, '').slice(0, 20)}` : messageId,
      ...(dlr ? { gsId: messageId } : {}),
      type,
      destination,
      payload: type === 'failed' ? { code: failure?.code ?? 1002, reason: failure?.reason ?? 'failed' } : type === 'enqueued' ? { whatsappMessageId: messageId, type: 'session' } : { ts: Math.floor(Date.now() / 1000) },
    });
  }

  /** destinations a send to fails (a campaign's bad numbers): refused at once, or taken and failed by a message-event */
  const failing = new Map<string, { code: number; reason: string; when: 'send' | 'event' }>();

  function afterSend(a: GupshupApp, messageId: string, windowClosed: boolean, destination = '') {
    const fail = failing.get(destination);
    if (fail) {
      setTimeout(() => void sendEvent(a.appName, messageId, 'failed', fail).catch(() => undefined), 20).unref();
      return;
    }
    if (windowClosed) {
      setTimeout(() => void sendEvent(a.appName, messageId, 'failed', { code: 131047, reason: 'Re-engagement message' }).catch(() => undefined), 20).unref();
      return;
    }
    if (a.autoEvents === false) return;
    const delay = a.autoEvents?.delayMs ?? 400;
    (['enqueued', 'sent', 'delivered', 'read'] as const).forEach((type, i) => {
      setTimeout(() => void sendEvent(a.appName, messageId, type).catch(() => undefined), delay * (i + 1)).unref();
    });
  }

  const provider: SandboxProvider = {
    name: 'gupshup',
    register(scope: FastifyInstance, context: SandboxContext) {
      ctx = context;
      const accept = (template: boolean) => async (req: FastifyRequest) => {
        const a = byKey(req);
        const form = (req.body ?? {}) as Record<string, string>;
        if (!a) return { status: 401, body: { status: 'error', message: 'Authentication Failed' } };
        if (form['src.name'] !== a.appName || form.source !== a.sourceNumber) return { status: 400, body: { status: 'error', message: 'Invalid App Details' } };
        if (!form.destination) return { status: 400, body: { status: 'error', message: 'Invalid Destination' } };
        let message: Obj;
        try {
          message = JSON.parse(template ? form.template : form.message) as Obj;
        } catch {
          return { status: 400, body: { status: 'error', message: template ? 'Invalid template' : 'Invalid Message' } };
        }
        const fail = failing.get(form.destination);
        if (fail?.when === 'send') return { status: 400, body: { status: 'error', message: fail.reason } };
        const messageId = randomUUID();
        sent.push({ messageId, appName: a.appName, destination: form.destination, message, template });
        const last = lastInbound.get(`${a.appName}:${form.destination}`);
        afterSend(a, messageId, !template && (last === undefined || Date.now() - last > 24 * 3600_000), form.destination);
        return { status: 202, body: { status: 'submitted', messageId } };
      };
      for (const [path, template] of [['/wa/api/v1/msg', false], ['/wa/api/v1/template/msg', true]] as const) {
        scope.post(path, async (req, reply) => {
          const r = await accept(template)(req);
          return reply.code(r.status).send(r.body);
        });
      }
      scope.get('/sm/api/v2/wallet/balance', async (req, reply) => {
        const a = byKey(req);
        if (!a) return reply.code(401).send({ status: 'error', message: 'Authentication Failed' });
        return { status: 'success', balance: a.wallet?.currentBalance ?? 0 };
      });
      scope.get<{ Params: { appId: string } }>('/partner/app/:appId/wallet/balance', async (req, reply) => {
        const a = byToken(req, req.params.appId);
        if (!a) return reply.code(401).send({ status: 'error', message: 'Invalid Token' });
        return { status: 'success', walletResponse: a.wallet ?? { currency: 'USD', currentBalance: 0, overDraftLimit: 0 } };
      });
      scope.get<{ Params: { appId: string } }>('/partner/app/:appId/ratings', async (req, reply) => {
        const a = byToken(req, req.params.appId);
        if (!a) return reply.code(401).send({ status: 'error', message: 'Invalid Token' });
        const r = a.ratings ?? { currentLimit: 'Tier1K' };
        return { status: 'success', currentLimit: r.currentLimit, oldLimit: r.oldLimit ?? r.currentLimit, event: r.event ?? 'none', eventTime: Date.now(), currentQuality: r.quality ?? 'GREEN' };
      });
      scope.post<{ Params: { appId: string } }>('/partner/app/:appId/media', async (req, reply) => {
        const a = byToken(req, req.params.appId);
        if (!a) return reply.code(401).send({ status: 'error', message: 'Invalid Token' });
        const form = await new Response(new Uint8Array(req.body as Buffer), { headers: { 'content-type': String(req.headers['content-type']) } }).formData().catch(() => null);
        const file = form?.get('file');
        if (!form || !(file instanceof Blob)) return reply.code(400).send({ status: 'error', message: 'file is required' });
        const mediaId = context.newId('');
        context.files.set(mediaId, { data: Buffer.from(await file.arrayBuffer()), type: String(form.get('file_type') ?? file.type), name: file instanceof File ? file.name : undefined });
        return { status: 'success', mediaId };
      });
      // the Partner API's templates: applied for review, listed with their status
      scope.post<{ Params: { appId: string } }>('/partner/app/:appId/templates', async (req, reply) => {
        const a = byToken(req, req.params.appId);
        if (!a) return reply.code(401).send({ status: 'error', message: 'Invalid Token' });
        const form = (req.body ?? {}) as Record<string, string>;
        if (!form.elementName || !/^[a-z0-9_]+$/.test(form.elementName) || !form.content || !form.languageCode || !form.category) {
          return reply.code(400).send({ status: 'error', message: 'elementName, languageCode, category and content are required' });
        }
        if ([...templates.values()].some((x) => x.appName === a.appName && x.elementName === form.elementName && x.languageCode === form.languageCode)) {
          return reply.code(400).send({ status: 'error', message: 'Template Already exists with same namespace and elementName and languageCode' });
        }
        const id = randomUUID();
        templates.set(id, { appName: a.appName, elementName: form.elementName, languageCode: form.languageCode, category: form.category, data: form, status: 'PENDING', reason: null, quality: 'UNKNOWN' });
        if (review.delayMs !== false) {
          const rejected = form.elementName.includes('rejeitar');
          setTimeout(() => void reviewTemplate(id, rejected ? 'rejected' : 'approved', rejected ? 'The template contains a formatting error' : null).catch(() => undefined), review.delayMs).unref();
        }
        return { status: 'success', template: { id, elementName: form.elementName, languageCode: form.languageCode, category: form.category, status: 'PENDING', data: form.content } };
      });
      scope.get<{ Params: { appId: string } }>('/partner/app/:appId/templates', async (req, reply) => {
        const a = byToken(req, req.params.appId);
        if (!a) return reply.code(401).send({ status: 'error', message: 'Invalid Token' });
        const list = [...templates.entries()].filter(([, x]) => x.appName === a.appName).map(([id, x]) => ({
          id, elementName: x.elementName, languageCode: x.languageCode, category: x.category, status: x.status, reason: x.reason, quality: x.quality, data: x.data.content,
        }));
        return { status: 'success', templates: list };
      });
      // customers' files: signed public URLs at Gupshup's file manager
      scope.get<{ Params: { id: string } }>('/_files/:id', async (req, reply) => {
        const file = context.files.get(req.params.id);
        if (!file) return reply.code(404).send({ status: 'error', message: 'not found' });
        return reply.type(file.type).send(file.data);
      });
    },
  };

  return {
    provider,
    sent,
    connect(app: GupshupApp) {
      apps.set(app.appName, app);
    },
    update(appName: string, change: Partial<GupshupApp>) {
      apps.set(appName, { ...appOf(appName), ...change });
    },
    /** Sends to `phone` fail from now on: refused (`send`) or `failed` by a message-event (`event`, the default). */
    failNumber(phone: string, error: { code: number; reason: string; when?: 'send' | 'event' }) {
      failing.set(phone, { ...error, when: error.when ?? 'event' });
    },
    closeWindow(appName: string, phone: string) {
      lastInbound.delete(`${appName}:${phone}`);
    },
    customerSays: (appName: string, from: { phone: string; name?: string }, text: string, replyTo?: string) => customerMessage(appName, from, 'text', { text }, replyTo),
    customerSendsMedia(appName: string, from: { phone: string; name?: string }, file: { kind: 'image' | 'video' | 'audio' | 'file' | 'sticker'; data: Buffer; mimeType: string; caption?: string; name?: string }) {
      if (!ctx) throw new Error('gupshup sandbox: not started');
      const id = ctx.newId('');
      ctx.files.set(id, { data: file.data, type: file.mimeType, name: file.name });
      return customerMessage(appName, from, file.kind, {
        url: `${ctx.baseUrl()}/gupshup/_files/${id}`,
        contentType: file.mimeType,
        urlExpiry: Date.now() + 7 * 86_400_000,
        ...(file.caption ? { caption: file.caption } : {}),
        ...(file.name ? { name: file.name } : {}),
      });
    },
    /** The customer taps a quick-reply button (or a list row): Gupshup echoes the option's postbackText. */
    customerPicks: (appName: string, from: { phone: string; name?: string }, option: { id: string; title: string; list?: boolean }) =>
      customerMessage(appName, from, option.list ? 'list_reply' : 'button_reply', { title: option.title, id: option.id, postbackText: option.id, reply: option.title }),
    sendEvent,
    templates,
    review,
    reviewTemplate,
  };
}

export type GupshupSandbox = ReturnType<typeof createGupshup>;

/** The instance `npm run sandbox` and the demo serve. */
export const gupshup = createGupshup();
