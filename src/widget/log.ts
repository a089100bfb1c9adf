// The conversation as bubbles, in server order: messages by id, then our own not yet stored (pending,
// newest last). A message of ours that the server stored moves to where its id puts it, e.g. before
// the bot's answer to it. The view is told where each bubble goes.

import type { Entry } from './model';

export class ConversationLog {
  private readonly order: string[] = [];
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly place: (entry: Entry, beforeKey: string | null | undefined) => void) {}

  get(key: string): Entry | undefined {
    return this.entries.get(key);
  }

  last(): Entry | undefined {
    return this.order.length ? this.entries.get(this.order[this.order.length - 1]) : undefined;
  }

  /** Adds or updates a bubble; `place` gets `undefined` as the position when it stays where it is. */
  upsert(e: Entry): void {
    const merged: Entry = { ...this.entries.get(e.key), ...e };
    if (e.msg) delete merged.pending;
    this.entries.set(e.key, merged);
    const id = merged.msg?.id;
    const rest = this.order.filter((k) => k !== e.key);
    let pos = rest.length;
    if (id !== undefined) {
      const after = rest.findIndex((k) => {
        const other = this.entries.get(k)!;
        return !other.msg || other.msg.id > id;
      });
      if (after >= 0) pos = after;
    }
    rest.splice(pos, 0, e.key);
    const same = this.order.length === rest.length && rest.every((k, i) => this.order[i] === k);
    this.order.splice(0, this.order.length, ...rest);
    this.place(merged, same ? undefined : (rest[pos + 1] ?? null));
  }

  clear(): void {
    this.order.length = 0;
    this.entries.clear();
  }
}
