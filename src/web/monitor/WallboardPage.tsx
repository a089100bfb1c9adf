import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { Button, Group, Text, Title } from '@mantine/core';
import { IconArrowsMaximize, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSession } from '../auth/session';
import type { ServiceFigures } from '../../contracts/monitor';
import { CHANNEL_LOOK } from './channels';
import { clock, percent, seconds, useNow } from './format';
import { countAgents, longestWaits } from './live';
import { LazyChart } from './LazyChart';
import { hourlyOption } from './PositionTab';
import classes from './monitor.module.css';
import { ConnectionBanner, LiveBadge, MonitorFrame } from './MonitorPage';
import { useLive } from './useLive';
import { useMonitorStore } from './useMonitor';

type Level = 'ok' | 'warn' | 'bad' | undefined;

function Big({ label, value, sub, level, testId }: { label: string; value: ReactNode; sub?: ReactNode; level?: Level; testId: string }) {
  return (
    <div className={classes.wallCard} data-level={level} data-testid={testId} data-check-overflow>
      <div className={classes.wallLabel}>{label}</div>
      <div className={classes.wallValue} data-level={level} data-testid={`${testId}-value`}>{value}</div>
      {sub && <div className={classes.wallSub}>{sub}</div>}
    </div>
  );
}

/** The day's chart in the board's colours and type size (the same series as Início's). */
function wallChart(option: EChartsCoreOption, fontSize: number): EChartsCoreOption {
  const text = { color: '#ced4da', fontSize };
  const o = option as Record<string, any>;
  return {
    ...o,
    textStyle: text,
    grid: { left: fontSize * 3, right: fontSize, top: fontSize, bottom: fontSize * 4 },
    legend: { ...o.legend, textStyle: text, pageTextStyle: text },
    xAxis: { ...o.xAxis, axisLabel: text },
    yAxis: { ...o.yAxis, axisLabel: text, splitLine: { lineStyle: { color: '#364152' } } },
    title: (o.title as Record<string, any>[]).map((x) => ({ ...x, textStyle: { ...x.textStyle, color: '#adb5bd', fontSize } })),
  };
}

