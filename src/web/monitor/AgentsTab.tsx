import { memo, useEffect, useMemo, useRef } from 'react';
import { Badge, Group, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AgentView } from '../../contracts/conversations';
import { useActions } from './actions';
import { byName, clock, onSecond, useNow } from './format';
import { columnOf, levelOf, oldestAssignment, tileSince, type AgentColumn, type Level } from './live';
import classes from './monitor.module.css';
import { useLive } from './useLive';
import { usePauseReasonNames } from './useMonitor';

const COLUMNS: AgentColumn[] = ['available', 'inService', 'paused'];

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

interface TileProps {
  agent: AgentView;
  since: number;
  level: Level;
  reason: string | null;
  pendingReason: string | null;
  onOpen: ((id: string) => void) | null;
}

/** One agent: name, time in state (ticking), what they hold or why they paused; coloured by the time. */
const AgentTile = memo(function AgentTile({ agent, since, level, reason, pendingReason, onOpen }: TileProps) {
  const { t } = useTranslation();
  const open = agent.openChat + agent.openEmail;
  const body = (
    <>
      <Text size="sm" fw={600} truncate title={agent.name}>{agent.name}</Text>
      <Group justify="space-between" gap={4} wrap="nowrap" mt={2}>
        <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
          {!agent.connected && (
            <Tooltip label={t('monitor.agents.disconnected')} withArrow>
              <IconPlugConnectedX size={14} color="var(--mantine-color-gray-6)" aria-label={t('monitor.agents.disconnected')} style={{ flexShrink: 0 }} />
            </Tooltip>
          )}
          <Text size="xs" c="dimmed" truncate>
            {agent.state === 'in_service'
              ? t('monitor.agents.open', { count: open })
              : agent.state === 'paused'
                ? (reason ?? t('monitor.agents.unknownReason'))
                : '\u00a0'}
          </Text>
        </Group>
        <TileClock since={since} />
      </Group>
      {agent.state === 'in_service' && agent.presence === 'paused' && (
        <Badge size="xs" color="gray" variant="light" mt={4}>{t('monitor.agents.pausedWithConversations', { reason: reason ?? t('monitor.agents.unknownReason') })}</Badge>
      )}
      {pendingReason && (
        <Badge size="xs" color="gray" variant="outline" mt={4}>{t('monitor.agents.pendingPause', { reason: pendingReason })}</Badge>
      )}
    </>
  );
  return onOpen ? (
    <button type="button" className={classes.tile} data-level={level} data-agent={agent.name} data-agent-id={agent.id} data-testid="agent-tile" onClick={() => onOpen(agent.id)} aria-label={t('monitor.agents.openAgent', { name: agent.name })}>
      {body}
    </button>
  ) : (
    <div className={classes.tile} data-level={level} data-agent={agent.name} data-agent-id={agent.id} data-testid="agent-tile">
      {body}
    </div>
  );
});

/**
 * Agentes: three columns, Livre, Em atendimento and Em pausa, with their counts on top; each agent a
 * tile whose colour says how long they have been in that state (thresholds from settings), recomputed
 * every second here in the browser. An agent in service opens their conversations.
 */
export function AgentsTab() {
  const { t } = useTranslation();
  const { agents, state, settings } = useLive();
  const actions = useActions();
  const reasons = usePauseReasonNames();
  const now = useNow(1000);
  const oldest = useMemo(() => oldestAssignment(state.conversations.values()), [state.conversations, state.version]);
  const thresholds = settings.timeInState;

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
      <Group gap="md" wrap="wrap">
        <Tooltip label={t('monitor.agents.timeHelp')} withArrow multiline w={300}>
          <Text size="sm" fw={600} style={{ cursor: 'help' }}>{t('monitor.agents.legend')}:</Text>
        </Tooltip>
        <Text size="sm"><span className={classes.swatch} data-level="low" /> {t('monitor.agents.low', { n: thresholds.lowMinutes })}</Text>
        <Text size="sm"><span className={classes.swatch} data-level="medium" /> {t('monitor.agents.medium', { low: thresholds.lowMinutes, high: thresholds.highMinutes })}</Text>
        <Text size="sm"><span className={classes.swatch} data-level="high" /> {t('monitor.agents.high', { n: thresholds.highMinutes })}</Text>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        {COLUMNS.map((col) => (
          <section key={col} className={classes.column} aria-label={t(`monitor.agents.${col}`)} data-testid={`agents-column-${col}`}>
            <div className={classes.columnHead} data-column={col}>
              <span>{t(`monitor.agents.${col}`)}</span>
              <span className={classes.columnCount} data-testid={`agents-column-${col}-count`}>{columns[col].length}</span>
            </div>
            <div className={classes.tiles}>
              {columns[col].map(({ agent, since }) => {
                const elapsed = Math.max(0, now - since);
                return (
                  <AgentTile
                    key={agent.id}
                    agent={agent}
                    since={since}
                    level={levelOf(elapsed, thresholds)}
                    reason={agent.pauseReasonId ? (reasons.get(agent.pauseReasonId) ?? null) : null}
                    pendingReason={agent.pendingPauseReasonId ? (reasons.get(agent.pendingPauseReasonId) ?? t('monitor.agents.unknownReason')) : null}
                    onOpen={col === 'inService' ? actions.openAgent : null}
                  />
                );
              })}
            </div>
            {columns[col].length === 0 && <Text size="sm" c="dimmed" ta="center" py="sm">{t('monitor.agents.none')}</Text>}
          </section>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
