import { createHash, createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { deliverWebhook, type SandboxContext, type SandboxProvider } from './sandbox.js';

// WhatsApp's Cloud API as the sandbox plays it (prefix /meta-whatsapp; an account's apiBaseUrl is
// `{sandbox}/meta-whatsapp/v21.0`): `POST /{v}/{phone-number-id}/messages`, `POST /{v}/{phone-number-id}/media`,
// `GET /{v}/{media-id}` → url → bytes (with the same bearer token), `GET /{v}/{phone-number-id}` (the
// number, its quality and limit). A number is `connect`ed first with its token, app secret and Mirante's
// webhook URL; the customer functions post Meta's webhook bodies, signed with X-Hub-Signature-256.
// Free text to a customer whose window is closed (never wrote, or `closeWindow`) fails with 131047.

export interface MetaNumber {
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  /** Mirante's `{PUBLIC_URL}/webhooks/whatsapp/{accountId}` */
  webhookUrl: string;
  wabaId?: string;
  displayPhoneNumber?: string;
  verifiedName?: string;
  quality?: 'GREEN' | 'YELLOW' | 'RED';
  messagingLimit?: string;
  /** receipts for each message Mirante sends: sent, delivered, read, this far apart; false: none (a test sends them) */
  autoReceipts?: false | { delayMs: number };
}

export interface SentToCustomer {
  id: string;
  phoneNumberId: string;
  to: string;
  body: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

const graphError = (reply: FastifyReply, status: number, code: number, message: string, details?: string, subcode?: number) =>
  reply.code(status).send({ error: { message, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}), fbtrace_id: 'sandbox' } });