function useViewportWidth(): number {
  const [w, setW] = useState(() => window.innerWidth);
  useEffect(() => {
    const on = () => setW(window.innerWidth);
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return w;
}

/** Higher is better (NS): ok at or over the target, warn within 10 points, bad below. */
const atLeast = (v: number | null, target: number): Level => (v === null ? undefined : v >= target ? 'ok' : v >= target - 10 ? 'warn' : 'bad');
/** Lower is better (waits, TMA, queue length): ok up to half the limit, warn up to it, bad beyond. */
const atMost = (v: number | null, limit: number): Level => (v === null ? undefined : v <= limit / 2 ? 'ok' : v <= limit ? 'warn' : 'bad');

function Board() {
  const { t, i18n } = useTranslation('monitor');
  const live = useLive();
  const now = useNow(1000);
  const { state, counts, servicesInView, channels, settings, agents, tz } = live;
  const figures = state.figures;
  const lang = i18n.language;
  const agentCounts = useMemo(() => countAgents(agents), [agents]);
  const oldest = useMemo(() => longestWaits(state.conversations.values(), state.filter, tz), [state.conversations, state.version, state.filter, tz]);
  const figuresBy = useMemo(() => new Map<string, ServiceFigures>((figures?.services ?? []).map((s) => [s.serviceId, s])), [figures]);

  // the whole operation's NS: answered in target over (answered + abandoned − short), summed by conversation
  let inTarget = 0;
  let base = 0;
  let abandoned = 0;
  let offered = 0;
  for (const s of figures?.services ?? []) {
    inTarget += s.answeredInTarget;
    base += s.answered + s.abandoned - s.shortAbandoned;
    abandoned += s.abandoned;
    offered += s.offered;
  }
  const ns = base > 0 ? (inTarget / base) * 100 : null;
  const abandonRate = offered > 0 ? (abandoned / offered) * 100 : null;
  const longest = oldest.size ? Math.min(...oldest.values()) : null;
  const longestMs = longest === null ? null : now - longest;
  const slaMs = Math.min(...servicesInView.map((s) => s.serviceLevelSeconds), Infinity) * 1000;
  const tma = figures?.panel.tmaSeconds ?? null;
  const goal = figures?.panel.tmaGoalSeconds ?? null;
  const target = settings.serviceLevel.targetPercent;
  // the chart's type follows the screen: 1920 × 1080 reads at 16 px, a 4K TV at twice that
  const width = useViewportWidth();
  const chartFont = Math.round(Math.min(34, Math.max(12, width / 120)));
  const chartHeight = Math.round(Math.max(180, Math.min(900, width * 0.14)));
  const chart = useMemo(() => (figures ? wallChart(hourlyOption(t, figures), chartFont) : null), [figures, t, chartFont]);
  const agentStates = [
    { key: 'available', label: t('monitor.position.free'), value: agentCounts.available, color: '#40c057' },
    { key: 'inService', label: t('monitor.position.inService'), value: agentCounts.inService, color: '#339af0' },
    { key: 'paused', label: t('monitor.position.paused'), value: agentCounts.paused, color: '#fab005' },
  ];

  return (
    <>
      <div className={classes.wallGrid}>
        <Big testId="wall-queued" label={t('monitor.wall.waiting')} value={counts.totals.queued} level={atMost(counts.totals.queued, settings.alerts.queueLength)} />
        <Big testId="wall-longest" label={t('monitor.wall.longest')} value={longestMs === null ? '—' : clock(longestMs)} level={longestMs === null ? 'ok' : atMost(longestMs, Number.isFinite(slaMs) ? slaMs : 60_000)} />
        <Big testId="wall-inService" label={t('monitor.wall.inService')} value={counts.totals.inService} sub={`${t('monitor.wall.bot')}: ${counts.totals.bot}`} />
        <Big testId="wall-ns" label={t('monitor.wall.ns')} value={percent(ns === null ? null : Math.round(ns), lang)} sub={t('monitor.services.target', { value: `${target}%` })} level={atLeast(ns, target)} />
        <Big testId="wall-tma" label={t('monitor.wall.tma')} value={tma === null ? '—' : clock(tma * 1000)} sub={`${t('monitor.services.goal')} ${seconds(goal)}`} level={tma === null || goal === null ? undefined : tma <= goal ? 'ok' : tma <= goal * 1.2 ? 'warn' : 'bad'} />
        <Big testId="wall-abandonment" label={t('monitor.wall.abandonment')} value={percent(abandonRate === null ? null : Math.round(abandonRate * 10) / 10, lang)} level={atMost(abandonRate, 10)} />
        <Big
          testId="wall-agents"
          label={t('monitor.wall.agents')}
          value={agentCounts.total}
          sub={`${t('monitor.position.free')} ${agentCounts.available}`}
          level={agentCounts.total === 0 ? 'bad' : agentCounts.available === 0 && counts.totals.queued > 0 ? 'warn' : 'ok'}
        />
        <Big testId="wall-completed" label={t('monitor.wall.completed')} value={figures ? figures.panel.dayCompleted : '—'} />
      </div>
      <div className={classes.wallSplit}>
        <div className={classes.wallStack}>
        <div className={classes.wallCard} data-check-overflow>
          <table className={classes.wallTable} data-testid="wall-channels">
            <thead>
              <tr>
                <th>{t('monitor.services.channel')}</th>
                <th>{t('monitor.wall.waiting')}</th>
                <th>{t('monitor.wall.inService')}</th>
              </tr>
            </thead>
            <tbody>
              {channels.map((ch) => {
                const c = counts.byChannel.get(ch);
                return (
                  <tr key={ch} data-testid={`wall-channel-${ch}`}>
                    <td>
                      <Group gap="xs" wrap="nowrap">
                        <span className={classes.wallDot} style={{ background: CHANNEL_LOOK[ch].hex }} />
                        {t(`channels.${ch}`)}
                      </Group>
                    </td>
                    <td data-level={c?.queued ? atMost(c.queued, settings.alerts.queueLength) : undefined}>{c?.queued ?? 0}</td>
                    <td>{c?.inService ?? 0}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      <div className={classes.wallCard} data-check-overflow>
        <table className={classes.wallTable} data-testid="wall-services">
          <thead>
            <tr>
              <th>{t('monitor.wall.services')}</th>
              <th>{t('monitor.wall.waiting')}</th>
              <th>{t('monitor.wall.inService')}</th>
              <th>{t('monitor.wall.longest')}</th>
              <th>{t('monitor.services.ns')}</th>
              <th>{t('monitor.services.tma')}</th>
            </tr>
          </thead>
          <tbody>
            {servicesInView.map((s) => {
              const c = counts.byService.get(s.id);
              const f = figuresBy.get(s.id);
              const since = oldest.get(s.id);
              const wait = since === undefined ? null : now - since;
              return (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td data-level={c?.queued ? atMost(c.queued, settings.alerts.queueLength) : undefined}>{c?.queued ?? 0}</td>
                  <td>{c?.inService ?? 0}</td>
                  <td data-level={wait === null ? undefined : atMost(wait, s.serviceLevelSeconds * 1000)}>{wait === null ? '—' : clock(wait)}</td>
                  <td data-level={atLeast(f?.serviceLevel ?? null, target)}>{percent(f?.serviceLevel === null || f?.serviceLevel === undefined ? null : Math.round(f.serviceLevel), lang)}</td>
                  <td data-level={f?.tmaSeconds == null ? undefined : f.tmaSeconds <= f.tmaGoalSeconds ? 'ok' : 'bad'}>{seconds(f?.tmaSeconds)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
        </div>
        <div className={`${classes.wallCard} ${classes.wallChart}`} data-testid="wall-day-chart" data-check-overflow>
          <div className={classes.wallLabel}>{t('monitor.position.dayChart')}</div>
          {chart ? <LazyChart option={chart} height={chartHeight} label={t('monitor.position.dayChart')} /> : <div className={classes.wallSub}>{t('monitor.figures.waiting')}</div>}
        </div>
        <div className={classes.wallCard} data-testid="wall-agents-by-state" data-check-overflow>
          <div className={classes.wallLabel}>{t('monitor.wall.agentsByState')}</div>
          {agentStates.map((a) => (
            <div key={a.key} className={classes.wallBarRow} data-testid={`wall-agents-${a.key}`}>
              <span className={classes.wallBarLabel}>{a.label}</span>
              <span className={classes.wallBarValue}>{a.value}</span>
              <span className={classes.wallBarTrack}><span className={classes.wallBar} style={{ width: `${agentCounts.total ? (a.value / agentCounts.total) * 100 : 0}%`, background: a.color }} /></span>
            </div>
          ))}
          {agentCounts.total === 0 && <div className={classes.wallSub}>{t('monitor.wall.noAgents')}</div>}
        </div>
      </div>
    </>
  );
}

/** The wallboard for a TV: the same live figures as Início, large, coloured by thresholds, nothing to click. */
export function WallboardPage() {
  const { t, i18n } = useTranslation('monitor');
  const { settings } = useSession();
  const store = useMonitorStore();
  const now = useNow(1000);

  useEffect(() => {
    const prev = document.title;
    document.title = t('monitor.wall.title');
    return () => {
      document.title = prev;
    };
  }, [t]);

  return (
    <MonitorFrame store={store}>
      {() => (
        <div className={classes.wall} data-testid="wallboard">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Group gap="md">
              <Title order={1} fw={800} fz="clamp(18px, 1.8vw, 72px)" c="inherit">{t('monitor.wall.title')}</Title>
              <WallLive />
            </Group>
            <Group gap="md" wrap="wrap">
              <Text fw={700} fz="clamp(18px, 1.8vw, 72px)" className={classes.num}>
                {new Intl.DateTimeFormat(i18n.language, { timeZone: settings.timezone, hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(now)}
              </Text>
              <Button variant="outline" color="gray.5" size="xs" leftSection={<IconArrowsMaximize size={14} />} onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>
                {t('monitor.wall.fullscreen')}
              </Button>
              <Button component={Link} to="/monitor" variant="outline" color="gray.5" size="xs" leftSection={<IconX size={14} />}>
                {t('monitor.wall.exit')}
              </Button>
            </Group>
          </Group>
          <WallBanner />
          <Board />
        </div>
      )}
    </MonitorFrame>
  );
}

function WallLive() {
  const { state } = useLive();
  return <LiveBadge state={state} />;
}

function WallBanner() {
  const { state } = useLive();
  return <ConnectionBanner state={state} />;
}
