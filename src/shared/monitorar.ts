// Monitorar's views and periods (GET /api/monitor/conversations), as plain constants the server's
// contract and the web app both read.

/** Status, Serviço, Agentes and Detalhes (grouped by channel). */
export const MONITORAR_VIEWS = ['status', 'service', 'agent', 'channel'] as const;
export type MonitorarViewName = (typeof MONITORAR_VIEWS)[number];

/** Em andamento (every open conversation, whatever its day), Todos do dia, Dia anterior. */
export const MONITORAR_PERIODS = ['open', 'today', 'yesterday'] as const;
export type MonitorarPeriodName = (typeof MONITORAR_PERIODS)[number];

/** The group of conversations without an agent in the agent view (Sem agente). */
export const NO_AGENT_KEY = 'none';

/** The most rows one page of a group may hold. */
export const MONITORAR_MAX_LIMIT = 200;
