import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { deliverWebhook, type SandboxContext, type SandboxProvider } from './sandbox.js';

// Meta's Messenger Platform as the sandbox plays it, for Facebook Messenger and Instagram Direct:
// the Send API (`POST /{version}/{page-id|me}/messages`, JSON or multipart with `filedata`), the
// profile and node reads (`GET /{version}/{id}`), the Page subscription, a CDN for customers'
// files, and the webhooks a customer's action makes (signed with the app secret, X-Hub-Signature-256
// and the legacy X-Hub-Signature), with the receipts Meta sends for what Mirante sent: Messenger a
// delivery (mids) then a read (watermark), Instagram only a read naming the message.
// An account points at it with config.apiBaseUrl = `{sandbox}/meta-messenger/v21.0`. By hand:
// POST /meta-messenger/_control/pages (a MessengerPage), POST /_control/says {pageId, customer, text},
// GET /_control/sent.

export interface MessengerPage {
  channel: 'facebook' | 'instagram';
  pageId: string;
  /** Instagram: the professional account's id (the webhook's entry id and recipient) */
  igUserId?: string;
  pageAccessToken: string;
  appSecret: string;
  /** Mirante's webhook for the account: {PUBLIC_URL}/webhooks/{channel}/{accountId} */
  webhookUrl: string;
  name?: string;
}

export interface MessengerCustomer {
  /** PSID (Messenger) or IGSID (Instagram) */
  id: string;
  name: string;
  username?: string;
}

/** A message Mirante sent through the sandbox. */
export interface MessengerSent {
  mid: string;
  page: MessengerPage;
  recipient: string;
  messagingType: string | null;
  tag: string | null;
  message: Record<string, unknown>;
  file?: { name: string; type: string; size: number };
}

type Obj = Record<string, unknown>;

