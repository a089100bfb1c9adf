import type { Channel } from './common.js';

// The fields of a channel account, per channel and provider (issue 20's table): what goes in `config`
// (non-secret, returned by the API) and in `credentials` (secret, encrypted, never returned). The
// server checks POST/PATCH /api/channel-accounts against it (engine/admin/definitions.ts) and the
// screen Administração → Canais draws its form from it (web/admin/channel-accounts/).

export interface Words {
  en: string;
  pt: string;
}

export interface AccountField {
  key: string;
  label: Words;
  hint: Words;
  required: boolean;
  secret: boolean;
  /** left empty, Mirante makes one (Telegram's secret token: only Mirante and Telegram need it) */
  generated?: boolean;
  /** what the text must be beyond text: a TCP port, `true`/`false`, an e-mail address, a host name */
  format?: 'port' | 'boolean' | 'email' | 'host' | 'emails' | 'choice';
  /** format `choice`: the values allowed */
  choices?: string[];
  /** the field belongs to one setting of another field (the IMAP fields when e-mail is read by IMAP): otherwise never required */
  when?: { key: string; value: string };
  /** the value used when the field is left empty (shown in the hint) */
  defaultValue?: string;
}

export interface ProviderForm {
  channel: Channel;
  provider: string;
  label: Words;
  config: AccountField[];
  credentials: AccountField[];
  /** the provider calls GET with hub.verify_token: the screen shows the token to paste beside the URL */
  verifyToken?: boolean;
  /** Mirante gives the provider the webhook URL itself when the account is saved (Telegram's setWebhook) */
  webhookSetByMirante?: boolean;
  /** where the admin finds these values and pastes the webhook URL */
  console: string;
  /** Mirante reads the provider itself (an IMAP mailbox): there is no webhook URL to give it */
  pull?: boolean;
  /** the credentials of which at least one is needed (a password or an OAuth2 token) */
  oneOf?: string[][];
}

const field = (key: string, required: boolean, secret: boolean, label: Words, hint: Words, generated?: boolean): AccountField => ({
  key, label, hint, required, secret, ...(generated ? { generated } : {}),
});
const config = (key: string, required: boolean, label: Words, hint: Words, format?: AccountField['format'], defaultValue?: string, choices?: string[]): AccountField => ({
  ...field(key, required, false, label, hint),
  ...(format ? { format } : {}),
  ...(defaultValue !== undefined ? { defaultValue } : {}),
  ...(choices ? { choices } : {}),
});
const secret = (key: string, required: boolean, label: Words, hint: Words, generated?: boolean) => field(key, required, true, label, hint, generated);
/** An e-mail field used only when the account reads a mailbox by IMAP (not when Mirante's SMTP listener receives). */
const imapOnly = (f: AccountField): AccountField => ({ ...f, when: { key: 'inbound', value: 'imap' } });

/** Does the field apply to these config values (its `when`, the other field's default when empty)? */
export function fieldApplies(form: Pick<ProviderForm, 'config'>, f: AccountField, config: Record<string, unknown>): boolean {
  if (!f.when) return true;
  const other = form.config.find((c) => c.key === f.when!.key);
  const raw = config[f.when.key];
  const v = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : (other?.defaultValue ?? '');
  return v === f.when.value;
}

const apiBaseUrl = (defaultUrl: string) =>
  config('apiBaseUrl', false, { en: 'API base URL', pt: 'URL base da API' }, {
    en: `leave empty for the provider's (${defaultUrl}); a provider sandbox's address for tests and the demo`,
    pt: `deixe vazio para usar a do provedor (${defaultUrl}); o endereço de um sandbox do provedor em testes e na demonstração`,
  });

const GRAPH = 'https://graph.facebook.com/v21.0';
const META_APP_SECRET = secret('appSecret', true, { en: 'App secret', pt: 'Chave secreta do app' }, {
  en: 'Meta app → App settings → Basic → App secret: checks the signature of every webhook',
  pt: 'App da Meta → Configurações do app → Básico → Chave secreta do app: confere a assinatura de cada webhook',
});
const META_VERIFY_TOKEN = secret('verifyToken', true, { en: 'Verify token', pt: 'Token de verificação' }, {
  en: 'a word of your choice, pasted also in the webhook setup of the Meta app (hub.verify_token)',
  pt: 'uma palavra de sua escolha, colada também na configuração do webhook no app da Meta (hub.verify_token)',
});
const PAGE_TOKEN = secret('pageAccessToken', true, { en: 'Page access token', pt: 'Token de acesso da página' }, {
  en: 'a long-lived Page token with pages_messaging permission',
  pt: 'um token de página de longa duração com a permissão pages_messaging',
});

