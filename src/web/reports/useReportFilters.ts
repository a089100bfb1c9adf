import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { REPORT_IDS, REPORT_INTERVALS, type ReportId, type ReportInterval } from '../../contracts/reports';
import type { Channel } from '../../contracts/common';
import { useSession } from '../auth/session';
import { dayKey } from '../monitor/format';

// Relatórios' state lives in the URL (`/relatorios?report=agents&from=…&to=…&interval=hour…`), so a
// link shows the same report with the same filters.

export interface ReportFilters {
  report: ReportId | null;
  from: string;
  to: string;
  interval: ReportInterval | '';
  serviceId: string;
  channel: Channel | '';
  teamId: string;
  agentId: string;
}

const KEYS = ['from', 'to', 'interval', 'serviceId', 'channel', 'teamId', 'agentId'] as const;

/** A YYYY-MM-DD day moved by `days` (calendar arithmetic, no time zone involved). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

export const PRESETS = ['today', 'yesterday', 'last7', 'thisMonth', 'lastMonth'] as const;
export type Preset = (typeof PRESETS)[number];

/** The period of a preset, from today in the contact center's time zone. */
export function presetPeriod(p: Preset, today: string): { from: string; to: string } {
  const monthStart = `${today.slice(0, 7)}-01`;
  switch (p) {
    case 'today': return { from: today, to: today };
    case 'yesterday': return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'last7': return { from: addDays(today, -6), to: today };
    case 'thisMonth': return { from: monthStart, to: today };
    case 'lastMonth': {
      const lastDay = addDays(monthStart, -1);
      return { from: `${lastDay.slice(0, 7)}-01`, to: lastDay };
    }
  }
}

export function useToday(): string {
  const { settings } = useSession();
  return dayKey(Date.now(), settings.timezone);
}

export function useReportFilters(): { filters: ReportFilters; apply(next: Partial<ReportFilters>): void } {
  const [params, setParams] = useSearchParams();
  const today = useToday();
  const filters = useMemo<ReportFilters>(() => {
    const report = params.get('report');
    const interval = params.get('interval') ?? '';
    return {
      report: (REPORT_IDS as readonly string[]).includes(report ?? '') ? (report as ReportId) : null,
      from: params.get('from') ?? today,
      to: params.get('to') ?? params.get('from') ?? today,
      interval: (REPORT_INTERVALS as readonly string[]).includes(interval) ? (interval as ReportInterval) : '',
      serviceId: params.get('serviceId') ?? '',
      channel: (params.get('channel') ?? '') as Channel | '',
      teamId: params.get('teamId') ?? '',
      agentId: params.get('agentId') ?? '',
    };
  }, [params, today]);
  const apply = (next: Partial<ReportFilters>) => {
    const merged = { ...filters, ...next };
    setParams(() => {
      const out = new URLSearchParams();
      if (merged.report) out.set('report', merged.report);
      for (const k of KEYS) if (merged[k]) out.set(k, merged[k]);
      return out;
    });
  };
  return { filters, apply };
}
