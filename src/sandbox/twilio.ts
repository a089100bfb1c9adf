import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { deliverWebhook, type SandboxContext, type SandboxProvider } from './sandbox.js';

// Twilio's Messaging API, as the sandbox plays it: `POST /twilio/2010-04-01/Accounts/{sid}/Messages.json`
// (form, HTTP Basic) answers 201 with the message's sid and, when Mirante gave a StatusCallback,
// posts the status callbacks (sent, then delivered) to it a moment later, signed with the auth token
// the request used, as Twilio does; `GET …/Accounts/{sid}.json` (Testar conexão) and the customers'
// MMS media. A `MediaUrl` in a send is fetched before the answer, as Twilio fetches it to build the
// MMS, and what came back is recorded (`fetchedMedia`); a fetch that fails makes the status callback
// report `failed` with ErrorCode 11200 (HTTP retrieval failure). A customer acts through the functions below (an SMS, an MMS, a status). Accounts point
// `config.apiBaseUrl` at `{sandbox}/twilio`.

export interface TwilioSandboxOptions {
  /** Where a webhook URL is reached from the sandbox (a proxy in front of Mirante); default as it is. */
  deliverTo?: (url: string) => string;
  /** ms before the automatic status callbacks (sent, delivered); null: none (a test sends its own) */
  receiptDelayMs?: number | null;
}

/** The sandbox's Twilio: the auth token of each account it knows (others accept any), numbers that fail. */
export interface TwilioSandboxState {
  tokens: Map<string, string>;
  /** a To number → the error Twilio answers when Mirante sends to it (21610 opted out, 21211 invalid…) */
  refuse: Map<string, { status: number; code: number; message: string }>;
  /** a To number → the ErrorCode its status callback reports (undelivered) instead of delivered */
  undeliverable: Map<string, string>;
  receiptDelayMs: number | null;
  deliverTo: (url: string) => string;
  /** each MediaUrl Mirante sent, as the sandbox fetched it (no cookie, no auth: a public URL) */
  fetchedMedia: FetchedMedia[];
}

export interface FetchedMedia {
  messageSid: string;
  url: string;
  status: number;
  contentType: string | null;
  contentDisposition: string | null;
  cacheControl: string | null;
  data: Buffer;
}

// keyed by the files map: the one object a running sandbox and its context share
const states = new WeakMap<SandboxContext['files'], TwilioSandboxState>();

export function twilioState(ctx: SandboxContext): TwilioSandboxState {
  const s = states.get(ctx.files);
  if (!s) throw new Error('the sandbox has no twilio provider');
  return s;
}

/** Twilio's signature of a form POST (its side of what Mirante checks). */
export function signTwilio(authToken: string, url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

function credentials(req: FastifyRequest): { sid: string; token: string } | null {
  const h = String(req.headers.authorization ?? '');
  if (!h.startsWith('Basic ')) return null;
  const [sid, ...rest] = Buffer.from(h.slice(6), 'base64').toString('utf8').split(':');
  return { sid, token: rest.join(':') };
}

/** Posts a signed form to Mirante, as Twilio posts its webhooks. */
export async function postSigned(ctx: SandboxContext, url: string, authToken: string, params: Record<string, string>): Promise<{ status: number; text: string }> {
  const s = twilioState(ctx);
  return deliverWebhook(s.deliverTo(url), new URLSearchParams(params).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': signTwilio(authToken, url, params),
  });
}

