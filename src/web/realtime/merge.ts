import type { MessageView } from '../../contracts/conversations';
import { fresherMessage } from '../../shared/delivery-status';

/** `items` merged into `list` by id, in id order; for an id in both, `pick` chooses (default: the new one). */
export function mergeById<T extends { id: number }>(list: T[], items: T[], pick: (current: T, incoming: T) => T = (_c, i) => i): T[] {
  if (items.length === 1 && (list.length === 0 || list[list.length - 1].id < items[0].id)) return [...list, items[0]];
  const byId = new Map<number, T>();
  for (const x of list) byId.set(x.id, x);
  for (const x of items) {
    const current = byId.get(x.id);
    byId.set(x.id, current ? pick(current, x) : x);
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/**
 * Messages merged by id, each keeping its freshest view: a reply's own answer, its events and a
 * history load come in any order, and a late one must not turn a failed message back into pending.
 */
export const mergeMessages = (list: MessageView[], items: MessageView[]): MessageView[] => mergeById(list, items, fresherMessage);