export const CHANNEL_ACCOUNT_FORMS: readonly ProviderForm[] = [
  {
    channel: 'whatsapp',
    provider: 'meta',
    label: { en: 'WhatsApp Cloud API (Meta)', pt: 'WhatsApp Cloud API (Meta)' },
    console: 'https://developers.facebook.com/apps',
    verifyToken: true,
    config: [
      config('phoneNumberId', true, { en: 'Phone number ID', pt: 'ID do número de telefone' }, {
        en: 'WhatsApp → API Setup → Phone number ID (not the phone number itself)',
        pt: 'WhatsApp → Configuração da API → ID do número de telefone (não o número em si)',
      }),
      config('wabaId', false, { en: 'WhatsApp Business Account ID', pt: 'ID da conta do WhatsApp Business (WABA)' }, {
        en: 'for templates and the number\'s quality and limits',
        pt: 'para os templates e a qualidade e os limites do número',
      }),
      apiBaseUrl(GRAPH),
    ],
    credentials: [
      secret('accessToken', true, { en: 'Access token', pt: 'Token de acesso' }, {
        en: 'a system user\'s permanent token with whatsapp_business_messaging',
        pt: 'o token permanente de um usuário do sistema com whatsapp_business_messaging',
      }),
      META_APP_SECRET,
      META_VERIFY_TOKEN,
    ],
  },
  {
    channel: 'whatsapp',
    provider: 'gupshup',
    label: { en: 'WhatsApp via Gupshup', pt: 'WhatsApp via Gupshup' },
    console: 'https://www.gupshup.io/whatsapp/dashboard',
    config: [
      config('appName', true, { en: 'App name', pt: 'Nome do app' }, { en: 'the app\'s name in Gupshup (it comes in every webhook)', pt: 'o nome do app no Gupshup (vem em cada webhook)' }),
      config('appId', false, { en: 'App Id', pt: 'App Id' }, { en: 'for the WhatsApp wallet (balance, quality, limits)', pt: 'para a Carteira WhatsApp (saldo, qualidade, limites)' }),
      config('sourceNumber', true, { en: 'Source number', pt: 'Número de origem' }, { en: 'the WhatsApp number, with country code (5511999998888)', pt: 'o número do WhatsApp, com o código do país (5511999998888)' }),
      apiBaseUrl('https://api.gupshup.io'),
    ],
    credentials: [
      secret('apiKey', true, { en: 'API key', pt: 'Chave da API (apikey)' }, { en: 'Gupshup dashboard → your profile → API key', pt: 'painel do Gupshup → seu perfil → API key' }),
      secret('appToken', false, { en: 'App Token', pt: 'App Token' }, { en: 'the partner app token, for the WhatsApp wallet', pt: 'o token de parceiro do app, para a Carteira WhatsApp' }),
      secret('webhookSecret', true, { en: 'Webhook secret', pt: 'Segredo do webhook' }, {
        en: 'a word of your choice that Gupshup sends on every callback (see docs/CHANNELS.md)',
        pt: 'uma palavra de sua escolha que o Gupshup envia em cada chamada (veja docs/CHANNELS.md)',
      }),
    ],
  },
  {
    channel: 'facebook',
    provider: 'meta',
    label: { en: 'Facebook Messenger (Meta)', pt: 'Facebook Messenger (Meta)' },
    console: 'https://developers.facebook.com/apps',
    verifyToken: true,
    config: [
      config('pageId', true, { en: 'Page ID', pt: 'ID da página' }, { en: 'the Facebook Page\'s numeric id', pt: 'o id numérico da página do Facebook' }),
      apiBaseUrl(GRAPH),
    ],
    credentials: [PAGE_TOKEN, META_APP_SECRET, META_VERIFY_TOKEN],
  },
  {
    channel: 'instagram',
    provider: 'meta',
    label: { en: 'Instagram Direct (Meta)', pt: 'Instagram Direct (Meta)' },
    console: 'https://developers.facebook.com/apps',
    verifyToken: true,
    config: [
      config('igUserId', true, { en: 'Instagram account ID', pt: 'ID da conta do Instagram' }, { en: 'the professional account\'s id (IG user id)', pt: 'o id da conta profissional (IG user id)' }),
      config('pageId', false, { en: 'Linked Page ID', pt: 'ID da página vinculada' }, { en: 'the Facebook Page linked to the account, when messages go through it', pt: 'a página do Facebook vinculada à conta, quando as mensagens passam por ela' }),
      apiBaseUrl(GRAPH),
    ],
    credentials: [PAGE_TOKEN, META_APP_SECRET, META_VERIFY_TOKEN],
  },
  {
    channel: 'telegram',
    provider: 'telegram',
    label: { en: 'Telegram bot', pt: 'Bot do Telegram' },
    console: 'https://t.me/BotFather',
    webhookSetByMirante: true,
    config: [
      config('botUsername', false, { en: 'Bot username', pt: 'Nome de usuário do bot' }, { en: 'as @BotFather shows it, without the @', pt: 'como o @BotFather mostra, sem o @' }),
      apiBaseUrl('https://api.telegram.org'),
    ],
    credentials: [
      secret('botToken', true, { en: 'Bot token', pt: 'Token do bot' }, { en: '@BotFather → /token (123456:ABC…)', pt: '@BotFather → /token (123456:ABC…)' }),
      secret('secretToken', false, { en: 'Webhook secret token', pt: 'Token secreto do webhook' }, {
        en: 'leave empty: Mirante makes one and gives it to Telegram when the account is saved',
        pt: 'deixe vazio: o Mirante cria um e o entrega ao Telegram ao salvar a conta',
      }, true),
    ],
  },
  {
    channel: 'sms',
    provider: 'twilio',
    label: { en: 'SMS via Twilio', pt: 'SMS via Twilio' },
    console: 'https://console.twilio.com',
    config: [
      config('accountSid', true, { en: 'Account SID', pt: 'Account SID' }, { en: 'Twilio console → Account info (AC…)', pt: 'console da Twilio → Account info (AC…)' }),
      config('fromNumber', true, { en: 'Number', pt: 'Número' }, { en: 'the Twilio number that sends and receives, E.164 (+5511…)', pt: 'o número da Twilio que envia e recebe, em E.164 (+5511…)' }),
      apiBaseUrl('https://api.twilio.com'),
    ],
    credentials: [secret('authToken', true, { en: 'Auth token', pt: 'Auth token' }, { en: 'Twilio console → Account info → Auth token: also checks each webhook\'s signature', pt: 'console da Twilio → Account info → Auth token: também confere a assinatura de cada webhook' })],
  },
  {
    channel: 'email',
    provider: 'imap',
    label: { en: 'E-mail mailbox (IMAP + SMTP)', pt: 'Caixa de e-mail (IMAP + SMTP)' },
    console: 'https://support.google.com/mail/answer/7126229',
    pull: true,
    oneOf: [['imapPassword', 'imapAccessToken']],
    config: [
      config('inbound', false, { en: 'Receive by', pt: 'Receber por' }, { en: 'imap (default): Mirante reads the mailbox; smtp: the provider forwards by SMTP to Mirante\'s own listener (SMTP_LISTEN_PORT)', pt: 'imap (padrão): o Mirante lê a caixa; smtp: o provedor encaminha por SMTP ao servidor do próprio Mirante (SMTP_LISTEN_PORT)' }, 'choice', 'imap', ['imap', 'smtp']),
      { ...config('inboundAddresses', false, { en: 'Addresses received (SMTP)', pt: 'Endereços recebidos (SMTP)' }, { en: 'with smtp: the addresses the listener accepts for this account, comma-separated (empty: the From address)', pt: 'com smtp: os endereços que o servidor aceita para esta conta, separados por vírgula (vazio: o endereço do remetente)' }, 'emails'), when: { key: 'inbound', value: 'smtp' } },
      imapOnly(config('imapHost', true, { en: 'IMAP server', pt: 'Servidor IMAP' }, { en: 'where the mailbox is read (imap.example.com)', pt: 'onde a caixa é lida (imap.exemplo.com.br)' }, 'host')),
      imapOnly(config('imapPort', false, { en: 'IMAP port', pt: 'Porta IMAP' }, { en: 'empty: 993 with TLS, 143 without', pt: 'vazio: 993 com TLS, 143 sem' }, 'port')),
      imapOnly(config('imapTls', false, { en: 'IMAP over TLS', pt: 'IMAP com TLS' }, { en: 'Yes (default): TLS from the start (port 993); No: STARTTLS when the server offers it', pt: 'Sim (padrão): TLS desde o início (porta 993); Não: STARTTLS quando o servidor oferece' }, 'boolean', 'true')),
      imapOnly(config('imapUser', true, { en: 'IMAP user', pt: 'Usuário IMAP' }, { en: 'usually the mailbox address', pt: 'normalmente o endereço da caixa' })),
      imapOnly(config('folder', false, { en: 'Folder read', pt: 'Pasta lida' }, { en: 'the folder new e-mails arrive in (default INBOX)', pt: 'a pasta onde chegam os e-mails (padrão INBOX)' }, undefined, 'INBOX')),
      imapOnly(config('sentFolder', false, { en: 'Sent folder', pt: 'Pasta de enviados' }, { en: 'a copy of each reply is appended here (default Sent; "-": keep no copy)', pt: 'uma cópia de cada resposta é gravada aqui (padrão Sent; "-" para não gravar)' }, undefined, 'Sent')),
      config('smtpHost', true, { en: 'SMTP server', pt: 'Servidor SMTP' }, { en: 'where replies are sent (smtp.example.com)', pt: 'por onde as respostas saem (smtp.exemplo.com.br)' }, 'host'),
      config('smtpPort', false, { en: 'SMTP port', pt: 'Porta SMTP' }, { en: 'empty: 465 with TLS, 587 without', pt: 'vazio: 465 com TLS, 587 sem' }, 'port'),
      config('smtpSecure', false, { en: 'SMTP over TLS', pt: 'SMTP com TLS' }, { en: 'Yes: TLS from the start (port 465); No (default): STARTTLS when offered (port 587)', pt: 'Sim: TLS desde o início (porta 465); Não (padrão): STARTTLS quando oferecido (porta 587)' }, 'boolean', 'false'),
      config('smtpUser', false, { en: 'SMTP user', pt: 'Usuário SMTP' }, { en: 'empty: the IMAP user', pt: 'vazio: o usuário IMAP' }),
      config('fromAddress', true, { en: 'From address', pt: 'Endereço do remetente' }, { en: 'the address customers see and answer to', pt: 'o endereço que os clientes veem e respondem' }, 'email'),
      config('fromName', false, { en: 'From name', pt: 'Nome do remetente' }, { en: 'shown beside the address (Atendimento Loja)', pt: 'exibido junto ao endereço (Atendimento Loja)' }),
    ],
    credentials: [
      imapOnly(secret('imapPassword', false, { en: 'IMAP password', pt: 'Senha IMAP' }, { en: 'the mailbox password (or an app password); or give an OAuth2 token', pt: 'a senha da caixa (ou senha de app); ou informe um token OAuth2' })),
      imapOnly(secret('imapAccessToken', false, { en: 'OAuth2 access token', pt: 'Token de acesso OAuth2' }, { en: 'instead of the password (XOAUTH2: Gmail, Microsoft 365)', pt: 'em vez da senha (XOAUTH2: Gmail, Microsoft 365)' })),
      secret('smtpPassword', false, { en: 'SMTP password', pt: 'Senha SMTP' }, { en: 'empty: the IMAP password', pt: 'vazio: a senha IMAP' }),
    ],
  },
];

