import type { Database } from '../db/database.js';
import type { MenuStep } from '../core/bot-flow.js';
import { SAMPLE_FLOW_PT_BR } from '../core/bot-flow-sample.js';
import { renderText } from '../core/bot-flow-text.js';
import { localDay } from './protocol.js';

/** The demo flow's main menu, as the bot stage sends it (its numbered text, its options in the payload). */
const MAIN_MENU = SAMPLE_FLOW_PT_BR.steps.menu_principal as MenuStep;
const MENU = { text: MAIN_MENU.text, options: MAIN_MENU.options.map((o) => ({ id: o.id, label: o.label })) };

// The demo's past: the last N days (default 30) of finished work on the demo contact center, so that
// Indicadores, Relatórios, Consultas and Monitorar "dia anterior" have something to show on the first
// start. Written with set-based SQL in one transaction (a few seconds on PGlite), with every column the
// engine itself stamps kept consistent: created → bot → queued → assigned → first answer → finished,
// the state history of each conversation, its messages, and the agents' shifts and pauses. Days before
// today only: today belongs to the live simulator.

/** Conversations a weekday brings to each demo service (Saturdays about half, Sundays a quarter). */
const VOLUME: Record<string, { perDay: number; handleMin: [number, number] }> = {
  'WebChat Site': { perDay: 60, handleMin: [3, 9] },
  'WhatsApp Atendimento': { perDay: 80, handleMin: [4, 12] },
  'WhatsApp Financeiro': { perDay: 40, handleMin: [5, 12] },
  'Instagram Direct': { perDay: 25, handleMin: [3, 8] },
  'Facebook Messenger': { perDay: 15, handleMin: [3, 8] },
  'Telegram Suporte': { perDay: 15, handleMin: [6, 15] },
  'SMS Cobrança': { perDay: 10, handleMin: [2, 6] },
  'E-mail SAC': { perDay: 15, handleMin: [8, 25] },
  'E-mail Ouvidoria': { perDay: 5, handleMin: [15, 40] },
  'API Parceiros': { perDay: 10, handleMin: [4, 10] },
};

const OPENERS = ['Olá, preciso da segunda via do meu boleto', 'Boa tarde! Meu pedido ainda não chegou', 'Quero cancelar minha assinatura',
  'Não consigo acessar minha conta', 'Gostaria de saber o status do meu protocolo', 'O aplicativo está dando erro ao pagar',
  'Vocês têm o produto em estoque?', 'Fui cobrado duas vezes este mês', 'Como faço para trocar um produto?', 'Qual o prazo de entrega para o meu CEP?'];
const CUSTOMER = ['Ok, obrigado', 'Meu CPF é 123.456.789-09', 'Pode verificar, por favor?', 'Entendi', 'Certo, aguardo', 'Isso mesmo', 'Perfeito, resolveu!',
  'O número do pedido é 48213', 'Ainda não recebi', 'Obrigada pela ajuda'];
const AGENT = ['Olá! Vou verificar isso para você, um instante.', 'Pode me confirmar o CPF do titular, por favor?', 'Encontrei aqui. Já estou resolvendo.',
  'Prontinho, a solicitação foi registrada.', 'Enviei as informações para o seu e-mail cadastrado.', 'Posso ajudar em algo mais?',
  'Obrigado pelo contato, tenha um ótimo dia!'];
const FIRST = ['Ana', 'Beatriz', 'Carlos', 'Daniela', 'Eduardo', 'Fernanda', 'Gustavo', 'Helena', 'Igor', 'Juliana', 'Lucas', 'Mariana', 'Nicolas',
  'Patrícia', 'Rafael', 'Sofia', 'Thiago', 'Vitória', 'João', 'Camila'];
const LAST = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Pereira', 'Costa', 'Rodrigues', 'Almeida', 'Nascimento', 'Lima', 'Araújo', 'Ferreira', 'Gomes', 'Ribeiro'];

export interface DemoHistoryResult {
  days: number;
  conversations: number;
  messages: number;
}

/**
 * Writes the past `days` days (before today in `timeZone`) of the demo services' work. Does nothing
 * (0 conversations) when a conversation already exists before today: it is written once, with the seed.
 */
