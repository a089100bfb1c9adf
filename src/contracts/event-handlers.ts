// Zod-free on purpose: the web app and the widget import this at run time without carrying zod.
import type { EventType, RealtimeEvent } from './events.js';

/**
 * One handler per event type (with the consumer's own arguments `A` after the event). Code that
 * reacts to events declares such a map instead of a switch: adding an event type without a handler
 * for it is a type error in every consumer.
 */
export type EventHandlers<R = void, E extends { type: EventType } = RealtimeEvent, A extends unknown[] = []> = {
  [T in EventType]: (e: Extract<E, { type: T }>, ...args: A) => R;
};

/** Calls the handler of the event's type. */
export function dispatchEvent<R, E extends { type: EventType }, A extends unknown[]>(handlers: EventHandlers<R, E, A>, e: E, ...args: A): R {
  return (handlers[e.type] as (e: E, ...args: A) => R)(e, ...args);
}