/** The providers of a channel (none: a channel of Mirante's own, or one whose accounts take any fields). */
export const providersOf = (channel: string): ProviderForm[] => CHANNEL_ACCOUNT_FORMS.filter((f) => f.channel === channel);

export const accountForm = (channel: string, provider: string | null | undefined): ProviderForm | undefined =>
  provider ? CHANNEL_ACCOUNT_FORMS.find((f) => f.channel === channel && f.provider === provider) : undefined;

/** Channels whose accounts a provider calls at `/webhooks/{channel}/{accountId}`. */
export const hasWebhook = (channel: string): boolean => providersOf(channel).some((f) => !f.pull);

export interface FieldIssue {
  /** `provider`, `config.phoneNumberId`, `credentials.accessToken` */
  path: string;
  message: Words;
}

const MAX_VALUE = 4096;

/**
 * What is wrong with an account's fields, against its provider's form: an unknown provider for the
 * channel, unknown keys, missing required fields, values that are not text, an apiBaseUrl that is not
 * an http(s) URL. A null provider, or a channel without providers here, is not checked (an account of
 * a channel Mirante has no form for, or a test's stand-in adapter).
 */
export function checkAccountFields(
  channel: string,
  provider: string | null | undefined,
  config: Record<string, unknown>,
  credentials: Record<string, unknown>,
): FieldIssue[] {
  const forms = providersOf(channel);
  if (!provider || !forms.length) return [];
  const form = accountForm(channel, provider);
  if (!form) {
    const known = forms.map((f) => f.provider).join(', ');
    return [{ path: 'provider', message: { en: `unknown provider "${provider}" for ${channel}; known: ${known}`, pt: `provedor "${provider}" desconhecido para ${channel}; conhecidos: ${known}` } }];
  }
  const issues: FieldIssue[] = [];
  const check = (group: 'config' | 'credentials', fields: AccountField[], values: Record<string, unknown>) => {
    const applies = (f: AccountField) => fieldApplies(form, f, config);
    const known = new Set(fields.map((f) => f.key));
    for (const key of Object.keys(values)) {
      if (!known.has(key)) {
        issues.push({ path: `${group}.${key}`, message: { en: `unknown field for ${form.provider}; known: ${[...known].join(', ')}`, pt: `campo desconhecido para ${form.provider}; conhecidos: ${[...known].join(', ')}` } });
      }
    }
    for (const f of fields) {
      const v = values[f.key];
      const empty = v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
      if (empty) {
        if (f.required && applies(f)) issues.push({ path: `${group}.${f.key}`, message: { en: `required (${f.label.en})`, pt: `obrigatório (${f.label.pt})` } });
      } else if (typeof v !== 'string') {
        issues.push({ path: `${group}.${f.key}`, message: { en: 'must be text', pt: 'deve ser um texto' } });
      } else if (v.length > MAX_VALUE) {
        issues.push({ path: `${group}.${f.key}`, message: { en: `at most ${MAX_VALUE} characters`, pt: `no máximo ${MAX_VALUE} caracteres` } });
      } else if (f.key === 'apiBaseUrl' && !isHttpUrl(v)) {
        issues.push({ path: `${group}.${f.key}`, message: { en: 'must be an http(s) URL', pt: 'deve ser uma URL http(s)' } });
      } else if (f.format) {
        const wrong = formatIssue(f.format, v.trim(), f.choices);
        if (wrong) issues.push({ path: `${group}.${f.key}`, message: wrong });
      }
    }
  };
  check('config', form.config, config);
  check('credentials', form.credentials, credentials);
  for (const keys of form.oneOf ?? []) {
    const first = form.credentials.find((f) => f.key === keys[0]);
    if (first && !fieldApplies(form, first, config)) continue;
    const given = keys.some((k) => typeof credentials[k] === 'string' && (credentials[k] as string).trim() !== '');
    if (!given) {
      const names = keys.map((k) => form.credentials.find((f) => f.key === k)!.label);
      issues.push({ path: `credentials.${keys[0]}`, message: { en: `give one of: ${names.map((n) => n.en).join(', ')}`, pt: `informe um destes: ${names.map((n) => n.pt).join(', ')}` } });
    }
  }
  return issues;
}

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