export async function seedDemoHistory(db: Database, opts: { days: number; timeZone: string; now: Date; seed?: number }): Promise<DemoHistoryResult> {
  const today = localDay(opts.now, opts.timeZone);
  return db.transaction(async (tx) => {
    const tz = opts.timeZone;
    const start = `(($1::date)::timestamp AT TIME ZONE $2::text)`;
    const before = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE created_at < ${start}`, [today, tz]);
    if (before.rows[0].n > 0) return { days: opts.days, conversations: 0, messages: 0 };
    const { rows: services } = await tx.query<{ id: string; name: string; channel: string }>('SELECT id, name, channel FROM services WHERE active AND name = ANY($1::text[])', [
      Object.keys(VOLUME),
    ]);
    if (!services.length) return { days: opts.days, conversations: 0, messages: 0 };
    const svc = services.map((s) => ({ ...s, ...VOLUME[s.name] }));
    await tx.query('SELECT setseed($1)', [opts.seed ?? 0.2026]);
    await tx.query(
      `CREATE TEMP TABLE dh_svc ON COMMIT DROP AS
       SELECT s.id AS service_id, s.channel, v.per_day, v.hmin, v.hmax,
              s.channel IN ('webchat', 'whatsapp', 'instagram', 'facebook', 'telegram', 'sms') AS bot,
              -- two shifts: 07:00–15:00 (the first half of the agents by id) and 13:00–21:00
              (SELECT array_agg(a ORDER BY a) FROM (SELECT DISTINCT ta.user_id AS a FROM service_teams st JOIN team_agents ta ON ta.team_id = st.team_id
                  JOIN users u ON u.id = ta.user_id WHERE st.service_id = s.id AND u.active AND u.agent_enabled) x) AS agents,
              (SELECT array_agg(c.id ORDER BY c.code) FROM classifications c WHERE c.active AND (c.service_ids IS NULL OR s.id = ANY(c.service_ids))) AS classes
         FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[]) AS v(id, per_day, hmin, hmax) JOIN services s ON s.id = v.id`,
      [svc.map((s) => s.id), svc.map((s) => s.perDay), svc.map((s) => s.handleMin[0]), svc.map((s) => s.handleMin[1])],
    );
    // each agent's shift: the early one (about 06:50–15:10) or the late one (12:50–21:10), every day
    await tx.query(
      `CREATE TEMP TABLE dh_agent ON COMMIT DROP AS
       -- alternating within each team, so that every team has someone on each shift
       SELECT a.user_id, (row_number() OVER (PARTITION BY a.team_id ORDER BY a.user_id)) % 2 = 1 AS early
         FROM (SELECT x.user_id, (SELECT min(ta.team_id::text) FROM team_agents ta WHERE ta.user_id = x.user_id) AS team_id
                 FROM (SELECT DISTINCT unnest(agents) AS user_id FROM dh_svc) x) a`,
    );
    // contacts: a pool the conversations draw from (some customers come back)
    await tx.query(
      `CREATE TEMP TABLE dh_contact ON COMMIT DROP AS
       SELECT n, gen_random_uuid() AS id,
              ($1::text[])[1 + floor(random() * array_length($1::text[], 1))::int] || ' ' || ($2::text[])[1 + floor(random() * array_length($2::text[], 1))::int] AS name,
              '+55' || (11 + floor(random() * 80)::int)::text || '9' || lpad(floor(random() * 100000000)::int::text, 8, '0') AS phone
         FROM generate_series(1, 4000) n`,
      [FIRST, LAST],
    );
    await tx.query(
      `INSERT INTO contacts (id, name, phone, email, created_at, updated_at)
       SELECT id, name, phone, 'cliente' || n || '@exemplo.com.br', $1, $1 FROM dh_contact`,
      [new Date(opts.now.getTime() - (opts.days + 1) * 86_400_000)],
    );

    // the conversations, each with its stage times drawn from the hour's load
    await tx.query(
      `CREATE TEMP TABLE dh_conv ON COMMIT DROP AS
       WITH days AS (
         SELECT ($1::date - d) AS day, (($1::date - d)::timestamp AT TIME ZONE $2::text) AS day_start, extract(isodow FROM $1::date - d)::int AS dow
           FROM generate_series(1, $3::int) d),
       n AS (
         SELECT days.*, s.*, g FROM days CROSS JOIN dh_svc s
          CROSS JOIN LATERAL generate_series(1, greatest(1, round(s.per_day * CASE days.dow WHEN 7 THEN 0.25 WHEN 6 THEN 0.55 ELSE 1 END * (0.8 + random() * 0.4)))::int) g),
       t AS (
         -- arrivals between 07:00 and 21:00, most around mid-day
         SELECT n.*, n.day_start + interval '7 hours' + ((random() + random() + random()) / 3) * interval '14 hours' AS created_at,
                random() AS r_bot, random() AS r_fate, random() AS r_wait, random() AS r_handle, random() AS r_out, random() AS r_agent,
                1 + floor(random() * 4000)::int AS contact_n
           FROM n)
       SELECT gen_random_uuid() AS id, t.*,
              -- busier hours wait longer
              CASE WHEN extract(hour FROM t.created_at AT TIME ZONE $2::text) IN (10, 11, 14, 15, 16) THEN 2.5 ELSE 1 END AS load
         FROM t`,
      [today, tz, opts.days],
    );
    await tx.query(`
      CREATE TEMP TABLE dh_f ON COMMIT DROP AS
      SELECT c.*, b.bot_started_at, b.bot_ended_at, b.fate, q.queued_at, w.wait, (c.hmin + c.r_handle * (c.hmax - c.hmin)) * interval '1 minute' AS handle,
             CASE WHEN cardinality(c.classes) > 0 THEN c.classes[1 + floor(c.r_handle * 991)::int % cardinality(c.classes)] END AS class_id
        FROM dh_conv c
        CROSS JOIN LATERAL (SELECT
               CASE WHEN c.bot THEN c.created_at END AS bot_started_at,
               CASE WHEN c.bot THEN c.created_at + (20 + c.r_bot * 100) * interval '1 second' END AS bot_ended_at,
               CASE WHEN c.bot AND c.r_fate < 0.10 THEN 'bot_done'
                    WHEN c.bot AND c.r_fate < 0.13 THEN 'bot_gave_up'
                    WHEN c.channel <> 'email' AND c.r_fate < 0.20 THEN 'abandoned'
                    ELSE 'answered' END AS fate) b
        CROSS JOIN LATERAL (SELECT CASE WHEN b.fate IN ('bot_done', 'bot_gave_up') THEN NULL ELSE coalesce(b.bot_ended_at, c.created_at) END AS queued_at) q
        CROSS JOIN LATERAL (SELECT CASE
               WHEN c.channel = 'email' THEN least(-ln(1 - c.r_wait * 0.999) * 3 * 3600, 40 * 3600) * interval '1 second'
               WHEN b.fate = 'abandoned' THEN (2 + c.r_wait * 180 * c.load) * interval '1 second'
               ELSE least(-ln(1 - c.r_wait * 0.999) * 40 * c.load, 1500) * interval '1 second' END AS wait) w`);
    // who answered: one of the service's agents on shift at that hour (an e-mail answered at night
    // waits for the next shift's start)
    await tx.query(
      `CREATE TEMP TABLE dh_a ON COMMIT DROP AS
       SELECT f.*, x.assigned_at, x.agent_id
         FROM dh_f f
         LEFT JOIN LATERAL (
           SELECT at AS assigned_at,
                  (SELECT a.user_id FROM unnest(f.agents) AS u(id) JOIN dh_agent a ON a.user_id = u.id
                    WHERE (a.early AND h.h >= 7 AND h.h < 15) OR (NOT a.early AND h.h >= 13 AND h.h < 21)
                    ORDER BY md5(a.user_id::text || f.id::text) LIMIT 1) AS agent_id
             FROM (SELECT CASE WHEN ((f.queued_at + f.wait) AT TIME ZONE $1::text)::date
                                      + CASE WHEN extract(hour FROM (f.queued_at + f.wait) AT TIME ZONE $1::text) >= 21 THEN 1 ELSE 0 END >= $2::date
                               -- the last night before today: answered before the late shift leaves
                               THEN greatest(f.queued_at + interval '1 minute', (((f.queued_at AT TIME ZONE $1::text)::date)::timestamp + interval '20 hours 40 minutes') AT TIME ZONE $1::text)
                               WHEN extract(hour FROM (f.queued_at + f.wait) AT TIME ZONE $1::text) >= 21
                               THEN ((((f.queued_at + f.wait) AT TIME ZONE $1::text)::date + 1)::timestamp + interval '7 hours 5 minutes') AT TIME ZONE $1::text
                               WHEN extract(hour FROM (f.queued_at + f.wait) AT TIME ZONE $1::text) < 7
                               THEN ((((f.queued_at + f.wait) AT TIME ZONE $1::text)::date)::timestamp + interval '7 hours 5 minutes') AT TIME ZONE $1::text
                               ELSE f.queued_at + f.wait END AS at) t
             CROSS JOIN LATERAL (SELECT extract(hour FROM t.at AT TIME ZONE $1::text)::int AS h) h
         ) x ON f.fate = 'answered'`,
      [tz, today],
    );
    // a service no agent on shift serves loses those customers to abandonment
    await tx.query(`UPDATE dh_a SET fate = 'abandoned', assigned_at = NULL WHERE fate = 'answered' AND agent_id IS NULL`);
    await tx.query(`
      CREATE TEMP TABLE dh_final ON COMMIT DROP AS
      SELECT f.*,
             CASE f.fate
               WHEN 'bot_done' THEN 'completed' WHEN 'bot_gave_up' THEN 'customer_gave_up'
               WHEN 'abandoned' THEN CASE WHEN f.channel = 'webchat' THEN 'abandoned' ELSE 'customer_gave_up' END
               ELSE CASE WHEN f.r_out < 0.88 THEN 'completed' WHEN f.r_out < 0.92 THEN 'cancelled' WHEN f.r_out < 0.98 THEN 'inactive_in_service' ELSE 'connection_lost' END
             END AS state,
             CASE f.fate WHEN 'bot_done' THEN 'bot' WHEN 'answered' THEN CASE WHEN f.r_out < 0.92 THEN 'agent' ELSE 'system' END
               ELSE CASE WHEN f.channel = 'webchat' AND f.fate = 'abandoned' THEN 'customer' ELSE 'system' END END AS finished_by,
             CASE f.fate
               WHEN 'bot_done' THEN f.bot_ended_at
               WHEN 'bot_gave_up' THEN f.bot_ended_at + interval '10 minutes'
               WHEN 'abandoned' THEN f.queued_at + f.wait
               ELSE f.assigned_at + f.handle END AS finished_at,
             CASE WHEN f.fate = 'answered' THEN f.assigned_at + (8 + f.r_bot * 50) * interval '1 second' END AS first_agent_message_at,
             CASE WHEN f.fate = 'answered' THEN 2 + floor(f.r_handle * 4)::int ELSE 0 END AS exchanges,
             to_char(f.day, 'YYYYMMDD') || lpad(row_number() OVER (PARTITION BY f.day ORDER BY f.created_at)::text, 6, '0') AS protocol
        FROM dh_a f`);

    // identities: one per contact and channel used
    await tx.query(`INSERT INTO contact_identities (contact_id, channel, external_id, display_name, created_at)
      SELECT k.id, x.channel,
             CASE x.channel WHEN 'whatsapp' THEN substr(k.phone, 2) WHEN 'sms' THEN k.phone WHEN 'email' THEN 'cliente' || k.n || '@exemplo.com.br'
               ELSE 'demo-' || x.channel || '-' || k.n END, k.name, x.first_at
        FROM (SELECT contact_n, channel, min(created_at) AS first_at FROM dh_final GROUP BY contact_n, channel) x JOIN dh_contact k ON k.n = x.contact_n
      ON CONFLICT (channel, external_id) DO NOTHING`);

    const conversations = await tx.query(
      `INSERT INTO conversations (id, protocol, service_id, entry_service_id, channel, contact_id, state, agent_id, subject,
         created_at, bot_started_at, bot_ended_at, queued_at, first_queued_at, assigned_at, first_assigned_at, first_agent_message_at,
         last_customer_message_at, last_agent_message_at, last_message_at, last_message_from, finished_at, finished_by, classification_id, transfer_count, version, wrapup)
       SELECT f.id, f.protocol, f.service_id, f.service_id, f.channel, k.id, f.state, f.agent_id,
              CASE WHEN f.channel = 'email' THEN ($1::text[])[1 + floor(f.r_wait * 997)::int % array_length($1::text[], 1)] END,
              f.created_at, f.bot_started_at, f.bot_ended_at, f.queued_at, f.queued_at, f.assigned_at, f.assigned_at, f.first_agent_message_at,
              CASE WHEN f.fate = 'answered' THEN f.finished_at - f.handle / (f.exchanges + 1) ELSE f.created_at END,
              CASE WHEN f.fate = 'answered' THEN f.finished_at - interval '20 seconds' END,
              CASE WHEN f.fate = 'answered' THEN f.finished_at - interval '20 seconds' ELSE coalesce(f.bot_ended_at, f.created_at) END,
              CASE WHEN f.fate = 'answered' THEN 'agent' WHEN f.bot THEN 'bot' ELSE 'customer' END,
              f.finished_at, f.finished_by, CASE WHEN f.fate = 'answered' THEN f.class_id END,
              CASE WHEN f.fate = 'answered' AND f.r_fate > 0.95 THEN 1 ELSE 0 END, 1,
              -- the service's wrap-up form, filled in on 4 of 5 completed conversations (a note on a quarter)
              CASE WHEN f.fate = 'answered' AND f.state = 'completed' AND f.r_handle < 0.8 THEN (
                SELECT jsonb_object_agg(w.key, CASE w.type WHEN 'select' THEN w.options -> floor(f.r_agent * jsonb_array_length(w.options))::int
                                                           WHEN 'boolean' THEN to_jsonb(f.r_out < 0.75) WHEN 'number' THEN to_jsonb(1 + floor(f.r_wait * 9)::int)
                                                           ELSE to_jsonb('Cliente orientado; protocolo informado'::text) END)
                  FROM wrapup_fields w WHERE w.service_id = f.service_id AND (w.type <> 'text' OR f.r_wait < 0.25)) END
         FROM dh_final f JOIN dh_contact k ON k.n = f.contact_n`,
      [OPENERS.slice(0, 6)],
    );
    await tx.query(`INSERT INTO protocol_sequences (day, last) SELECT day, count(*) FROM dh_final GROUP BY day
      ON CONFLICT (day) DO UPDATE SET last = greatest(protocol_sequences.last, excluded.last)`);

    // the state history, as the transitions write it: one row per state, the last one left open
    await tx.query(`INSERT INTO conversation_state_history (conversation_id, state, service_id, agent_id, actor, reason, started_at, ended_at)
      SELECT f.id, 'bot'::text, f.service_id, NULL::uuid, 'system'::text, 'created'::text, f.created_at, coalesce(f.queued_at, f.finished_at) FROM dh_final f WHERE f.bot
      UNION ALL
      SELECT f.id, 'queued', f.service_id, NULL, CASE WHEN f.bot THEN 'bot' ELSE 'system' END, CASE WHEN f.bot THEN 'bot_transfer' ELSE 'created' END,
             f.queued_at, coalesce(f.assigned_at, f.finished_at) FROM dh_final f WHERE f.queued_at IS NOT NULL
      UNION ALL
      SELECT f.id, 'in_service', f.service_id, f.agent_id, 'system', 'assigned', f.assigned_at, f.finished_at FROM dh_final f WHERE f.assigned_at IS NOT NULL
      UNION ALL
      SELECT f.id, f.state, f.service_id, f.agent_id, f.finished_by, 'finished', f.finished_at, NULL::timestamptz FROM dh_final f`);

    // messages: the customer's opening, the bot's menu and answer, the protocol, then the exchange
    const messages = await tx.query(
      `INSERT INTO messages (conversation_id, channel, author_type, author_id, body, payload, content_type, delivery_status, sent_at, delivered_at, read_at, created_at)
       SELECT m.conversation_id, m.channel, m.author_type, m.author_id, m.body, m.payload, 'text', m.delivery_status,
              CASE WHEN m.delivery_status IS NOT NULL THEN m.at END, CASE WHEN m.delivery_status IS NOT NULL THEN m.at + interval '1 second' END,
              CASE WHEN m.delivery_status = 'read' THEN m.at + interval '20 seconds' END, m.at
         FROM (
           SELECT f.id AS conversation_id, f.channel, 'customer'::text AS author_type, NULL::uuid AS author_id,
                  ($1::text[])[1 + floor(f.r_bot * 9973)::int % array_length($1::text[], 1)] AS body, NULL::jsonb AS payload, NULL::text AS delivery_status, f.created_at AS at FROM dh_final f
           UNION ALL
           SELECT f.id, f.channel, 'system', NULL, 'Seu atendimento foi registrado com o protocolo ' || f.protocol || '.', NULL, 'delivered', f.created_at + interval '1 second' FROM dh_final f
           UNION ALL
           SELECT f.id, f.channel, 'bot', NULL, $4::text, $5::jsonb, 'delivered', f.created_at + interval '2 seconds'
             FROM dh_final f WHERE f.bot
           UNION ALL
           SELECT f.id, f.channel, 'customer', NULL,
                  CASE WHEN f.fate = 'bot_done' THEN (ARRAY['1', 'Financeiro', 'financeiro'])[1 + floor(f.r_out * 3)::int]
                       ELSE (ARRAY['2', '4', 'Falar com atendente', 'suporte técnico', '4'])[1 + floor(f.r_out * 5)::int] END, NULL, NULL::text, f.bot_ended_at - interval '3 seconds'
             FROM dh_final f WHERE f.bot AND f.fate <> 'bot_gave_up'
           UNION ALL
           SELECT f.id, f.channel, 'bot', NULL, CASE WHEN f.fate = 'bot_done' THEN 'A segunda via foi enviada para o seu e-mail. Obrigado pelo contato!'
                    ELSE 'Certo! Vou transferir você para um dos nossos atendentes.' END, NULL, 'delivered', f.bot_ended_at
             FROM dh_final f WHERE f.bot AND f.fate <> 'bot_gave_up'
           UNION ALL
           SELECT f.id, f.channel, x.author, CASE WHEN x.author = 'agent' THEN f.agent_id END,
                  CASE WHEN x.author = 'agent' THEN ($2::text[])[least(x.k, array_length($2::text[], 1))] ELSE ($3::text[])[1 + (x.k * 7 + floor(f.r_out * 97)::int) % array_length($3::text[], 1)] END,
                  NULL, CASE WHEN x.author = 'agent' THEN 'read' END::text, x.at
             FROM dh_final f
             CROSS JOIN LATERAL (
               SELECT k, a.author, f.first_agent_message_at + (k - 1) * step + CASE WHEN a.author = 'customer' THEN step / 2 ELSE interval '0' END AS at
                 FROM generate_series(1, f.exchanges) k
                 CROSS JOIN (SELECT ((f.finished_at - interval '20 seconds') - f.first_agent_message_at) / f.exchanges AS step) s
                 CROSS JOIN (VALUES ('agent'), ('customer')) a(author)
                WHERE a.author = 'agent' OR k < f.exchanges) x
            WHERE f.fate = 'answered'
           UNION ALL
           SELECT f.id, f.channel, 'agent', f.agent_id, ($2::text[])[array_length($2::text[], 1)], NULL, 'read', f.finished_at - interval '20 seconds'
             FROM dh_final f WHERE f.fate = 'answered'
         ) m`,
      [OPENERS, AGENT.slice(0, -1), CUSTOMER, renderText(MENU), JSON.stringify({ options: MENU.options })],
    );
    // the option each answer chose, as the bot stage records it live (migration 0038's matching)
    await tx.query('SELECT bot_choices_backfill()');

    // the agents' day: logged in for their shift, in service while they held a conversation,
    // paused for a coffee, lunch and the bathroom where they were free, available otherwise
    await tx.query(
      `CREATE TEMP TABLE dh_shift ON COMMIT DROP AS
       SELECT a.user_id, ((($1::date - d)::timestamp + CASE WHEN a.early THEN interval '6 hours 45 minutes' ELSE interval '12 hours 45 minutes' END
                 + (random() * 10) * interval '1 minute') AT TIME ZONE $2::text) AS login_at
         FROM dh_agent a CROSS JOIN generate_series(1, $3::int) d`,
      [today, tz, opts.days],
    );
    await tx.query(`ALTER TABLE dh_shift ADD COLUMN logout_at timestamptz`);
    await tx.query(`UPDATE dh_shift SET logout_at = login_at + interval '8 hours 20 minutes'`);
    // busy islands: the union of each agent's [assigned, finished] intervals within the shift
    await tx.query(`
      CREATE TEMP TABLE dh_busy ON COMMIT DROP AS
      WITH iv AS (
        SELECT s.user_id, s.login_at, greatest(f.assigned_at, s.login_at) AS b, least(f.finished_at, s.logout_at) AS e
          FROM dh_final f JOIN dh_shift s ON s.user_id = f.agent_id AND f.assigned_at < s.logout_at AND f.finished_at > s.login_at
         WHERE f.assigned_at IS NOT NULL),
      marked AS (
        SELECT iv.*, CASE WHEN b <= max(e) OVER (PARTITION BY user_id, login_at ORDER BY b, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS starts
          FROM iv),
      grouped AS (SELECT marked.*, sum(starts) OVER (PARTITION BY user_id, login_at ORDER BY b, e) AS island FROM marked)
      SELECT user_id, login_at, min(b) AS b, max(e) AS e FROM grouped GROUP BY user_id, login_at, island`);
    // pauses at the planned times, kept only where the agent was free
    await tx.query(
      `CREATE TEMP TABLE dh_pause ON COMMIT DROP AS
       SELECT p.user_id, p.login_at, p.b, p.b + p.len AS e, p.reason_id
         FROM (
           SELECT s.user_id, s.login_at, s.login_at + x.off + (random() * 20) * interval '1 minute' AS b, x.len, r.id AS reason_id
             FROM dh_shift s
             CROSS JOIN (VALUES (interval '2 hours', interval '15 minutes', 'Descanso'), (interval '4 hours', interval '60 minutes', 'Almoço'),
                                (interval '6 hours', interval '6 minutes', 'Banheiro'), (interval '7 hours', interval '15 minutes', 'Descanso')) x(off, len, reason)
             JOIN pause_reasons r ON r.name = x.reason
           ) p
        WHERE NOT EXISTS (SELECT 1 FROM dh_busy k WHERE k.user_id = p.user_id AND k.login_at = p.login_at AND k.b < p.b + p.len AND k.e > p.b)`,
    );
    await tx.query(`INSERT INTO agent_state_history (user_id, state, pause_reason_id, started_at, ended_at)
      WITH segs AS (
        SELECT user_id, login_at, b, e, 'in_service'::text AS state, NULL::uuid AS reason_id FROM dh_busy
        UNION ALL SELECT user_id, login_at, b, e, 'paused', reason_id FROM dh_pause),
      ordered AS (
        SELECT segs.*, lag(e) OVER (PARTITION BY user_id, login_at ORDER BY b) AS prev_e FROM segs),
      gaps AS (
        SELECT user_id, coalesce(prev_e, login_at) AS b, b AS e FROM ordered WHERE b > coalesce(prev_e, login_at)
        UNION ALL
        SELECT s.user_id, coalesce(max(o.e), s.login_at), s.logout_at FROM dh_shift s LEFT JOIN segs o ON o.user_id = s.user_id AND o.login_at = s.login_at
         GROUP BY s.user_id, s.login_at, s.logout_at HAVING coalesce(max(o.e), s.login_at) < s.logout_at)
      SELECT user_id, state, reason_id, b, e FROM segs
      UNION ALL SELECT user_id, 'available', NULL, b, e FROM gaps`);
    return { days: opts.days, conversations: conversations.rowCount, messages: messages.rowCount };
  });
}
