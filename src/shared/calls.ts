// How a call is worded wherever a person reads it (the history line, the desk, the widget), in both
// languages: one place, so the stored body, the desk and the widget say the same.
import { formatDuration } from './duration.js';

/** What the wording reads of a call (contracts/calls.ts CallView has these; shared/ does not import contracts). */
export interface CallFacts {
  kind: 'audio' | 'video';
  state: 'ringing' | 'active' | 'ended' | 'missed' | 'declined' | 'failed';
  failure: CallFailureKey | null;
  audioSeconds: number;
  videoSeconds: number;
  /** who ended it: a dropped connection is named by its side */
  endedBy?: 'agent' | 'customer' | 'system' | null;
}
export type CallFailureKey = 'permission_denied' | 'no_device' | 'connection_failed' | 'unsupported' | 'busy' | 'disconnected';

type Lang = 'pt-BR' | 'en';

/** Why a call failed, as both sides are told it. */
export const CALL_FAILURE_TEXT: Record<CallFailureKey, { 'pt-BR': string; en: string }> = {
  permission_denied: { 'pt-BR': 'sem permissão de câmera ou microfone', en: 'camera or microphone permission refused' },
  no_device: { 'pt-BR': 'nenhuma câmera ou microfone encontrado', en: 'no camera or microphone found' },
  connection_failed: { 'pt-BR': 'não foi possível conectar a chamada', en: 'the call could not connect' },
  unsupported: { 'pt-BR': 'o navegador não permite chamadas', en: 'the browser does not support calls' },
  busy: { 'pt-BR': 'ocupado em outra chamada', en: 'busy in another call' },
  disconnected: { 'pt-BR': 'a conexão caiu', en: 'the connection dropped' },
};

/** A dropped connection, named by the side whose page went away (closed, reloaded, offline). */
const DROPPED_TEXT = {
  agent: { 'pt-BR': 'a conexão do atendente caiu', en: 'the agent’s connection dropped' },
  customer: { 'pt-BR': 'a conexão do cliente caiu', en: 'the customer’s connection dropped' },
};

/** Answered seconds of a call, audio and video together. */
export const callSeconds = (c: Pick<CallFacts, 'audioSeconds' | 'videoSeconds'>): number => c.audioSeconds + c.videoSeconds;

/**
 * The history line of a call: "Chamada de vídeo, 4:12", "Chamada de áudio perdida",
 * "Chamada de vídeo recusada", "Chamada de áudio falhou: a conexão caiu". A call that carried video
 * at any time is a video call.
 */
export function callLine(c: CallFacts, lang: Lang = 'pt-BR'): string {
  const video = c.kind === 'video' || c.videoSeconds > 0;
  const pt = lang === 'pt-BR';
  const what = pt ? (video ? 'Chamada de vídeo' : 'Chamada de áudio') : video ? 'Video call' : 'Audio call';
  switch (c.state) {
    case 'ringing':
      return pt ? `${what} chamando` : `${what} ringing`;
    case 'active':
    case 'ended':
      return `${what}, ${formatDuration(callSeconds(c) * 1000)}`;
    case 'missed':
      return pt ? `${what} perdida` : `Missed ${what.toLowerCase()}`;
    case 'declined':
      return pt ? `${what} recusada` : `${what} declined`;
    case 'failed': {
      const side = c.failure === 'disconnected' && (c.endedBy === 'agent' || c.endedBy === 'customer') ? c.endedBy : null;
      const why = side ? DROPPED_TEXT[side][lang] : c.failure ? CALL_FAILURE_TEXT[c.failure][lang] : null;
      return pt ? `${what} falhou${why ? `: ${why}` : ''}` : `${what} failed${why ? `: ${why}` : ''}`;
    }
  }
}
