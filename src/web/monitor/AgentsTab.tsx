import { memo, useDeferredValue, useMemo } from 'react';
import { Group, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AgentView } from '../../contracts/conversations';
import { useActions } from './actions';
import { AgentTile, badgesOf, useTileLabels, type TileLabels } from './AgentTile';
import { byName, useNow } from './format';
import { columnOf, levelOf, oldestAssignment, tileSince, type AgentColumn } from './live';
import classes from './monitor.module.css';
import { useLive } from './useLive';
import { useTileWindow } from './useTileWindow';
import { usePauseReasonNames } from './useMonitor';

const COLUMNS: AgentColumn[] = ['available', 'inService', 'paused'];

interface ColumnTilesProps {
  items: { agent: AgentView; since: number }[];
  now: number;
  thresholds: { lowMinutes: number; highMinutes: number };
  reasons: Map<string, string>;
  labels: TileLabels;
  onOpen: ((id: string) => void) | null;
}

/**
 * A column's tiles, windowed: a column can hold a thousand agents, and mounting, restyling and
 * laying out all of them on every repaint costs frames. Only the rows near the screen are in the
 * page; padding keeps the column as tall as all its tiles, so the page scrolls as if they were.
 */
const ColumnTiles = memo(function ColumnTiles({ items, now, thresholds, reasons, labels, onOpen }: ColumnTilesProps) {
  const shapes = useMemo(() => items.map(({ agent }) => badgesOf(agent)), [items]);
  const { ref, cols, win } = useTileWindow(shapes);
  return (
    <div
      ref={ref}
      className={classes.tiles}
      style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, paddingTop: win.padTop, paddingBottom: win.padBottom }}
      data-testid="agent-tiles"
      data-count={items.length}
      data-from={win.start}
      data-to={win.end}
    >
      {items.slice(win.start, win.end).map(({ agent, since }) => (
        <AgentTile
          key={agent.id}
          agent={agent}
          since={since}
          level={levelOf(Math.max(0, now - since), thresholds)}
          reason={agent.pauseReasonId ? (reasons.get(agent.pauseReasonId) ?? null) : null}
          pendingReason={agent.pendingPauseReasonId ? (reasons.get(agent.pendingPauseReasonId) ?? labels.unknownReason) : null}
          labels={labels}
          onOpen={onOpen}
        />
      ))}
    </div>
  );
});

/** What the tiles' colours mean; it stays put while the tiles repaint. */
const Legend = memo(function Legend({ lowMinutes, highMinutes }: { lowMinutes: number; highMinutes: number }) {
  const { t } = useTranslation('monitor');
  return (
    <Group gap="md" wrap="wrap">
      <Tooltip label={t('monitor.agents.timeHelp')} withArrow multiline w={300}>
        <Text size="sm" fw={600} style={{ cursor: 'help' }}>{t('monitor.agents.legend')}:</Text>
      </Tooltip>
      <Text size="sm"><span className={classes.swatch} data-level="low" /> {t('monitor.agents.low', { n: lowMinutes })}</Text>
      <Text size="sm"><span className={classes.swatch} data-level="medium" /> {t('monitor.agents.medium', { low: lowMinutes, high: highMinutes })}</Text>
      <Text size="sm"><span className={classes.swatch} data-level="high" /> {t('monitor.agents.high', { n: highMinutes })}</Text>
    </Group>
  );
});

/**
 * Agentes: three columns, Livre, Em atendimento and Em pausa, with their counts on top; each agent a
 * tile whose colour says how long they have been in that state (thresholds from settings), recomputed
 * every second here in the browser. An agent in service opens their conversations.
 */
export function AgentsTab() {
  const { t } = useTranslation('monitor');
  const { agents: liveAgents, state, settings } = useLive();
  const actions = useActions();
  const reasons = usePauseReasonNames();
  const now = useNow(1000);
  // the tiles follow the store a moment later, in a render React may cut into slices (a transition):
  // with hundreds of tiles moving per repaint, a synchronous render would hold frames for tens of ms
  const { agents, conversations, version } = useDeferredValue(
    useMemo(() => ({ agents: liveAgents, conversations: state.conversations, version: state.version }), [liveAgents, state.conversations, state.version]),
  );
  const oldest = useMemo(() => oldestAssignment(conversations.values()), [conversations, version]);
  const thresholds = settings.timeInState;
  const labels = useTileLabels(t);

  const columns = useMemo(() => {
    const out: Record<AgentColumn, { agent: AgentView; since: number }[]> = { available: [], inService: [], paused: [] };
    for (const a of agents) {
      const col = columnOf(a);
      if (col) out[col].push({ agent: a, since: tileSince(a, oldest) });
    }
    // the longest in their state first: the tiles to look at are on top
    for (const list of Object.values(out)) list.sort((x, y) => x.since - y.since || byName(x.agent.name, y.agent.name));
    return out;
  }, [agents, oldest]);

  return (
    <Stack gap="sm">
      <Legend lowMinutes={thresholds.lowMinutes} highMinutes={thresholds.highMinutes} />
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        {COLUMNS.map((col) => (
          <section key={col} className={classes.column} aria-label={t(`monitor.agents.${col}`)} data-testid={`agents-column-${col}`}>
            <div className={classes.columnHead} data-column={col}>
              <span>{t(`monitor.agents.${col}`)}</span>
              <span className={classes.columnCount} data-testid={`agents-column-${col}-count`}>{columns[col].length}</span>
            </div>
            <ColumnTiles
              items={columns[col]}
              now={now}
              thresholds={thresholds}
              reasons={reasons}
              labels={labels}
              onOpen={col === 'inService' ? actions.openAgent : null}
            />
            {columns[col].length === 0 && <Text size="sm" c="dimmed" ta="center" py="sm">{t('monitor.agents.none')}</Text>}
          </section>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
