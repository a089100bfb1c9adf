import type { CallClientMessage, CallServerMessage, CallView, IceServer } from '../../contracts/calls.js';
import type { EphemeralMessage } from '../../engine/bus.js';
import { acceptCall, checkSignal, declineCall, dropCalls, failCall, hangupCall, startCall, switchMedia, type CallSide } from '../../engine/calls/commands.js';
import { iceServersFor, type IceConfig } from '../../engine/calls/ice.js';
import { AppError } from '../../engine/errors.js';
import type { Runtime } from '../../engine/runtime.js';

/** Call messages a socket may send: a burst of this many (an offer's ICE candidates come in a rush)… */
const BURST = 120;
/** …refilled at this many a second. Beyond, messages are dropped (one call_error says so). */
const PER_SECOND = 40;

const FINAL = new Set<CallView['state']>(['ended', 'missed', 'declined', 'failed']);

/** What one socket keeps for its calls: the calls it took part in (failed when it closes) and its rate bucket. */
export interface CallSocketState {
  held: Set<string>;
  tokens: number;
  refilledAt: number;
  limited: boolean;
  /** a socket's call messages run in order: an offer is relayed before the candidates that follow it */
  chain: Promise<void>;
}
export const newCallSocketState = (): CallSocketState => ({ held: new Set(), tokens: BURST, refilledAt: Date.now(), limited: false, chain: Promise.resolve() });

/** Who sends, as the relay needs it: the side, and for the customer the widget's conversation. */
export type CallSender = (CallSide & { side: 'agent' }) | (CallSide & { side: 'customer'; conversationId: string | null });

const CODES: Record<number, 'not_found' | 'conflict' | 'forbidden' | 'invalid'> = { 404: 'not_found', 409: 'conflict', 403: 'forbidden' };

/**
 * The call relay shared by the desk's and the widget's sockets. State changes are commands (stored,
 * raised as call.updated, so every node's sockets hear them from the projection); signals and media
 * switches are ephemeral (the bus carries them to whichever node holds the other side). A signal is
 * relayed only for a live call of the sender's own; the check is read once per call and node, then
 * kept from the call.updated stream, so a flood of candidates does not reach the database.
 */
export class CallRelay {
  /** live calls this node knows (from call.updated), for the signal check */
  private readonly live = new Map<string, CallView>();
  private readonly callListeners = new Set<(call: CallView) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  /** /metrics counts what this node's sockets did */
  private counted: (outcome: 'started' | 'answered' | 'failed') => void = () => undefined;

  constructor(
    private readonly runtime: Runtime,
    private readonly ice: IceConfig = { servers: [] },
  ) {
    this.unsubscribe.push(
      runtime.projection.onApplied((events) => {
        for (const e of events) {
          if (e.type !== 'call.updated') continue;
          if (FINAL.has(e.call.state)) this.live.delete(e.call.id);
          else this.live.set(e.call.id, e.call);
          for (const l of this.callListeners) l(e.call);
        }
      }),
    );
  }

  count(counter: (outcome: 'started' | 'answered' | 'failed') => void): void {
    this.counted = counter;
  }

