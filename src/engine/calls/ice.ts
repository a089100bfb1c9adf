import { createHmac } from 'node:crypto';
import { IceServer } from '../../contracts/calls.js';
import { z } from 'zod';

/** How long a call's TURN credential stays valid (coturn refuses it after): a long call keeps its allocation. */
export const TURN_CREDENTIAL_TTL_SECONDS = 6 * 3600;

export interface IceConfig {
  /** ICE_SERVERS, as RTCPeerConnection takes them; empty: host candidates only */
  servers: IceServer[];
  /** TURN_SECRET: coturn's static-auth-secret (use-auth-secret); never sent, never logged */
  turnSecret?: string;
}

/** ICE_SERVERS (JSON: an array of RTCIceServer) and TURN_SECRET from the environment; a malformed value stops the start. */
export function parseIceConfig(env: NodeJS.ProcessEnv): IceConfig {
  const raw = env.ICE_SERVERS?.trim();
  let servers: IceServer[] = [];
  if (raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error('ICE_SERVERS must be JSON, e.g. [{"urls":"turn:turn.example.com:3478"}]');
    }
    const r = z.array(IceServer).safeParse(parsed);
    if (!r.success) throw new Error(`ICE_SERVERS must be an array of {urls, username?, credential?}: ${r.error.issues[0]?.path.join('.')} ${r.error.issues[0]?.message}`);
    servers = r.data;
  }
  return { servers, turnSecret: env.TURN_SECRET || undefined };
}

/**
 * coturn's REST scheme (use-auth-secret): username `<expiry-unix>:<callId>`, credential
 * base64(HMAC-SHA1(secret, username)). coturn recomputes it with the same secret and refuses it
 * after the expiry, so what the page holds is good for this call and a few hours only.
 */
export function turnCredential(secret: string, callId: string, now: Date, ttlSeconds = TURN_CREDENTIAL_TTL_SECONDS): { username: string; credential: string } {
  const username = `${Math.floor(now.getTime() / 1000) + ttlSeconds}:${callId}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

const isTurn = (s: IceServer) => (Array.isArray(s.urls) ? s.urls : [s.urls]).some((u) => /^turns?:/i.test(u));

/** The ICE servers one call's sides get: TURN entries without their own username carry this call's credential. */
export function iceServersFor(config: IceConfig, callId: string, now: Date): IceServer[] {
  return config.servers.map((s) => {
    if (!isTurn(s) || s.username || !config.turnSecret) return s;
    return { ...s, ...turnCredential(config.turnSecret, callId, now) };
  });
}