export function twilioProvider(opts: TwilioSandboxOptions = {}): SandboxProvider {
  return {
    name: 'twilio',
    register(scope: FastifyInstance, ctx: SandboxContext) {
      const s: TwilioSandboxState = {
        tokens: new Map(), refuse: new Map(), undeliverable: new Map(), receiptDelayMs: opts.receiptDelayMs === undefined ? 150 : opts.receiptDelayMs,
        deliverTo: opts.deliverTo ?? ((u) => u), fetchedMedia: [],
      };
      // Twilio reads the file from the URL Mirante gave, as any client on the internet would
      const fetchMedia = async (messageSid: string, url: string): Promise<boolean> => {
        const res = await fetch(s.deliverTo(url), { redirect: 'follow', signal: AbortSignal.timeout(15_000) }).catch(() => null);
        const data = res ? Buffer.from(await res.arrayBuffer()) : Buffer.alloc(0);
        s.fetchedMedia.push({
          messageSid, url, status: res?.status ?? 0, contentType: res?.headers.get('content-type') ?? null,
          contentDisposition: res?.headers.get('content-disposition') ?? null, cacheControl: res?.headers.get('cache-control') ?? null, data,
        });
        return Boolean(res?.ok);
      };
      states.set(ctx.files, s);
      const authorized = (req: FastifyRequest, sid: string) => {
        const c = credentials(req);
        if (!c || c.sid !== sid) return null;
        const known = s.tokens.get(sid);
        return known === undefined || known === c.token ? c : null;
      };
      const unauthorized = { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 };

      scope.get('/2010-04-01/Accounts/:file', async (req, reply) => {
        const sid = (req.params as { file: string }).file.replace(/\.json$/, '');
        if (!authorized(req, sid)) return reply.code(401).send(unauthorized);
        return { sid, friendly_name: `Sandbox ${sid}`, status: 'active', type: 'Full' };
      });

      scope.get('/2010-04-01/Accounts/:sid/Messages/:mid/Media/:id', async (req, reply) => {
        const { sid, id } = req.params as { sid: string; id: string };
        if (!authorized(req, sid)) return reply.code(401).send(unauthorized);
        const file = ctx.files.get(id);
        if (!file) return reply.code(404).send({ code: 20404, message: 'The requested resource was not found', status: 404 });
        return reply.type(file.type).send(file.data);
      });

      scope.post('/2010-04-01/Accounts/:sid/Messages.json', async (req, reply) => {
        const { sid } = req.params as { sid: string };
        const c = authorized(req, sid);
        if (!c) return reply.code(401).send(unauthorized);
        // a repeated MediaUrl arrives as one value here (the sandbox's form parser keeps the last): Mirante sends one file a message
        const form = (req.body ?? {}) as Record<string, string>;
        if (!form.To || (!form.From && !form.MessagingServiceSid)) return reply.code(400).send({ code: 21604, message: "A 'To' and a 'From' phone number are required.", status: 400 });
        if (!form.Body && !form.MediaUrl) return reply.code(400).send({ code: 21602, message: 'Message body is required.', status: 400 });
        const refused = s.refuse.get(form.To);
        if (refused) return reply.code(refused.status).send({ code: refused.code, message: refused.message, more_info: `https://www.twilio.com/docs/errors/${refused.code}`, status: refused.status });
        const messageSid = ctx.newId('SM');
        const mediaOk = form.MediaUrl ? await fetchMedia(messageSid, form.MediaUrl) : true;
        const callback = form.StatusCallback;
        if (callback && s.receiptDelayMs !== null) {
          const base = { MessageSid: messageSid, SmsSid: messageSid, AccountSid: sid, From: form.From ?? '', To: form.To, ApiVersion: '2010-04-01' };
          const failCode = s.undeliverable.get(form.To);
          const steps: Record<string, string>[] = !mediaOk
            ? [{ MessageStatus: 'failed', ErrorCode: '11200' }]
            : failCode
              ? [{ MessageStatus: 'sent' }, { MessageStatus: 'undelivered', ErrorCode: failCode }]
              : [{ MessageStatus: 'sent' }, { MessageStatus: 'delivered' }];
          setTimeout(() => {
            void (async () => {
              for (const step of steps) await postSigned(ctx, callback, c.token, { ...base, ...step, SmsStatus: step.MessageStatus }).catch(() => undefined);
            })();
          }, s.receiptDelayMs);
        }
        return reply.code(201).send({
          sid: messageSid, account_sid: sid, to: form.To, from: form.From ?? null, messaging_service_sid: form.MessagingServiceSid ?? null,
          body: form.Body ?? '', status: 'queued', num_media: form.MediaUrl ? '1' : '0', num_segments: '1', direction: 'outbound-api',
          api_version: '2010-04-01', date_created: new Date().toUTCString(), error_code: null, error_message: null,
          uri: `/2010-04-01/Accounts/${sid}/Messages/${messageSid}.json`,
        });
      });
    },
  };
}

/** Mirante's SMS webhook as Twilio knows it: the URL it signs (PUBLIC_URL's), and the account's auth token. */
export interface TwilioTarget {
  url: string;
  authToken: string;
  accountSid: string;
  /** the Mirante number the customer writes to */
  to: string;
}

const inbound = (ctx: SandboxContext, t: TwilioTarget, from: string, extra: Record<string, string>) => {
  const sid = ctx.newId('SM');
  return {
    MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, AccountSid: t.accountSid, From: from, To: t.to,
    NumSegments: '1', SmsStatus: 'received', ApiVersion: '2010-04-01', FromCountry: 'BR', ToCountry: 'BR', NumMedia: '0', Body: '', ...extra,
  };
};

/** The customer sends an SMS. */
export function customerTexts(ctx: SandboxContext, t: TwilioTarget, from: string, body: string) {
  return postSigned(ctx, t.url, t.authToken, inbound(ctx, t, from, { Body: body }));
}

/** The customer sends an MMS with files (kept by the sandbox, served to Mirante with Basic auth). */
export function customerSendsMms(ctx: SandboxContext, t: TwilioTarget, from: string, body: string, files: { data: Buffer; type: string }[]) {
  const params = inbound(ctx, t, from, { Body: body, NumMedia: String(files.length) });
  files.forEach((f, i) => {
    const id = ctx.newId('ME');
    ctx.files.set(id, { data: f.data, type: f.type });
    Object.assign(params, { [`MediaUrl${i}`]: `${ctx.baseUrl()}/twilio/2010-04-01/Accounts/${t.accountSid}/Messages/${params.MessageSid}/Media/${id}`, [`MediaContentType${i}`]: f.type });
  });
  return postSigned(ctx, t.url, t.authToken, params);
}

/** A status callback for a message Mirante sent (`failed`/`undelivered` with Twilio's ErrorCode). */
export function sendStatus(ctx: SandboxContext, t: TwilioTarget, messageSid: string, status: string, errorCode?: string) {
  return postSigned(ctx, t.url, t.authToken, {
    MessageSid: messageSid, SmsSid: messageSid, AccountSid: t.accountSid, MessageStatus: status, SmsStatus: status, ApiVersion: '2010-04-01',
    ...(errorCode ? { ErrorCode: errorCode } : {}),
  });
}
