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
