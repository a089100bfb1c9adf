import { useSyncExternalStore } from 'react';

const SILENCE_KEY = 'mirante.monitor.silenced';
const silenceListeners = new Set<() => void>();

/** Silenciar: alert sounds off, remembered in this browser. */
export function useSilenced(): [boolean, (v: boolean) => void] {
  const value = useSyncExternalStore(
    (cb) => {
      silenceListeners.add(cb);
      return () => silenceListeners.delete(cb);
    },
    () => localStorage.getItem(SILENCE_KEY) === 'true',
  );
  return [value, setSilenced];
}

export function isSilenced(): boolean {
  return localStorage.getItem(SILENCE_KEY) === 'true';
}

function setSilenced(v: boolean): void {
  localStorage.setItem(SILENCE_KEY, String(v));
  for (const l of silenceListeners) l();
}
