import { scheduleTones } from '../ui/sound';
import { TitleFlash } from '../../shared/call-ringing';
import type { ConversationView } from '../../contracts/conversations';
import i18n from '../i18n';

type Tone = 'conversation' | 'whisper';

// [frequency Hz, start s, length s]: a rising two-note chime for a new conversation, one soft note
// for the supervisor chat.
const TONES: Record<Tone, [number, number, number][]> = {
  conversation: [[880, 0, 0.14], [1320, 0.16, 0.2]],
  whisper: [[660, 0, 0.12]],
};

/**
 * What the desk does to get the agent's attention: a short beep made with the Web Audio API (no
 * audio files), a browser notification when the tab is not in front, the unread count in the tab
 * title, and a warning before closing the tab with conversations open. One instance per tab.
 */
class DeskAlerts {
  private ctx: AudioContext | null = null;
  private baseTitle: string | null = null;
  private guarding = false;
  private readonly flash = new TitleFlash(document, (fn, ms) => {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  });

  /** Call from a click (Entrar): browsers allow sound, and ask for notifications, only after one. */
  prepare(): void {
    this.audio();
    if ('Notification' in window && Notification.permission === 'default') {
      void Notification.requestPermission().catch(() => undefined);
    }
  }

  private audio(): AudioContext | null {
    try {
      this.ctx ??= new AudioContext();
      if (this.ctx.state === 'suspended') void this.ctx.resume().catch(() => undefined);
      return this.ctx;
    } catch {
      return null;
    }
  }

  beep(tone: Tone): void {
    const ctx = this.audio();
    if (!ctx) return;
    scheduleTones(ctx, TONES[tone], 'sine', 0.25);
  }

  newConversation(c: ConversationView, serviceName: string | undefined, open: () => void): void {
    this.beep('conversation');
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    if (document.visibilityState === 'visible' && document.hasFocus()) return;
    try {
      const who = c.contactName || i18n.t('desk.list.unknownCustomer', { ns: 'desk' });
      const n = new Notification(i18n.t('desk.notify.title', { ns: 'desk' }), {
        body: `${who} · ${serviceName ?? i18n.t(`channels.${c.channel}`)}`,
        tag: `mirante-conversation-${c.id}`,
      });
      n.onclick = () => {
        open();
        n.close();
      };
      setTimeout(() => n.close(), 20_000);
    } catch {
      /* some browsers only allow notifications from a service worker */
    }
  }

  /**
   * A customer calls: while the tab is hidden or the window not in front, a notification (once per
   * call; a click brings the tab and the conversation forward) and the title flashing
   * "📞 Chamada de Maria". Returns the stop, for when the ring ends (answered, declined, missed).
   */
  incomingCall(callId: string, name: string, video: boolean, open: () => void): () => void {
    let shown: Notification | null = null;
    const check = () => {
      if (document.visibilityState === 'visible' && document.hasFocus()) {
        this.flash.stop();
        return;
      }
      this.flash.start(i18n.t('desk.call.titleFlash', { ns: 'desk', name }));
      if (shown || !('Notification' in window) || Notification.permission !== 'granted') return;
      try {
        shown = new Notification(i18n.t(video ? 'desk.call.incomingVideo' : 'desk.call.incomingAudio', { ns: 'desk', name }), {
          body: i18n.t('desk.call.notifyBody', { ns: 'desk' }),
          tag: `mirante-call-${callId}`,
          requireInteraction: true,
        });
        shown.onclick = () => {
          window.focus();
          open();
          shown?.close();
        };
      } catch {
        /* some browsers only allow notifications from a service worker */
      }
    };
    check();
    const events = ['visibilitychange', 'focus', 'blur'] as const;
    for (const e of events) (e === 'visibilitychange' ? document : window).addEventListener(e, check);
    return () => {
      for (const e of events) (e === 'visibilitychange' ? document : window).removeEventListener(e, check);
      this.flash.stop();
      shown?.close();
    };
  }

  /** Notifications may be asked for (never asked, or asked and dismissed): the desk offers a switch. */
  get notificationsAskable(): boolean {
    return 'Notification' in window && Notification.permission === 'default';
  }

  /** From a click on "Ativar notificações de chamada": the browser remembers the answer. */
  async askNotifications(): Promise<NotificationPermission | null> {
    if (!('Notification' in window)) return null;
    return Notification.requestPermission().catch(() => Notification.permission);
  }

  whisper(): void {
    this.beep('whisper');
  }

  /** "(2) Mirante": conversations with unread customer messages. */
  updateTitle(unread: number): void {
    this.baseTitle ??= document.title.replace(/^\(\d+\)\s*/, '');
    const want = unread > 0 ? `(${unread}) ${this.baseTitle}` : this.baseTitle;
    if (document.title !== want) document.title = want;
  }

  guardUnload(on: boolean): void {
    if (on === this.guarding) return;
    this.guarding = on;
    if (on) window.addEventListener('beforeunload', onBeforeUnload);
    else window.removeEventListener('beforeunload', onBeforeUnload);
  }
}

function onBeforeUnload(e: BeforeUnloadEvent): void {
  // closing the tab with conversations open: after the grace period they go back to the queue
  e.preventDefault();
}

export const deskAlerts = new DeskAlerts();