export function createMetaWhatsApp() {
  const numbers = new Map<string, MetaNumber>();
  /** `${phoneNumberId}:${waId}` → the customer's last message (ms): the 24 h window */
  const lastInbound = new Map<string, number>();
  const sent: SentToCustomer[] = [];
  /** message id → recipient, for the receipts (a 100,000-message campaign must not scan `sent` per receipt) */
  const toOf = new Map<string, string>();
  /** the WABAs Mirante's app subscribed to */
  const subscribed = new Set<string>();
  /** message templates by Meta's id: what Mirante submitted, with the review's verdict */
  const templates = new Map<string, { wabaId: string; name: string; language: string; category: string; components: unknown; status: string; rejected_reason: string; quality: string }>();
  const review: { delayMs: number | false } = { delayMs: 200 };
  /** numbers a send to fails (a campaign's bad numbers): refused at once (`send`), or taken and then failed by a receipt (`receipt`, as Meta does for 131026) */
  const failing = new Map<string, { code: number; title: string; details?: string; when: 'send' | 'receipt' }>();
  /** numbers whose send is held unanswered until released (a node killed while the provider has the request) */
  const holds = new Map<string, { arrived: Promise<void>; arrive: () => void; release: Promise<void>; open: () => void }>();
  let templateSeq = 1_000_000;
  let ctx: SandboxContext | null = null;
  let seq = 0;

  const wamid = () => `wamid.sandbox${Date.now().toString(36)}${(++seq).toString(36)}`;
  const numberOf = (id: string) => {
    const n = numbers.get(id);
    if (!n) throw new Error(`meta-whatsapp sandbox: number ${id} is not connected`);
    return n;
  };
  const authorized = (req: FastifyRequest, n: MetaNumber) => req.headers.authorization === `Bearer ${n.accessToken}`;
  const tokenKnown = (req: FastifyRequest) => [...numbers.values()].some((n) => authorized(req, n));

  async function post(n: MetaNumber, value: Obj, field = 'messages'): Promise<{ status: number; text: string }> {
    const full = field === 'messages' ? { messaging_product: 'whatsapp', metadata: { display_phone_number: n.displayPhoneNumber ?? '5511400000000', phone_number_id: n.phoneNumberId }, ...value } : value;
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: n.wabaId ?? 'sandbox-waba', time: Math.floor(Date.now() / 1000), changes: [{ field, value: full }] }] });
    const signature = `sha256=${createHmac('sha256', n.appSecret).update(body).digest('hex')}`;
    return deliverWebhook(n.webhookUrl, body, { 'content-type': 'application/json', 'x-hub-signature-256': signature });
  }

  /**
   * Template review as Meta does it: PENDING at once, then (after `templateReview.delayMs`) APPROVED,
   * or REJECTED when the name contains "rejeitar", told by `message_template_status_update` to every
   * number of the WABA. `templateReview = false`: a test decides with `reviewTemplate`.
   */
  async function reviewTemplate(id: string, event: 'APPROVED' | 'REJECTED' | 'PAUSED' | 'DISABLED', reason = 'NONE', notify = true) {
    const tpl = templates.get(id);
    if (!tpl) throw new Error(`meta-whatsapp sandbox: no template ${id}`);
    tpl.status = event;
    tpl.rejected_reason = reason;
    if (!notify) return [];
    const value = { event, message_template_id: Number(id), message_template_name: tpl.name, message_template_language: tpl.language, reason };
    return Promise.all([...numbers.values()].filter((n) => (n.wabaId ?? 'sandbox-waba') === tpl.wabaId).map((n) => post(n, value, 'message_template_status_update')));
  }

  /** A customer's message (`message` is the item without from/id/timestamp): the window opens. */
  async function customerMessage(phoneNumberId: string, from: { waId: string; name?: string }, message: Obj) {
    const n = numberOf(phoneNumberId);
    const id = wamid();
    lastInbound.set(`${phoneNumberId}:${from.waId}`, Date.now());
    const res = await post(n, {
      contacts: [{ profile: { name: from.name ?? from.waId }, wa_id: from.waId }],
      messages: [{ from: from.waId, id, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
    });
    return { ...res, id };
  }

  async function sendReceipts(phoneNumberId: string, id: string, statuses: ('sent' | 'delivered' | 'read' | 'failed')[], error?: { code: number; title: string; details?: string }) {
    const n = numberOf(phoneNumberId);
    const to = toOf.get(id) ?? '';
    const items = statuses.map((status) => ({
      id,
      status,
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: to,
      ...(status === 'failed' && error ? { errors: [{ code: error.code, title: error.title, message: error.title, error_data: { details: error.details ?? error.title } }] } : {}),
    }));
    return post(n, { statuses: items });
  }

  function autoReceipts(n: MetaNumber, id: string) {
    if (n.autoReceipts === false) return;
    const delay = n.autoReceipts?.delayMs ?? 400;
    (['sent', 'delivered', 'read'] as const).forEach((status, i) => {
      setTimeout(() => void sendReceipts(n.phoneNumberId, id, [status]).catch(() => undefined), delay * (i + 1)).unref();
    });
  }

  const provider: SandboxProvider = {
    name: 'meta-whatsapp',
    register(scope: FastifyInstance, context: SandboxContext) {
      ctx = context;
      scope.post<{ Params: { v: string; id: string } }>('/:v/:id/messages', async (req, reply) => {
        const n = numbers.get(req.params.id);
        if (!n) return graphError(reply, 400, 100, `Unsupported post request. Object with ID '${req.params.id}' does not exist`, undefined, 33);
        if (!authorized(req, n)) return graphError(reply, 401, 190, 'Error validating access token: the session is invalid');
        const body = (req.body ?? {}) as Obj;
        if (body.messaging_product !== 'whatsapp') return graphError(reply, 400, 100, '(#100) The parameter messaging_product is required.');
        if (body.status === 'read') return { success: true };
        const to = String(body.to ?? '');
        if (!to || typeof body.type !== 'string') return graphError(reply, 400, 100, '(#100) Invalid parameter', 'to and type are required');
        const last = lastInbound.get(`${n.phoneNumberId}:${to}`);
        if (body.type !== 'template' && (last === undefined || Date.now() - last > 24 * 3600_000)) {
          return graphError(reply, 400, 131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.');
        }
        const fail = failing.get(to);
        if (fail?.when === 'send') return graphError(reply, 400, fail.code, fail.title, fail.details ?? fail.title);
        const hold = holds.get(to);
        if (hold) {
          hold.arrive();
          await hold.release;
        }
        const id = wamid();
        sent.push({ id, phoneNumberId: n.phoneNumberId, to, body });
        toOf.set(id, to);
        if (fail) setTimeout(() => void sendReceipts(n.phoneNumberId, id, ['failed'], fail).catch(() => undefined), n.autoReceipts === false ? 0 : (n.autoReceipts?.delayMs ?? 400)).unref();
        else autoReceipts(n, id);
        return { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id }] };
      });

      scope.post<{ Params: { v: string; id: string } }>('/:v/:id/media', async (req, reply) => {
        const n = numbers.get(req.params.id);
        if (!n) return graphError(reply, 400, 100, `Object with ID '${req.params.id}' does not exist`, undefined, 33);
        if (!authorized(req, n)) return graphError(reply, 401, 190, 'Error validating access token: the session is invalid');
        const form = await new Response(new Uint8Array(req.body as Buffer), { headers: { 'content-type': String(req.headers['content-type']) } }).formData().catch(() => null);
        const file = form?.get('file');
        if (!form || form.get('messaging_product') !== 'whatsapp' || !(file instanceof Blob)) return graphError(reply, 400, 100, '(#100) file and messaging_product are required');
        const id = context.newId('media');
        context.files.set(id, { data: Buffer.from(await file.arrayBuffer()), type: String(form.get('type') ?? file.type), name: file instanceof File ? file.name : undefined });
        return { id };
      });

      // a media id (its download URL) or a phone number id (the number's facts), as Graph serves both at /{id}
      scope.get<{ Params: { v: string; id: string } }>('/:v/:id', async (req, reply) => {
        const file = context.files.get(req.params.id);
        if (file) {
          if (!tokenKnown(req)) return graphError(reply, 401, 190, 'Error validating access token: the session is invalid');
          return {
            messaging_product: 'whatsapp',
            url: `${context.baseUrl()}/meta-whatsapp/_files/${req.params.id}`,
            mime_type: file.type,
            sha256: createHash('sha256').update(file.data).digest('hex'),
            file_size: file.data.length,
            id: req.params.id,
          };
        }
        const n = numbers.get(req.params.id);
        if (!n) return graphError(reply, 400, 100, `Unsupported get request. Object with ID '${req.params.id}' does not exist`, undefined, 33);
        if (!authorized(req, n)) return graphError(reply, 401, 190, 'Error validating access token: the session is invalid');
        return {
          id: n.phoneNumberId,
          display_phone_number: n.displayPhoneNumber ?? '+55 11 4000-0000',
          verified_name: n.verifiedName ?? 'Mirante Sandbox',
          quality_rating: n.quality ?? 'GREEN',
          messaging_limit_tier: n.messagingLimit ?? 'TIER_1K',
        };
      });

      // message templates of a WABA: created for review, listed with their status and quality
      scope.post<{ Params: { v: string; id: string } }>('/:v/:id/message_templates', async (req, reply) => {
        const ns = [...numbers.values()].filter((n) => n.wabaId === req.params.id);
        if (!ns.length) return graphError(reply, 400, 100, `Unsupported post request. Object with ID '${req.params.id}' does not exist`, undefined, 33);
        if (!ns.some((n) => authorized(req, n))) return graphError(reply, 401, 190, 'Error validating access token: the session is invalid');
        const b = (req.body ?? {}) as Obj;
        if (typeof b.name !== 'string' || !/^[a-z0-9_]+$/.test(b.name)) return graphError(reply, 400, 100, 'Invalid parameter', 'name: lowercase letters, digits and underscores');
        if (!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(String(b.category)) || typeof b.language !== 'string' || !Array.isArray(b.components)) return graphError(reply, 400, 100, 'Invalid parameter', 'category, language and components are required');
        const taken = [...templates.values()].some((x) => x.wabaId === req.params.id && x.name === b.name && x.language === b.language);
        if (taken) return graphError(reply, 400, 100, 'Invalid parameter', `Message template "${b.name}" already exists in ${b.language}`, 2388024);
        const id = String(++templateSeq);
        templates.set(id, { wabaId: req.params.id, name: b.name, language: b.language, category: String(b.category), components: b.components, status: 'PENDING', rejected_reason: 'NONE', quality: 'UNKNOWN' });
        if (review.delayMs !== false) {
          const verdict = b.name.includes('rejeitar') ? (['REJECTED', 'INVALID_FORMAT'] as const) : (['APPROVED', 'NONE'] as const);
          setTimeout(() => void reviewTemplate(id, verdict[0], verdict[1]).catch(() => undefined), review.delayMs).unref();
        }
        return { id, status: 'PENDING', category: b.category };
      });
      scope.get<{ Params: { v: string; id: string } }>('/:v/:id/message_templates', async (req, reply) => {
        const ns = [...numbers.values()].filter((n) => n.wabaId === req.params.id);
        if (!ns.some((n) => authorized(req, n))) return graphError(reply, 401, 190, 'Error validating access token: the session is invalid');
        const data = [...templates.entries()].filter(([, x]) => x.wabaId === req.params.id).map(([id, x]) => ({
          id, name: x.name, language: x.language, status: x.status, category: x.category, rejected_reason: x.rejected_reason, quality_score: { score: x.quality }, components: x.components,
        }));
        return { data, paging: { cursors: { before: 'b', after: 'a' } } };
      });

      // the app subscribes to a WABA's webhooks with a token of one of its numbers
      scope.post<{ Params: { v: string; id: string } }>('/:v/:id/subscribed_apps', async (req, reply) => {
        const ns = [...numbers.values()].filter((n) => n.wabaId === req.params.id);
        if (!ns.length) return graphError(reply, 400, 100, `Unsupported post request. Object with ID '${req.params.id}' does not exist`, undefined, 33);
        if (!ns.some((n) => authorized(req, n))) return graphError(reply, 401, 190, 'Error validating access token: the session is invalid');
        subscribed.add(req.params.id);
        return { success: true };
      });

      scope.get<{ Params: { id: string } }>('/_files/:id', async (req, reply) => {
        const file = context.files.get(req.params.id);
        if (!file) return reply.code(404).send({ error: 'not found' });
        if (!tokenKnown(req)) return reply.code(401).send({ error: 'unauthorized' });
        return reply.type(file.type).send(file.data);
      });
    },
  };

  return {
    provider,
    /** Messages Mirante sent, in order (the sandbox's own record, beside ctx.requests). */
    sent,
    subscribed,
    connect(n: MetaNumber) {
      numbers.set(n.phoneNumberId, n);
    },
    update(phoneNumberId: string, change: Partial<MetaNumber>) {
      numbers.set(phoneNumberId, { ...numberOf(phoneNumberId), ...change });
    },
    /** The customer wrote through another way than this sandbox (a benchmark's own webhooks): the window is open. */
    openWindow(phoneNumberId: string, waId: string) {
      lastInbound.set(`${phoneNumberId}:${waId}`, Date.now());
    },
    /** Sends to `waId` fail from now on (see `failing`). */
    failNumber(waId: string, error: { code: number; title: string; details?: string; when?: 'send' | 'receipt' }) {
      failing.set(waId, { ...error, when: error.when ?? 'receipt' });
    },
    /**
     * The next sends to `waId` get no answer until `release()`; `arrived` resolves when one came. The
     * message is recorded as sent when released (the provider had it all along).
     */
    hold(waId: string) {
      let arrive!: () => void;
      let open!: () => void;
      const h = { arrived: new Promise<void>((r) => (arrive = r)), arrive: () => arrive(), release: new Promise<void>((r) => (open = r)), open: () => open() };
      holds.set(waId, h);
      return { arrived: h.arrived, release: () => { holds.delete(waId); h.open(); } };
    },
    /** The customer's 24 h passed: free text to them fails with 131047 until they write again. */
    closeWindow(phoneNumberId: string, waId: string) {
      lastInbound.delete(`${phoneNumberId}:${waId}`);
    },
    customerSays: (phoneNumberId: string, from: { waId: string; name?: string }, text: string, replyTo?: string) =>
      customerMessage(phoneNumberId, from, { type: 'text', text: { body: text }, ...(replyTo ? { context: { from: numberOf(phoneNumberId).displayPhoneNumber ?? '', id: replyTo } } : {}) }),
    /** The customer sends a file: it is kept at the sandbox and named by a media id, as Meta does. */
    customerSendsMedia(phoneNumberId: string, from: { waId: string; name?: string }, file: { kind: 'image' | 'video' | 'audio' | 'document' | 'sticker'; data: Buffer; mimeType: string; caption?: string; filename?: string; voice?: boolean }) {
      if (!ctx) throw new Error('meta-whatsapp sandbox: not started');
      const id = ctx.newId('');
      ctx.files.set(id, { data: file.data, type: file.mimeType, name: file.filename });
      const media: Obj = { id, mime_type: file.mimeType, sha256: createHash('sha256').update(file.data).digest('base64') };
      if (file.caption) media.caption = file.caption;
      if (file.filename) media.filename = file.filename;
      if (file.voice) media.voice = true;
      return customerMessage(phoneNumberId, from, { type: file.kind, [file.kind]: media });
    },
    /** The customer taps a reply button (or a list row) of a message Mirante sent. */
    customerPicks(phoneNumberId: string, from: { waId: string; name?: string }, option: { id: string; title: string; list?: boolean; context?: string }) {
      const kind = option.list ? 'list_reply' : 'button_reply';
      return customerMessage(phoneNumberId, from, {
        type: 'interactive',
        interactive: { type: kind, [kind]: { id: option.id, title: option.title } },
        ...(option.context ? { context: { from: '', id: option.context } } : {}),
      });
    },
    customerReacts: (phoneNumberId: string, from: { waId: string; name?: string }, messageId: string, emoji: string) =>
      customerMessage(phoneNumberId, from, { type: 'reaction', reaction: { message_id: messageId, emoji } }),
    customerSendsLocation: (phoneNumberId: string, from: { waId: string; name?: string }, location: { latitude: number; longitude: number; name?: string; address?: string }) =>
      customerMessage(phoneNumberId, from, { type: 'location', location }),
    sendReceipts,
    /** what Mirante submitted, by Meta's id */
    templates,
    /** the automatic review's delay, or false (tests call reviewTemplate) */
    review,
    reviewTemplate,
  };
}

export type MetaWhatsAppSandbox = ReturnType<typeof createMetaWhatsApp>;

/** The instance `npm run sandbox` and the demo serve. */
export const metaWhatsApp = createMetaWhatsApp();