const graphError = (reply: FastifyReply, status: number, code: number, message: string, subcode?: number) =>
  reply.code(status).send({ error: { message, type: code === 190 ? 'OAuthException' : 'GraphMethodException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'sandbox' } });

export class MetaMessengerSandbox implements SandboxProvider {
  readonly name = 'meta-messenger';
  /** Meta's receipts for each message Mirante sends, after these delays; null: none (a test sends its own) */
  receipts: { deliveredMs: number; readMs: number } | null = { deliveredMs: 150, readMs: 600 };
  /** customers Graph refuses to message (the window closed on Meta's side): code 10 / 2018278 */
  readonly closedWindows = new Set<string>();
  readonly sent: MessengerSent[] = [];
  private ctx: SandboxContext | null = null;
  private readonly pages: MessengerPage[] = [];
  private readonly customers = new Map<string, MessengerCustomer>();
  private readonly timers = new Set<NodeJS.Timeout>();

  register(scope: FastifyInstance, ctx: SandboxContext): void {
    this.ctx = ctx;
    scope.post('/:version/:node/messages', (req, reply) => this.sendApi(req, reply));
    scope.post('/:version/:node/subscribed_apps', (req, reply) => {
      if (!this.pageOf(req, (req.params as { node: string }).node)) return graphError(reply, 400, 190, 'Invalid OAuth access token.');
      return { success: true };
    });
    scope.get('/:version/:id', (req, reply) => this.node(req, reply));
    // by hand (npm run sandbox): connect a page, make a customer write, see what Mirante sent
    scope.post('/_control/pages', (req) => this.connect(req.body as MessengerPage));
    scope.post('/_control/says', async (req, reply) => {
      const b = (req.body ?? {}) as { pageId?: string; customer?: MessengerCustomer; text?: string };
      const page = this.pages.find((p) => p.pageId === b.pageId);
      if (!page || !b.customer?.id || !b.text) return reply.code(400).send({ error: 'pageId (connected), customer {id, name} and text are required' });
      this.addCustomer(b.customer);
      return this.customerSays(page, b.customer, b.text);
    });
    scope.get('/_control/sent', async () => this.sent.map(({ page, ...s }) => ({ ...s, pageId: page.pageId })));
    scope.get('/cdn/:file', (req, reply) => {
      const f = ctx.files.get((req.params as { file: string }).file);
      if (!f) return reply.code(404).send('not found');
      return reply.type(f.type).send(f.data);
    });
  }

  /** Mirante's account, as Meta knows it: its page (and Instagram account), token and app secret. */
  connect(page: MessengerPage): MessengerPage {
    this.pages.push(page);
    return page;
  }

  addCustomer(c: MessengerCustomer): MessengerCustomer {
    this.customers.set(c.id, c);
    return c;
  }

  /** Stops the receipts still due (the app they would go to is closing). */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private base(): string {
    if (!this.ctx) throw new Error('the meta-messenger sandbox is not started');
    return `${this.ctx.baseUrl()}/${this.name}`;
  }

  private pageOf(req: FastifyRequest, node: string): MessengerPage | undefined {
    const auth = req.headers.authorization;
    const token = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : (req.query as Obj).access_token;
    return this.pages.find((p) => p.pageAccessToken === token && (node === 'me' || node === p.pageId || node === p.igUserId));
  }

  private async sendApi(req: FastifyRequest, reply: FastifyReply) {
    const page = this.pageOf(req, (req.params as { node: string }).node);
    if (!page) return graphError(reply, 400, 190, 'Invalid OAuth access token - Cannot parse access token');
    let body: Obj;
    let file: MessengerSent['file'];
    if (Buffer.isBuffer(req.body) && String(req.headers['content-type']).startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
      body = {};
      for (const [k, v] of form.entries()) {
        if (typeof v === 'string') body[k] = k === 'recipient' || k === 'message' ? JSON.parse(v) : v;
        else {
          const data = Buffer.from(await v.arrayBuffer());
          file = { name: v.name, type: v.type, size: data.length };
          this.ctx!.files.set(this.ctx!.newId('upload_'), { data, type: v.type, name: v.name });
        }
      }
    } else {
      body = (req.body ?? {}) as Obj;
    }
    const recipient = String((body.recipient as Obj | undefined)?.id ?? '');
    const message = (body.message ?? {}) as Obj;
    if (!recipient) return graphError(reply, 400, 100, '(#100) The parameter recipient is required');
    if (!body.message && !body.sender_action) return graphError(reply, 400, 100, '(#100) Must send either message or state');
    if (this.closedWindows.has(recipient)) {
      return graphError(reply, 400, 10, '(#10) This message is sent outside of allowed window.', 2018278);
    }
    const attachment = message.attachment as Obj | undefined;
    if (attachment && !file && !(attachment.payload as Obj | undefined)?.url && !(attachment.payload as Obj | undefined)?.attachment_id) {
      return graphError(reply, 400, 100, '(#100) Upload attachment failure.');
    }
    const mid = this.ctx!.newId(page.channel === 'instagram' ? 'aWdfZAG1f' : 'm_');
    this.sent.push({ mid, page, recipient, messagingType: (body.messaging_type as string) ?? null, tag: (body.tag as string) ?? null, message, file });
    this.scheduleReceipts(page, recipient, mid);
    return { recipient_id: recipient, message_id: mid };
  }

  private node(req: FastifyRequest, reply: FastifyReply) {
    const id = (req.params as { id: string }).id;
    const page = this.pageOf(req, 'me');
    if (!page) return graphError(reply, 400, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (id === page.pageId || id === 'me') return { id: page.pageId, name: page.name ?? `Página ${page.pageId}` };
    if (id === page.igUserId) return { id, username: page.name ?? `conta_${id}` };
    const c = this.customers.get(id);
    if (c) return page.channel === 'instagram' ? { id, name: c.name, username: c.username ?? null } : { id, name: c.name, first_name: c.name.split(' ')[0] };
    return graphError(reply, 400, 100, `(#100) Unsupported get request. Object with ID '${id}' does not exist`);
  }

  private scheduleReceipts(page: MessengerPage, customer: string, mid: string) {
    const r = this.receipts;
    if (!r) return;
    const later = (ms: number, f: () => Promise<unknown>) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        f().catch(() => undefined);
      }, ms);
      t.unref();
      this.timers.add(t);
    };
    if (page.channel === 'facebook') later(r.deliveredMs, () => this.sendReceipts(page, customer, 'delivered', { mids: [mid] }));
    later(r.readMs, () => this.sendReceipts(page, customer, 'read', page.channel === 'instagram' ? { mid } : {}));
  }

  // --- what a customer does -------------------------------------------------------------------

  /** Signs a body with the page's app secret and posts it to Mirante's webhook, as Meta does. */
  async deliver(page: MessengerPage, body: unknown): Promise<{ status: number; text: string }> {
    const raw = JSON.stringify(body);
    return deliverWebhook(page.webhookUrl, raw, {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', page.appSecret).update(raw).digest('hex')}`,
      'x-hub-signature': `sha1=${createHmac('sha1', page.appSecret).update(raw).digest('hex')}`,
    });
  }

  /** The webhook body of one event of a customer, as Meta wraps it for the page or the Instagram account. */
  envelope(page: MessengerPage, event: Obj, at = Date.now()) {
    const own = page.channel === 'instagram' ? (page.igUserId ?? page.pageId) : page.pageId;
    return { object: page.channel === 'instagram' ? 'instagram' : 'page', entry: [{ id: own, time: at, messaging: [{ recipient: { id: own }, timestamp: at, ...event }] }] };
  }

  private customerEvent(page: MessengerPage, customer: MessengerCustomer | string, event: Obj) {
    const id = typeof customer === 'string' ? customer : customer.id;
    return this.deliver(page, this.envelope(page, { sender: { id }, ...event }));
  }

  private newMid(page: MessengerPage) {
    return this.ctx ? this.ctx.newId(page.channel === 'instagram' ? 'aWdfZAG1f' : 'm_') : `m_${Date.now()}`;
  }

  async customerSays(page: MessengerPage, customer: MessengerCustomer | string, text: string, opts: { replyTo?: string } = {}) {
    const mid = this.newMid(page);
    const res = await this.customerEvent(page, customer, { message: { mid, text, ...(opts.replyTo ? { reply_to: { mid: opts.replyTo } } : {}) } });
    return { ...res, mid };
  }

  /** A file the customer sends: kept by the sandbox's CDN, named in the webhook by its URL. */
  async customerSendsFile(page: MessengerPage, customer: MessengerCustomer | string, file: { data: Buffer; type: string; name?: string }, kind: 'image' | 'video' | 'audio' | 'file' = 'image') {
    const fileId = this.ctx!.newId('cdn_');
    this.ctx!.files.set(fileId, file);
    const mid = this.newMid(page);
    const url = `${this.base()}/cdn/${fileId}`;
    const res = await this.customerEvent(page, customer, { message: { mid, attachments: [{ type: kind, payload: { url } }] } });
    return { ...res, mid, url };
  }

  /** The customer taps a quick reply Mirante drew: its title, and the payload Mirante put in it. */
  async customerPicks(page: MessengerPage, customer: MessengerCustomer | string, quickReply: { title: string; payload: string }) {
    const mid = this.newMid(page);
    const res = await this.customerEvent(page, customer, { message: { mid, text: quickReply.title, quick_reply: { payload: quickReply.payload } } });
    return { ...res, mid };
  }

  async customerReacts(page: MessengerPage, customer: MessengerCustomer | string, targetMid: string, emoji: string, action: 'react' | 'unreact' = 'react') {
    return this.customerEvent(page, customer, { reaction: { mid: targetMid, action, emoji, reaction: 'love' } });
  }

  /** Instagram's unsend. */
  async customerUnsends(page: MessengerPage, customer: MessengerCustomer | string, mid: string) {
    return this.customerEvent(page, customer, { message: { mid, is_deleted: true } });
  }

  /**
   * Meta's receipts for what the page sent: Messenger's delivery names the messages (`mids`) and
   * its read a watermark (now); Instagram's read names the message (`mid`).
   */
  async sendReceipts(page: MessengerPage, customer: MessengerCustomer | string, status: 'delivered' | 'read', opts: { mids?: string[]; mid?: string; watermark?: number } = {}) {
    const watermark = opts.watermark ?? Date.now();
    const event = status === 'delivered' ? { delivery: { ...(opts.mids ? { mids: opts.mids } : {}), watermark } } : { read: opts.mid ? { mid: opts.mid } : { watermark } };
    return this.customerEvent(page, customer, event);
  }
}

/** The sandbox's own instance (npm run sandbox, the demo); tests start theirs. */
export const metaMessenger = new MetaMessengerSandbox();
