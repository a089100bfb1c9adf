import { memo, useEffect, useMemo, useRef } from 'react';
import { Badge, Tooltip } from '@mantine/core';
import { IconPhone, IconPlugConnectedX } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import type { AgentView } from '../../contracts/conversations';
import { clock, onSecond } from './format';
import type { Level } from './live';
import classes from './monitor.module.css';

/**
 * The tile's ticking time: it writes its own text every second, so 2,000 tiles do not re-render
 * every second (a tile re-renders when its agent or its colour changes).
 */
function TileClock({ since }: { since: number }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => onSecond((now) => {
    if (ref.current) ref.current.textContent = clock(Math.max(0, now - since));
  }), [since]);
  return <span ref={ref} className={classes.tileTime} data-testid="tile-time">{clock(Math.max(0, Date.now() - since))}</span>;
}

const pausedInService = (a: AgentView) => a.state === 'in_service' && a.presence === 'paused';

/** The badge lines under a tile's time (0, 1 or 2): what makes one tile taller than another. */
export const badgesOf = (a: AgentView) => (a.inCall ? 1 : 0) + (pausedInService(a) ? 1 : 0) + (a.pendingPauseReasonId ? 1 : 0);

/** The words on the tiles, in the current language. */
export interface TileLabels {
  disconnected: string;
  inCall: string;
  unknownReason: string;
  open(count: number): string;
  openAgent(name: string): string;
  pausedWithConversations(reason: string): string;
  pendingPause(reason: string): string;
}

function cached<K>(make: (k: K) => string): (k: K) => string {
  const seen = new Map<K, string>();
  return (k) => {
    let v = seen.get(k);
    if (v === undefined) seen.set(k, (v = make(k)));
    return v;
  };
}

/**
 * The tiles' words, translated once per language and kept: tiles mount by the dozen as the list
 * reorders, and a translation with a plural (or useTranslation in each tile) costs more than the
 * rest of the tile.
 */
export function useTileLabels(t: TFunction): TileLabels {
  return useMemo(() => ({
    disconnected: t('monitor.agents.disconnected'),
    inCall: t('monitor.agents.inCall'),
    unknownReason: t('monitor.agents.unknownReason'),
    open: cached((count: number) => t('monitor.agents.open', { count })),
    openAgent: cached((name: string) => t('monitor.agents.openAgent', { name })),
    pausedWithConversations: cached((reason: string) => t('monitor.agents.pausedWithConversations', { reason })),
    pendingPause: cached((reason: string) => t('monitor.agents.pendingPause', { reason })),
  }), [t]);
}

interface TileProps {
  agent: AgentView;
  since: number;
  level: Level;
  reason: string | null;
  pendingReason: string | null;
  labels: TileLabels;
  onOpen: ((id: string) => void) | null;
}

/**
 * One agent: name, time in state (ticking), what they hold or why they paused; coloured by the time.
 * Plain elements styled like Mantine's Text and Group (monitor.module.css): tiles mount by the
 * dozen as the list scrolls and reorders, and the components cost several times their markup.
 */
export const AgentTile = memo(function AgentTile({ agent, since, level, reason, pendingReason, labels, onOpen }: TileProps) {
  const body = (
    <>
      <p className={classes.tileName} title={agent.name}>{agent.name}</p>
      <div className={classes.tileLine}>
        <div className={classes.tileInfo}>
          {!agent.connected && (
            <Tooltip label={labels.disconnected} withArrow>
              <IconPlugConnectedX size={14} color="var(--mantine-color-gray-6)" aria-label={labels.disconnected} style={{ flexShrink: 0 }} />
            </Tooltip>
          )}
          <p className={classes.tileDetail}>
            {agent.state === 'in_service'
              ? labels.open(agent.openChat + agent.openEmail)
              : agent.state === 'paused'
                ? (reason ?? labels.unknownReason)
                : '\u00a0'}
          </p>
        </div>
        <TileClock since={since} />
      </div>
      {/* one badge a line, cut short if long: a tile's height follows from its count of badges (badgesOf) */}
      {agent.inCall && (
        <div><Badge size="xs" color="green" variant="filled" mt={4} maw="100%" miw={0} leftSection={<IconPhone size={10} aria-hidden />} data-testid="tile-in-call">{labels.inCall}</Badge></div>
      )}
      {pausedInService(agent) && (
        <div><Badge size="xs" color="gray" variant="light" mt={4} maw="100%" miw={0}>{labels.pausedWithConversations(reason ?? labels.unknownReason)}</Badge></div>
      )}
      {pendingReason && (
        <div><Badge size="xs" color="gray" variant="outline" mt={4} maw="100%" miw={0}>{labels.pendingPause(pendingReason)}</Badge></div>
      )}
    </>
  );
  return onOpen ? (
    <button type="button" className={classes.tile} data-level={level} data-agent={agent.name} data-agent-id={agent.id} data-testid="agent-tile" onClick={() => onOpen(agent.id)} title={labels.openAgent(agent.name)}>
      {body}
    </button>
  ) : (
    <div className={classes.tile} data-level={level} data-agent={agent.name} data-agent-id={agent.id} data-testid="agent-tile">
      {body}
    </div>
  );
});
