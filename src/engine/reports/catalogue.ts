import type { ReportId } from '../../contracts/reports.js';
import { agentsReport } from './agents.js';
import type { ReportDefinition } from './definition.js';
import { intervalsReport } from './intervals.js';
import { pausesReport } from './pauses.js';

// Relatórios: every report, in the catalogue's order (contracts/reports.ts REPORT_IDS). One line each.

export const REPORTS: ReadonlyMap<ReportId, ReportDefinition> = new Map(
  ([
    intervalsReport,
    agentsReport,
    pausesReport,
  ] as ReportDefinition[]).map((r) => [r.id, r]),
);
