// Which customer messages the agent has looked at, per conversation, kept in this browser so a
// reload does not mark everything unread again. Pruned to the open conversations on every save.

const key = (userId: string) => `mirante.desk.seen.${userId}`;

export function loadSeen(userId: string): Map<string, number> {
  try {
    const raw = JSON.parse(localStorage.getItem(key(userId)) ?? '{}') as Record<string, unknown>;
    return new Map(Object.entries(raw).filter((e): e is [string, number] => typeof e[1] === 'number'));
  } catch {
    return new Map();
  }
}

export function saveSeen(userId: string, seen: Map<string, number>): void {
  try {
    if (seen.size) localStorage.setItem(key(userId), JSON.stringify(Object.fromEntries(seen)));
    else localStorage.removeItem(key(userId));
  } catch {
    /* storage full or disabled: unread marks just start over after a reload */
  }
}
