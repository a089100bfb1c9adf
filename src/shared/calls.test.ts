import { describe, expect, it } from 'vitest';
import { callLine } from './calls';

const base = { kind: 'audio' as const, state: 'ended' as const, failure: null, audioSeconds: 0, videoSeconds: 0 };

describe('a call as the history words it', () => {
  it('an answered call: its kind and its answered time, audio and video together', () => {
    expect(callLine({ ...base, kind: 'video', videoSeconds: 252 })).toBe('Chamada de vídeo, 4:12');
    expect(callLine({ ...base, audioSeconds: 65 })).toBe('Chamada de áudio, 1:05');
    // an audio call that switched to video for a while is a video call of the whole length
    expect(callLine({ ...base, audioSeconds: 30, videoSeconds: 12 })).toBe('Chamada de vídeo, 0:42');
    expect(callLine({ ...base, kind: 'video', videoSeconds: 252 }, 'en')).toBe('Video call, 4:12');
  });

  it('missed, declined and failed say so, a failure with why', () => {
    expect(callLine({ ...base, state: 'missed' })).toBe('Chamada de áudio perdida');
    expect(callLine({ ...base, state: 'missed' }, 'en')).toBe('Missed audio call');
    expect(callLine({ ...base, kind: 'video', state: 'declined' })).toBe('Chamada de vídeo recusada');
    expect(callLine({ ...base, state: 'failed', failure: 'permission_denied' })).toBe('Chamada de áudio falhou: sem permissão de câmera ou microfone');
    expect(callLine({ ...base, state: 'failed', failure: 'disconnected' }, 'en')).toBe('Audio call failed: the connection dropped');
    // a page that went away mid-call (closed, reloaded): the line names whose connection
    expect(callLine({ ...base, state: 'failed', failure: 'disconnected', endedBy: 'customer' })).toBe('Chamada de áudio falhou: a conexão do cliente caiu');
    expect(callLine({ ...base, state: 'failed', failure: 'disconnected', endedBy: 'agent' }, 'en')).toBe('Audio call failed: the agent’s connection dropped');
    expect(callLine({ ...base, state: 'failed', failure: 'disconnected', endedBy: 'system' })).toBe('Chamada de áudio falhou: a conexão caiu');
  });
});
