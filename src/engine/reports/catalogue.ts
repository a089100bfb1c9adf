import type { ReportId } from '../../contracts/reports.js';
import { abandonmentReport } from './abandonment.js';
import { agentsReport } from './agents.js';
import { botReport } from './bot.js';
import { classificationsReport } from './classifications.js';
import type { ReportDefinition } from './definition.js';
import { emailReport } from './email.js';
import { intervalsReport } from './intervals.js';
import { outboundReport } from './outbound.js';
import { pausesReport } from './pauses.js';
import { sessionsReport } from './sessions.js';
import { callsReport } from './calls.js';

// Relatórios: every report, in the catalogue's order (contracts/reports.ts REPORT_IDS). One line each.

export const REPORTS: ReadonlyMap<ReportId, ReportDefinition> = new Map(
  ([
    intervalsReport,
    agentsReport,
    pausesReport,
    classificationsReport,
    abandonmentReport,
    botReport,
    emailReport,
    sessionsReport,
    outboundReport,
    callsReport,
  ] as ReportDefinition[]).map((r) => [r.id, r]),
);