  /** Every call change on any node (after this node applied it). */
  onCall(listener: (call: CallView) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /** Signals and media switches meant for one side. */
  onSignal(side: 'agent' | 'customer', listener: (m: Extract<EphemeralMessage, { kind: 'call' }>) => void): () => void {
    const off = this.runtime.bus.subscribeEphemeral((m) => {
      if (m.kind === 'call' && m.to === side) listener(m);
    });
    this.unsubscribe.push(off);
    return off;
  }

  /** What a side is told about a call: while it rings, with the ICE servers and this call's TURN credential. */
  callMessage(call: CallView): CallServerMessage {
    const iceServers: IceServer[] | undefined = call.state === 'ringing' ? iceServersFor(this.ice, call.id, this.runtime.engine.clock.now()) : undefined;
    return iceServers ? { type: 'call', call, iceServers } : { type: 'call', call };
  }

  /**
   * Handles one call message of a socket, after the socket's earlier ones; refusals go back as
   * call_error in the socket's language. Over the rate, a message is dropped at once.
   */
  handle(who: CallSender, state: CallSocketState, msg: CallClientMessage, reply: (m: CallServerMessage) => void, lang: 'pt-BR' | 'en'): Promise<void> {
    const callId = 'callId' in msg ? msg.callId : null;
    if (!this.take(state)) {
      if (!state.limited) reply({ type: 'call_error', callId, code: 'invalid', message: lang === 'en' ? 'too many call messages: some were dropped' : 'mensagens de chamada demais: algumas foram descartadas' });
      state.limited = true;
      return Promise.resolve();
    }
    state.limited = false;
    const run = state.chain.then(() => this.run(who, state, msg, reply, lang));
    state.chain = run.catch(() => undefined);
    return run;
  }

  private async run(who: CallSender, state: CallSocketState, msg: CallClientMessage, reply: (m: CallServerMessage) => void, lang: 'pt-BR' | 'en'): Promise<void> {
    const callId = 'callId' in msg ? msg.callId : null;
    const engine = this.runtime.engine;
    try {
      switch (msg.type) {
        case 'call_start': {
          const conversationId = who.side === 'agent' ? (msg.conversationId ?? null) : who.conversationId;
          if (who.side === 'agent' && !conversationId) throw new AppError(400, 'invalid', { en: 'conversationId: required', pt: 'conversationId: obrigatório' });
          const call = await startCall(engine, who, conversationId, msg.kind);
          state.held.add(call.id);
          this.counted('started');
          return;
        }
        case 'call_accept':
          await acceptCall(engine, who, msg.callId);
          state.held.add(msg.callId);
          this.counted('answered');
          return;
        case 'call_decline':
          await declineCall(engine, who, msg.callId);
          return;
        case 'call_hangup':
          await hangupCall(engine, who, msg.callId);
          return;
        case 'call_failed':
          await failCall(engine, who, msg.callId, msg.failure);
          this.counted('failed');
          return;
        case 'call_media': {
          const before = await this.ownLive(who, msg.callId);
          const call = await switchMedia(engine, who, msg.callId, msg.video);
          if (before.video !== call.video) this.relay(who, call, { video: call.video });
          return;
        }
        case 'call_signal': {
          const call = await this.ownLive(who, msg.callId);
          this.relay(who, call, { signal: msg.signal });
          return;
        }
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      reply({ type: 'call_error', callId, code: CODES[err.status] ?? 'invalid', message: lang === 'en' ? err.said.en : err.said.pt });
    }
  }

  /** The socket closed: its live calls failed on its side ('disconnected'). */
  async dropped(who: CallSide, state: CallSocketState): Promise<void> {
    await state.chain;
    // (dropCalls passes over those already over)
    const ids = [...state.held];
    state.held.clear();
    if (ids.length) await dropCalls(this.runtime.engine, who, ids);
  }

  close(): void {
    for (const u of this.unsubscribe) u();
  }

  /** The sender's own live call: from what this node knows, else checked in the database once. */
  private async ownLive(who: CallSender, callId: string): Promise<CallView> {
    const call = this.live.get(callId);
    if (call) {
      const mine = who.side === 'agent' ? call.agentId === who.userId : call.conversationId === who.conversationId;
      if (mine) return call;
    }
    const checked = await checkSignal(this.runtime.engine, who, callId);
    this.live.set(checked.id, checked);
    return checked;
  }

  private relay(who: CallSide, call: CallView, what: { signal?: Extract<CallClientMessage, { type: 'call_signal' }>['signal']; video?: boolean }): void {
    this.runtime.bus.publishEphemeral({
      kind: 'call',
      callId: call.id,
      conversationId: call.conversationId,
      agentId: call.agentId,
      to: who.side === 'agent' ? 'customer' : 'agent',
      ...what,
    });
  }

  private take(state: CallSocketState): boolean {
    const now = Date.now();
    state.tokens = Math.min(BURST, state.tokens + ((now - state.refilledAt) / 1000) * PER_SECOND);
    state.refilledAt = now;
    if (state.tokens < 1) return false;
    state.tokens -= 1;
    return true;
  }
}
