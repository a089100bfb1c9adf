import { useEffect, useSyncExternalStore } from 'react';
import type { ConnectionStatus, RealtimeClient, StreamMessage } from './client';

/** The connection status of a client, re-rendering on change. */
export function useConnectionStatus(client: RealtimeClient | null): ConnectionStatus {
  return useSyncExternalStore(
    (cb) => (client ? client.onStatus(cb) : () => undefined),
    () => client?.status ?? 'idle',
  );
}

/** Calls `listener` with every message of the stream while mounted (keep `listener` stable). */
export function useStream(client: RealtimeClient | null, listener: (m: StreamMessage) => void): void {
  useEffect(() => (client ? client.subscribe(listener) : undefined), [client, listener]);
}
