import type { ReportRow } from '../../contracts/reports.js';
import { conversationsScope, SqlParams, type ReportContext, type ReportDefinition } from './definition.js';

// 10. Chamadas: the WebChat calls (audio and video, calls table) that rang in the period, per service
// and agent: offered, answered, missed, declined, failed, and the answered time (total and mean).
// A call still ringing or active counts as offered (and answered, once answered) but adds its
// seconds only when it ends.

const COUNTS = ['offered', 'answered', 'missed', 'declined', 'failed'] as const;
type Counts = Record<(typeof COUNTS)[number], number>;

async function run(ctx: ReportContext) {
  const q = new SqlParams();
  const { rows } = await ctx.db.query<{ service: string; agent: string | null; seconds: string | number; ended_answered: number } & Counts>(
    `SELECT s.name AS service, u.name AS agent,
            count(*)::int AS offered,
            count(*) FILTER (WHERE k.answered_at IS NOT NULL)::int AS answered,
            count(*) FILTER (WHERE k.state = 'missed')::int AS missed,
            count(*) FILTER (WHERE k.state = 'declined')::int AS declined,
            count(*) FILTER (WHERE k.state = 'failed')::int AS failed,
            coalesce(sum(k.audio_seconds + k.video_seconds) FILTER (WHERE k.answered_at IS NOT NULL AND k.state <> 'active'), 0)::bigint AS seconds,
            count(*) FILTER (WHERE k.answered_at IS NOT NULL AND k.state <> 'active')::int AS ended_answered
       FROM calls k JOIN conversations c ON c.id = k.conversation_id JOIN services s ON s.id = k.service_id
       LEFT JOIN users u ON u.id = k.agent_id
      WHERE k.ring_at >= ${q.p(ctx.period.start)} AND k.ring_at < ${q.p(ctx.period.end)} AND ${conversationsScope(ctx, q, 'c')}
      GROUP BY s.name, u.name
      ORDER BY s.name, u.name NULLS LAST`,
    q.list,
  );
  const total: ReportRow = { service: null, agent: null, ...Object.fromEntries(COUNTS.map((k) => [k, 0])), totalSeconds: 0, meanSeconds: null };
  let endedAnswered = 0;
  const list: ReportRow[] = rows.map((r) => {
    for (const k of COUNTS) total[k] = Number(total[k]) + r[k];
    total.totalSeconds = Number(total.totalSeconds) + Number(r.seconds);
    endedAnswered += r.ended_answered;
    return {
      service: r.service, agent: r.agent, ...Object.fromEntries(COUNTS.map((k) => [k, r[k]])),
      totalSeconds: Number(r.seconds), meanSeconds: r.ended_answered ? Number(r.seconds) / r.ended_answered : null,
    };
  });
  // weighted by call, never a mean of the rows' means
  total.meanSeconds = endedAnswered ? Number(total.totalSeconds) / endedAnswered : null;
  return { rows: list, total };
}

export const callsReport: ReportDefinition = {
  id: 'calls',
  title: { pt: 'Chamadas', en: 'Calls' },
  description: {
    pt: 'Chamadas de áudio e vídeo do WebChat por serviço e agente: oferecidas, atendidas, perdidas, recusadas, com falha e duração média',
    en: 'WebChat audio and video calls per service and agent: offered, answered, missed, declined, failed and mean duration',
  },
  usesInterval: false,
  filters: ['serviceId', 'teamId', 'agentId'],
  columns: [
    { key: 'service', label: { pt: 'Serviço', en: 'Service' }, kind: 'text' },
    { key: 'agent', label: { pt: 'Agente', en: 'Agent' }, kind: 'text', definition: { pt: 'o agente do atendimento na hora da chamada', en: 'the conversation’s agent at the time of the call' } },
    { key: 'offered', label: { pt: 'Oferecidas', en: 'Offered' }, kind: 'count', definition: { pt: 'chamadas que tocaram no período, de qualquer lado', en: 'calls that rang in the period, from either side' } },
    { key: 'answered', label: { pt: 'Atendidas', en: 'Answered' }, kind: 'count' },
    { key: 'missed', label: { pt: 'Perdidas', en: 'Missed' }, kind: 'count', definition: { pt: 'não atendidas: tempo esgotado, quem ligou desistiu ou o atendimento terminou', en: 'not answered: timed out, the caller gave up or the conversation ended' } },
    { key: 'declined', label: { pt: 'Recusadas', en: 'Declined' }, kind: 'count' },
    { key: 'failed', label: { pt: 'Com falha', en: 'Failed' }, kind: 'count', definition: { pt: 'sem permissão, sem dispositivo, sem conexão ou conexão perdida', en: 'no permission, no device, no connection or the connection dropped' } },
    { key: 'totalSeconds', label: { pt: 'Duração total', en: 'Total duration' }, kind: 'duration', definition: { pt: 'tempo atendido das chamadas encerradas (áudio + vídeo)', en: 'answered time of the ended calls (audio + video)' } },
    { key: 'meanSeconds', label: { pt: 'Duração média', en: 'Mean duration' }, kind: 'duration', definition: { pt: 'duração total ÷ chamadas atendidas encerradas', en: 'total duration ÷ answered calls that ended' } },
  ],
  chart: { type: 'bar', category: 'agent', series: ['answered', 'missed', 'declined', 'failed'] },
  run,
};
