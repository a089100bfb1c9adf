import type { OutboundHook } from '../../engine/engine.js';

/**
 * WebChat needs no outbox: the visitor's socket is the transport, and every node hears every
 * committed message on the bus. So the hook leaves the message `pending`; the node that holds the
 * visitor's socket pushes it and marks it `delivered` (server/realtime/widget-hub.ts), and a visitor
 * who was away receives it in the next `welcome`, which marks it delivered then.
 */
export const webchatOutboundHook: OutboundHook = async () => undefined;
