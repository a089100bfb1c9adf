import { scheduleTones } from '../ui/sound';
import type { AlertView } from '../../contracts/alerts';
import { ApiError, call } from '../api';
import { isSilenced } from './silence';

export type { AlertView };

export interface AlertsState {
  status: 'idle' | 'loading' | 'loaded' | 'error' | 'unavailable';
  /** the day's alerts in scope, newest first */
  items: AlertView[];
  unread: number;
}

/** A short two-tone chime made with the Web Audio API (no audio files). */
class Chime {
  private ctx: AudioContext | null = null;
  private last = 0;

  /** Browsers allow sound only after a gesture: the first click anywhere wakes the audio up. */
  prime(): void {
    try {
      this.ctx ??= new AudioContext();
      if (this.ctx.state === 'suspended') void this.ctx.resume().catch(() => undefined);
    } catch {
      /* no Web Audio */
    }
  }

  play(): void {
    const now = Date.now();
    // a burst (a catch-up after a reconnect) rings once
    if (now - this.last < 2000) return;
    this.last = now;
    this.prime();
    const ctx = this.ctx;
    if (!ctx) return;
    scheduleTones(ctx, [[988, 0, 0.12], [740, 0.14, 0.22]], 'triangle', 0.3);
  }
}

const chime = new Chime();

/**
 * The supervisor's alert inbox: the day's alerts (GET /api/alerts), new ones live from the monitor
 * stream ('alert.created'), a chime unless Silenciar is on, and read marks (per person, on the server).
 */
export class AlertInbox {
  private state: AlertsState = { status: 'idle', items: [], unread: 0 };
  private readonly listeners = new Set<() => void>();
  private loading: Promise<void> | null = null;
  private onGesture = () => chime.prime();

  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  readonly getState = () => this.state;

  start(): void {
    document.addEventListener('pointerdown', this.onGesture, { once: true, capture: true });
  }

  stop(): void {
    document.removeEventListener('pointerdown', this.onGesture, { capture: true });
    this.listeners.clear();
  }

  private set(patch: Partial<AlertsState>): void {
    const next = { ...this.state, ...patch };
    next.unread = next.items.filter((a) => !a.read).length;
    this.state = next;
    for (const l of this.listeners) l();
  }

  /** The day's list, again after each (re)connection: what came while away is there. */
  load(): Promise<void> {
    if (this.loading) return this.loading;
    if (this.state.status === 'idle') this.set({ status: 'loading' });
    this.loading = call('getAlerts')
      .then((list) => {
        // alerts pushed while the list was on its way stay
        const ids = new Set(list.items.map((a) => a.id));
        const newer = this.state.items.filter((a) => !ids.has(a.id) && a.id > (list.items[0]?.id ?? 0));
        this.set({ status: 'loaded', items: [...newer, ...list.items] });
      })
      .catch((err) => this.set({ status: err instanceof ApiError && err.status === 404 ? 'unavailable' : this.state.status === 'loaded' ? 'loaded' : 'error' }))
      .finally(() => (this.loading = null));
    return this.loading;
  }

  /** The condition ended (`alert.resolved`): marked resolved, my read mark kept. */
  resolved(alert: AlertView): void {
    this.set({ items: this.state.items.map((a) => (a.id === alert.id ? { ...a, resolvedAt: alert.resolvedAt } : a)) });
  }

  /** A new alert (`alert.created`). */
  created(alert: AlertView): void {
    if (this.state.items.some((a) => a.id === alert.id)) return;
    this.set({ items: [alert, ...this.state.items].sort((a, b) => b.id - a.id) });
    if (!alert.read && !isSilenced()) chime.play();
  }

  async markRead(id: number): Promise<void> {
    this.set({ items: this.state.items.map((a) => (a.id === id ? { ...a, read: true } : a)) });
    await call('postAlertsByIdRead', { params: { id } }).catch(() => undefined);
  }

  async markAllRead(): Promise<void> {
    this.set({ items: this.state.items.map((a) => ({ ...a, read: true })) });
    await call('postAlertsReadAll').catch(() => undefined);
  }
}
