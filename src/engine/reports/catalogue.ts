import type { ReportId } from '../../contracts/reports.js';
import type { ReportDefinition } from './definition.js';

// Relatórios: every report, in the catalogue's order (contracts/reports.ts REPORT_IDS). One line each.

export const REPORTS: ReadonlyMap<ReportId, ReportDefinition> = new Map(
  ([] as ReportDefinition[]).map((r) => [r.id, r]),
);
