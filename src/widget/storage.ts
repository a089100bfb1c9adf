// What the widget keeps in the browser, per service key: the visitor identity (so a reload or a new
// tab resumes the same conversation), the messages not yet acknowledged by the server (so nothing the
// customer typed is lost), whether the panel was open, and the unsent draft. Storage can be blocked
// (private mode, cookies off): then everything lives in memory for this page only.

import type { Attachment, VisitorIdentity } from '../contracts/webchat';

/** A message the server has not acknowledged yet; re-sent with the same clientId after a reconnect. */
export interface Pending {
  clientId: string;
  text: string;
  optionId?: string;
  /** files uploaded before: sent by id, shown from here until the server's copy arrives */
  attachments?: Attachment[];
}

const memory = new Map<string, string>();

function read(store: 'local' | 'session', key: string): string | null {
  try {
    return (store === 'local' ? localStorage : sessionStorage).getItem(key);
  } catch {
    return memory.get(`${store}:${key}`) ?? null;
  }
}

function write(store: 'local' | 'session', key: string, value: string | null): void {
  try {
    const s = store === 'local' ? localStorage : sessionStorage;
    if (value === null) s.removeItem(key);
    else s.setItem(key, value);
  } catch {
    if (value === null) memory.delete(`${store}:${key}`);
    else memory.set(`${store}:${key}`, value);
  }
}

function parse<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export class WidgetStorage {
  private readonly prefix: string;
  constructor(serviceKey: string) {
    this.prefix = `mirante-webchat:${serviceKey}`;
  }

  get identity(): VisitorIdentity | null {
    const v = parse<Partial<VisitorIdentity> | null>(read('local', this.prefix), null);
    return v && typeof v.visitorId === 'string' && typeof v.token === 'string' ? (v as VisitorIdentity) : null;
  }
  set identity(v: VisitorIdentity | null) {
    write('local', this.prefix, v && JSON.stringify(v));
  }

  get outbox(): Pending[] {
    const v = parse<Pending[]>(read('local', `${this.prefix}:outbox`), []);
    return Array.isArray(v) ? v.filter((p) => p && typeof p.clientId === 'string' && typeof p.text === 'string') : [];
  }
  set outbox(v: Pending[]) {
    write('local', `${this.prefix}:outbox`, v.length ? JSON.stringify(v) : null);
  }

  get open(): boolean {
    return read('session', `${this.prefix}:open`) === '1';
  }
  set open(v: boolean) {
    write('session', `${this.prefix}:open`, v ? '1' : null);
  }

  get draft(): string {
    return read('session', `${this.prefix}:draft`) ?? '';
  }
  set draft(v: string) {
    write('session', `${this.prefix}:draft`, v || null);
  }
}

/** A random id for a message, unique enough across reloads and tabs. */
export function newClientId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** The messages the server has not acknowledged, oldest first, kept in storage as they change. */
export class Outbox {
  private items: Pending[];
  constructor(private readonly store: WidgetStorage) {
    this.items = store.outbox;
  }

  get all(): readonly Pending[] {
    return this.items;
  }

  add(p: Pending): void {
    this.items = [...this.items, p];
    this.store.outbox = this.items;
  }

  drop(clientId: string): void {
    const kept = this.items.filter((p) => p.clientId !== clientId);
    if (kept.length === this.items.length) return;
    this.items = kept;
    this.store.outbox = kept;
  }
}