/** `a@x.com, B@y.com` → `['a@x.com', 'b@y.com']` (format `emails`). */
export const emailList = (v: string): string[] => v.split(/[,;\s]+/).map((a) => a.trim().toLowerCase()).filter(Boolean);

function formatIssue(format: NonNullable<AccountField['format']>, v: string, choices: string[] = []): Words | null {
  switch (format) {
    case 'choice':
      return choices.includes(v) ? null : { en: `must be one of: ${choices.join(', ')}`, pt: `deve ser um destes: ${choices.join(', ')}` };
    case 'emails': {
      const bad = emailList(v).find((a) => !EMAIL.test(a));
      return bad === undefined && emailList(v).length ? null : { en: `must be e-mail addresses separated by commas${bad ? ` ("${bad}" is not one)` : ''}`, pt: `deve ser uma lista de e-mails separados por vírgula${bad ? ` ("${bad}" não é um)` : ''}` };
    }
    case 'port':
      return /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? null : { en: 'must be a port number (1 to 65535)', pt: 'deve ser um número de porta (1 a 65535)' };
    case 'boolean':
      return v === 'true' || v === 'false' ? null : { en: 'must be true or false', pt: 'deve ser true ou false' };
    case 'email':
      return EMAIL.test(v) ? null : { en: 'must be an e-mail address (name@example.com)', pt: 'deve ser um endereço de e-mail (nome@exemplo.com.br)' };
    case 'host':
      return /^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(v) && v.length <= 253 ? null : { en: 'must be a host name or IP address, without scheme or port', pt: 'deve ser um nome de servidor ou IP, sem protocolo nem porta' };
  }
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
