// The lookback benchmark's data: an operation of 13 months written with set-based SQL only
// (generate_series, INSERT … SELECT), after the project's migrations. See bench/lookback.ts.
//
// 100 departments, 200 services over the channels, 2,000 agents (20 per department), 20
// supervisors, 40 classifications, contacts with names, phones, e-mails and a WhatsApp identity,
// N conversations (20,000 of them today) with every stage's timestamp in order (bot, queued,
// assigned, finished), each in a state with a plausible share, and 4 to 16 messages each (10 on
// average) from the customer, the bot and the agent. Agents work 5 days of 7 (state history with
// pauses, sign-ins, connection losses) and 1 finished conversation in 25 was transferred; their
// presence today follows what they hold. One conversation in five is active (outbound): an agent's
// WhatsApp template to a customer on a past day, delivered, read, failed or unanswered, answered by 40%
// of those delivered. The bot's conversations carry its menu (options in the payload, as the bot stage
// writes them) answered by the customer by number, label or a sentence (or not understood), and the
// step they gave up at; 3 in 5 of the conversations agents finished carry wrap-up answers (a select, a
// yes/no and a free text) of the service's wrap-up fields.

export interface SeedSize {
  conversations: number;
  today: number;
  contacts: number;
  days: number;
}

export const SERVICES = 200;
export const TEAMS = 100;
export const AGENTS = 2_000;
export const SUPERVISORS = 20;
export const CLASSIFICATIONS = 40;

const FIRST = ['Ana', 'João', 'Maria', 'Pedro', 'Luiza', 'Carlos', 'Juliana', 'Rafael', 'Fernanda', 'Lucas', 'Beatriz', 'Gabriel', 'Camila', 'Bruno', 'Larissa',
  'Thiago', 'Patrícia', 'Felipe', 'Aline', 'Rodrigo', 'Mariana', 'Diego', 'Vanessa', 'Gustavo', 'Letícia', 'André', 'Bianca', 'Marcelo', 'Tatiana', 'Eduardo',
  'Renata', 'Vinícius', 'Priscila', 'Leonardo', 'Sabrina', 'Fábio', 'Débora', 'Ricardo', 'Cláudia', 'Mateus'];
const LAST = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho',
  'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa', 'Rocha', 'Dias', 'Nascimento', 'Andrade', 'Moreira', 'Nunes', 'Marques', 'Machado', 'Mendes',
  'Freitas', 'Cardoso', 'Ramos', 'Gonçalves', 'Santana', 'Teixeira', 'Araújo', 'Pinto', 'Correia', 'Cavalcanti', 'Monteiro'];
const TOPICS = ['Segunda via de boleto', 'Suporte técnico', 'Vendas', 'Ouvidoria', 'Financeiro', 'Cancelamento', 'Entregas', 'Cadastro', 'Cobrança', 'Pós-venda'];
// 8 slots: WhatsApp twice (the busiest channel in Brazil); API left out
const CHANNELS = ['webchat', 'whatsapp', 'whatsapp', 'instagram', 'facebook', 'telegram', 'email', 'sms'];
const CLASSES = ['Dúvida resolvida', 'Boleto enviado', 'Reclamação registrada', 'Venda realizada', 'Troca solicitada', 'Cancelamento efetuado',
  'Encaminhado ao financeiro', 'Problema técnico resolvido', 'Cliente sem retorno', 'Informação de entrega'];
const CUSTOMER = ['Olá, bom dia', 'Preciso da segunda via do boleto', 'Meu pedido ainda não chegou', 'Quero cancelar minha assinatura',
  'A internet caiu de novo', 'Qual o prazo de entrega?', 'Obrigado!', 'Pode verificar por favor?', 'Meu CPF é o mesmo do cadastro', 'Boa tarde, tudo bem?',
  'Fui cobrado duas vezes', 'Quero falar com um atendente', 'Ok, aguardo', 'Não recebi o código de rastreio', 'Consegui, muito obrigado'];
const AGENT = ['Olá! Sou do atendimento, como posso ajudar?', 'Um momento, por favor, vou verificar', 'Já enviei a segunda via para o seu e-mail',
  'Seu pedido está em rota de entrega', 'Pode me informar o número do pedido?', 'Verifiquei aqui e a cobrança foi estornada',
  'Posso ajudar em algo mais?', 'Obrigado pelo contato, tenha um ótimo dia', 'Vou encaminhar ao setor responsável', 'Protocolo registrado'];
const BOT = ['Olá! Escolha uma opção: 1 Financeiro, 2 Suporte, 3 Falar com atendente', 'Digite o seu CPF, por favor', 'Transferindo para um atendente.',
  'Não entendi, pode repetir?', 'Obrigado, até logo.'];
const MOTIVES = ['Dúvida', 'Reclamação', 'Solicitação', 'Elogio', 'Cancelamento', 'Informação'];
const TEMPLATES = ['boas_vindas', 'lembrete_boleto', 'pesquisa_satisfacao', 'confirmacao_pedido', 'aviso_entrega', 'renegociacao'];
// the customer's answer to the bot's menu (1 Financeiro, 2 Suporte, 3 Falar com atendente): by number, by
// label, inside a sentence, and one the bot does not understand
const MENU_ANSWERS = ['1', '2', '3', 'Financeiro', 'suporte', 'Quero falar com atendente', '2', 'não sei'];
const BOT_STEPS = ['menu', 'cpf', 'menu', 'confirmacao'];
const SUBJECTS = ['Segunda via', 'Reclamação de cobrança', 'Pedido 48213 atrasado', 'Cancelamento de contrato', 'Dúvida sobre fatura', 'Alteração cadastral'];

const arr = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]::text[]`;

/** Each step of the seeding: a label and its SQL (one or more statements). */
export function seedSteps(size: SeedSize, timeZone: string): { label: string; sql: string }[] {
  const { conversations: N, today: TODAY, contacts: C, days: DAYS } = size;
  // the active (outbound) conversations: the last fifth of the numbers, on past days
  const OUT = Math.round(N / 5);
  const IN = N - OUT;
  const tz = `'${timeZone}'`;
  const todayStart = `((now() AT TIME ZONE ${tz})::date::timestamp AT TIME ZONE ${tz})`;
  const steps: { label: string; sql: string }[] = [];
  steps.push({
    label: 'catalog (departments, services, agents, supervisors, classifications)',
    sql: `
      SELECT setseed(0.2026);
      INSERT INTO teams (name, max_chat, max_email) SELECT 'Departamento ' || lpad(t::text, 3, '0'), 3 + t % 3, 5 FROM generate_series(1, ${TEAMS}) t;
      CREATE TEMP TABLE lb_team AS SELECT substr(name, 14)::int AS idx, id FROM teams WHERE name LIKE 'Departamento %';
      INSERT INTO services (name, key, channel, service_level_seconds, tma_goal_seconds)
        SELECT (${arr(TOPICS)})[1 + s % 10] || ' ' || lpad(s::text, 3, '0'), 'lookback-' || s, ch, CASE WHEN ch = 'email' THEN 86400 ELSE 60 END, 600
          FROM generate_series(1, ${SERVICES}) s CROSS JOIN LATERAL (SELECT (${arr(CHANNELS)})[1 + s % 8] AS ch) c;
      CREATE TEMP TABLE lb_service AS SELECT substr(key, 10)::int AS idx, id, channel, ((substr(key, 10)::int - 1) % ${TEAMS}) + 1 AS team_idx FROM services WHERE key LIKE 'lookback-%';
      CREATE UNIQUE INDEX ON lb_service (idx);
      INSERT INTO service_teams (service_id, team_id) SELECT s.id, t.id FROM lb_service s JOIN lb_team t ON t.idx = s.team_idx;
      INSERT INTO users (email, name, role, password_hash, agent_enabled)
        SELECT 'agente' || a || '@lookback.local', (${arr(FIRST)})[1 + a % 40] || ' ' || (${arr(LAST)})[1 + (a / 40) % 40] || ' ' || a, 'agent', 'not-a-hash', true
          FROM generate_series(1, ${AGENTS}) a;
      CREATE TEMP TABLE lb_agent AS SELECT substr(split_part(email, '@', 1), 7)::int AS idx, id FROM users WHERE email LIKE 'agente%@lookback.local';
      CREATE UNIQUE INDEX ON lb_agent (idx);
      INSERT INTO team_agents (team_id, user_id) SELECT t.id, a.id FROM lb_agent a JOIN lb_team t ON t.idx = ((a.idx - 1) % ${TEAMS}) + 1;
      INSERT INTO users (email, name, role, password_hash)
        SELECT 'supervisor' || k || '@lookback.local', 'Supervisora ' || (${arr(FIRST)})[1 + (k * 7) % 40] || ' ' || k, 'supervisor', 'not-a-hash'
          FROM generate_series(1, ${SUPERVISORS}) k;
      INSERT INTO team_supervisors (team_id, user_id)
        SELECT t.id, u.id FROM users u JOIN lb_team t ON (t.idx - 1) / ${TEAMS / SUPERVISORS} + 1 = substr(split_part(u.email, '@', 1), 11)::int
         WHERE u.email LIKE 'supervisor%@lookback.local';
      INSERT INTO classifications (code, name) SELECT 'LB' || lpad(k::text, 2, '0'), (${arr(CLASSES)})[1 + k % 10] || ' ' || k FROM generate_series(1, ${CLASSIFICATIONS}) k;
      CREATE TEMP TABLE lb_class AS SELECT substr(code, 3)::int AS idx, id FROM classifications WHERE code LIKE 'LB%';
      CREATE UNIQUE INDEX ON lb_class (idx);
      INSERT INTO wrapup_fields (service_id, key, label, type, options, required, position)
        SELECT s.id, f.key, f.label, f.type, f.options, f.required, f.position FROM lb_service s
         CROSS JOIN (VALUES ('motivo', 'Motivo do contato', 'select', to_jsonb(${arr(MOTIVES)}), true, 0),
                            ('resolvido', 'Resolvido no primeiro contato', 'boolean', NULL::jsonb, false, 1),
                            ('observacao', 'Observação', 'text', NULL::jsonb, false, 2)) f (key, label, type, options, required, position);`,
  });
  steps.push({
    label: `${C.toLocaleString('en')} contacts with a WhatsApp identity`,
    sql: `
      INSERT INTO contacts (name, email, phone, created_at)
        SELECT f || ' ' || l || ' ' || l2,
               CASE WHEN c % 10 < 7 THEN translate(lower(f || '.' || l), 'áàâãéêíóôõúüç', 'aaaaeeiooouuc') || c || '@exemplo.com.br' END,
               CASE WHEN c % 10 < 9 THEN '+55' || (11 + c % 80) || '9' || lpad(c::text, 8, '0') END,
               ${todayStart} - interval '${DAYS + 30} days'
          FROM generate_series(1, ${C}) c
          CROSS JOIN LATERAL (SELECT (${arr(FIRST)})[1 + c % 40] AS f, (${arr(LAST)})[1 + (c / 40) % 40] AS l, (${arr(LAST)})[1 + (c / 1600) % 40] AS l2) n;
      INSERT INTO contact_identities (contact_id, channel, external_id, display_name, created_at)
        SELECT id, 'whatsapp', substr(phone, 2), split_part(name, ' ', 1), created_at FROM contacts WHERE phone LIKE '+55%';
      CREATE TEMP TABLE lb_contact AS SELECT row_number() OVER (ORDER BY id)::int AS idx, id FROM contacts;
      CREATE UNIQUE INDEX ON lb_contact (idx);`,
  });
  // the kind of each conversation decides its state and which stages it went through
  const kind = `CASE WHEN today THEN
        CASE WHEN r < 0.03 THEN 'open_bot' WHEN r < 0.08 THEN 'open_queue' WHEN r < 0.23 THEN 'open_service'
             WHEN r < 0.30 THEN 'bot_done' WHEN r < 0.78 THEN 'agent_done' WHEN r < 0.83 THEN 'cancel' WHEN r < 0.89 THEN 'abandon'
             WHEN r < 0.90 THEN 'lost' WHEN r < 0.94 THEN 'inactive' WHEN r < 0.95 THEN 'discard' ELSE 'bot_gaveup' END
      ELSE
        CASE WHEN r < 0.10 THEN 'bot_done' WHEN r < 0.72 THEN 'agent_done' WHEN r < 0.78 THEN 'cancel' WHEN r < 0.88 THEN 'abandon'
             WHEN r < 0.89 THEN 'lost' WHEN r < 0.93 THEN 'inactive' WHEN r < 0.95 THEN 'discard' ELSE 'bot_gaveup' END
      END`;
  steps.push({
    label: `${IN.toLocaleString('en')} inbound conversations over ${DAYS} days (${TODAY.toLocaleString('en')} today)`,
    // every rollup trigger (migrations 0031, 0038–0040) is off for the bulk load: SEED_ROLLUPS sums them
    // in one pass each once the indexes are back
    sql: `
      ALTER TABLE conversations DISABLE TRIGGER USER;
      INSERT INTO conversations (protocol, service_id, entry_service_id, channel, contact_id, direction, state, agent_id, subject,
          created_at, triage_at, bot_started_at, bot_ended_at, queued_at, first_queued_at, assigned_at, first_assigned_at, first_agent_message_at,
          last_customer_message_at, last_agent_message_at, last_message_at, last_message_from, finished_at, finished_by, classification_id, notes,
          bot_state, wrapup)
      SELECT to_char(created_at AT TIME ZONE ${tz}, 'YYYYMMDD') || lpad(n::text, 8, '0'), service_id, service_id, channel, contact_id, 'inbound',
          CASE k WHEN 'open_bot' THEN 'bot' WHEN 'open_queue' THEN 'queued' WHEN 'open_service' THEN 'in_service'
                 WHEN 'bot_done' THEN 'completed' WHEN 'agent_done' THEN 'completed' WHEN 'cancel' THEN 'cancelled'
                 WHEN 'abandon' THEN CASE WHEN channel = 'webchat' THEN 'abandoned' ELSE 'customer_gave_up' END
                 WHEN 'lost' THEN 'connection_lost' WHEN 'inactive' THEN 'inactive_in_service' WHEN 'discard' THEN 'discarded'
                 ELSE 'customer_gave_up' END,
          CASE WHEN has_agent THEN agent_id END,
          CASE WHEN channel = 'email' THEN (${arr(SUBJECTS)})[1 + n % 6] END,
          created_at,
          CASE WHEN k = 'discard' THEN created_at END,
          bot_started_at, bot_ended_at, queued_at, queued_at, assigned_at, assigned_at,
          CASE WHEN has_agent THEN least(assigned_at + (5 + h * 55) * interval '1 second', coalesce(finished_at, now())) END,
          created_at,
          CASE WHEN has_agent THEN least(assigned_at + (5 + h * 55) * interval '1 second', coalesce(finished_at, now())) END,
          coalesce(finished_at, least(now(), coalesce(assigned_at, queued_at, bot_ended_at, created_at) + interval '30 seconds')),
          CASE WHEN has_agent THEN (ARRAY['agent', 'customer'])[1 + n % 2] WHEN bot_started_at IS NOT NULL THEN 'bot' ELSE 'customer' END,
          finished_at,
          CASE k WHEN 'agent_done' THEN 'agent' WHEN 'cancel' THEN 'agent' WHEN 'bot_done' THEN 'bot' WHEN 'discard' THEN 'supervisor'
                 WHEN 'abandon' THEN CASE WHEN channel = 'webchat' THEN 'customer' ELSE 'system' END
                 WHEN 'lost' THEN 'system' WHEN 'inactive' THEN 'system' WHEN 'bot_gaveup' THEN 'system' END,
          CASE WHEN k = 'agent_done' THEN class_id END,
          CASE WHEN k = 'agent_done' AND n % 3 = 0 THEN 'Cliente orientado; protocolo informado.' END,
          -- the step the bot waits on (a give-up's last step), or where it finished
          CASE WHEN bot_started_at IS NOT NULL THEN jsonb_build_object(
            'stepId', CASE WHEN k IN ('bot_gaveup', 'open_bot') THEN (${arr(BOT_STEPS)})[1 + n % ${BOT_STEPS.length}]
                           WHEN k = 'bot_done' THEN 'encerrar' ELSE 'transferir' END,
            'attempts', 0, 'fields', '{}'::jsonb, 'visited', 2, 'finished', k NOT IN ('bot_gaveup', 'open_bot')) END,
          CASE WHEN k = 'agent_done' AND n % 5 < 3 THEN jsonb_strip_nulls(jsonb_build_object(
            'motivo', (${arr(MOTIVES)})[1 + (n / 5) % ${MOTIVES.length}], 'resolvido', n % 4 <> 0,
            'observacao', CASE WHEN n % 10 = 0 THEN 'Cliente pediu retorno por e-mail (' || n || ')' END)) END
      FROM (
        SELECT t.*,
          CASE WHEN k IN ('agent_done', 'cancel', 'lost', 'inactive') THEN least(now(), assigned_at + handle) WHEN k = 'abandon' THEN least(now(), queued_at + wait / 2)
               WHEN k = 'bot_done' THEN bot_ended_at WHEN k = 'bot_gaveup' THEN least(now(), created_at + interval '10 minutes')
               WHEN k = 'discard' THEN least(now(), created_at + wait) END AS finished_at
        FROM (
          SELECT s.*,
            CASE WHEN has_agent THEN least(now(), queued_at + wait) END AS assigned_at
          FROM (
            SELECT q.*,
              CASE WHEN has_queue THEN coalesce(bot_ended_at, created_at) END AS queued_at
            FROM (
              SELECT b.*,
                CASE WHEN has_bot THEN created_at END AS bot_started_at,
                CASE WHEN has_bot AND k IN ('bot_done', 'open_queue', 'open_service', 'agent_done', 'cancel', 'abandon', 'lost', 'inactive')
                     THEN least(now(), created_at + (20 + w * 160) * interval '1 second') END AS bot_ended_at
              FROM (
                SELECT a.*,
                  channel <> 'email' AND k NOT IN ('discard') AS has_bot,
                  k NOT IN ('bot_done', 'bot_gaveup', 'open_bot', 'discard') AS has_queue,
                  k IN ('agent_done', 'cancel', 'lost', 'inactive', 'open_service') AS has_agent
                FROM (
                  SELECT n, today, r, w, h, sv.id AS service_id, sv.channel, ct.id AS contact_id, ag.id AS agent_id, cl.id AS class_id,
                    -- e-mail has no bot: its bot-only kinds become agent work
                    CASE WHEN sv.channel = 'email' AND kk IN ('bot_done', 'bot_gaveup', 'open_bot') THEN 'agent_done'
                         WHEN sv.channel <> 'email' AND kk = 'discard' THEN 'agent_done' ELSE kk END AS k,
                    CASE WHEN today THEN least(now(), ${todayStart} + ((n::bigint * 7919) % greatest(1, extract(epoch FROM now() - ${todayStart})::bigint)) * interval '1 second')
                         ELSE ${todayStart} - (1 + n % ${DAYS}) * interval '1 day' + (7 * 3600 + (n::bigint * 7919) % 50400) * interval '1 second' END AS created_at,
                    CASE WHEN sv.channel = 'email' THEN (600 + w * 28800) ELSE (3 + w * w * 900) END * interval '1 second' AS wait,
                    CASE WHEN sv.channel = 'email' THEN (300 + h * 3600) ELSE (60 + h * 1500) END * interval '1 second' AS handle
                  FROM (
                    SELECT n, n > ${IN - TODAY} AS today, random() + n * 0 AS r, random() + n * 0 AS w, random() + n * 0 AS h,
                           1 + (n * 7) % ${SERVICES} AS sidx, 1 + (n::bigint * 104729) % ${C} AS cidx
                      FROM generate_series(1, ${IN}) n
                  ) g
                  CROSS JOIN LATERAL (SELECT ${kind} AS kk) kc
                  JOIN lb_service sv ON sv.idx = g.sidx
                  JOIN lb_contact ct ON ct.idx = g.cidx
                  -- n / 200, not n: the service already fixes n mod 200, and with it n mod 20
                  JOIN lb_agent ag ON ag.idx = sv.team_idx + ${TEAMS} * ((g.n / ${SERVICES}) % 20)
                  JOIN lb_class cl ON cl.idx = 1 + g.n % ${CLASSIFICATIONS}
                ) a
              ) b
            ) q
          ) s
        ) t
      ) x;`,
  });
  // the active conversations (transitions.ts openOutbound): born in service with their agent, the template
  // their first message; answered ones finished by the agent, the others closed by inactivity a day later
  steps.push({
    label: `${OUT.toLocaleString('en')} active conversations (a WhatsApp template each) over ${DAYS} past days`,
    sql: `
      INSERT INTO conversations (protocol, service_id, entry_service_id, channel, contact_id, direction, state, agent_id,
          created_at, assigned_at, first_assigned_at, first_agent_message_at, last_customer_message_at, last_agent_message_at,
          last_message_at, last_message_from, finished_at, finished_by, classification_id)
      SELECT to_char(created_at AT TIME ZONE ${tz}, 'YYYYMMDD') || lpad(n::text, 8, '0'), service_id, service_id, 'whatsapp', contact_id, 'outbound',
          CASE WHEN answered THEN 'completed' ELSE 'inactive_in_service' END, agent_id,
          created_at, created_at, created_at, created_at,
          CASE WHEN answered THEN created_at + reply END, CASE WHEN answered THEN finished_at ELSE created_at END,
          CASE WHEN answered THEN finished_at ELSE created_at END, 'agent', finished_at,
          CASE WHEN answered THEN 'agent' ELSE 'system' END,
          CASE WHEN answered THEN class_id END
      FROM (
        SELECT g.*, sv.id AS service_id, ct.id AS contact_id, ag.id AS agent_id, cl.id AS class_id,
               least(now(), created_at + CASE WHEN answered THEN reply + (120 + h * 1500) * interval '1 second' ELSE interval '1 day' END) AS finished_at
          FROM (
            SELECT n, h, sidx, cidx, ${todayStart} - (1 + n % ${DAYS}) * interval '1 day' + (8 * 3600 + (n::bigint * 7919) % 36000) * interval '1 second' AS created_at,
                   (60 + h * 3600) * interval '1 second' AS reply,
                   -- delivered or read (n % 25 >= 4), and of those 40% answer
                   n % 25 >= 4 AND n % 5 < 2 AS answered
              FROM (SELECT n, random() + n * 0 AS h, 1 + ((n * 8) % ${SERVICES}) AS sidx, 1 + (n::bigint * 15485863) % ${C} AS cidx
                      FROM generate_series(${IN + 1}, ${N}) n) x
          ) g
          JOIN lb_service sv ON sv.idx = g.sidx
          JOIN lb_contact ct ON ct.idx = g.cidx
          JOIN lb_agent ag ON ag.idx = sv.team_idx + ${TEAMS} * ((g.n / ${SERVICES}) % 20)
          JOIN lb_class cl ON cl.idx = 1 + g.n % ${CLASSIFICATIONS}
      ) o;`,
  });
  steps.push({
    label: 'one state-history row per conversation (its current state)',
    sql: `
      INSERT INTO conversation_state_history (conversation_id, state, service_id, agent_id, actor, reason, started_at)
      SELECT id, state, service_id, agent_id, coalesce(finished_by, CASE WHEN agent_id IS NOT NULL THEN 'agent' ELSE 'system' END), 'seeded',
             coalesce(finished_at, assigned_at, queued_at, bot_started_at, created_at)
        FROM conversations WHERE protocol ~ '^[0-9]{16}$';`,
  });
  // 4 to 16 messages each (10 on average), written month by month so progress shows; the messages'
  // rollups (the agents' replies, 0032; the templates, 0040) are rebuilt once at the end (SEED_ROLLUPS)
  steps.push({ label: 'messages’ rollup triggers off for the bulk load', sql: `ALTER TABLE messages DISABLE TRIGGER USER;` });
  for (let m = DAYS + 31; m > 0; m -= 31) {
    const from = `${todayStart} - interval '${m} days'`;
    const to = `${todayStart} - interval '${m - 31} days'`;
    steps.push({
      label: `messages of the conversations started ${m} to ${Math.max(0, m - 31)} days ago`,
      sql: `
        INSERT INTO messages (conversation_id, channel, author_type, author_id, body, content_type, payload, delivery_status, created_at)
        SELECT c.id, c.channel, au.author,
               CASE WHEN au.author = 'agent' THEN c.agent_id END,
               CASE WHEN au.kind = 'template' THEN 'Olá! Temos uma mensagem sobre o seu atendimento: ' || tp.name
                    WHEN au.kind = 'menu' THEN '${BOT[0]}'
                    WHEN au.kind = 'answer' THEN (${arr(MENU_ANSWERS)})[1 + (nn / 8) % ${MENU_ANSWERS.length}]
                    ELSE CASE au.author WHEN 'customer' THEN (${arr(CUSTOMER)})[1 + (seq + nn) % ${CUSTOMER.length}]
                              WHEN 'agent' THEN (${arr(AGENT)})[1 + (seq + nn) % ${AGENT.length}]
                              ELSE (${arr(BOT)})[1 + (seq + nn) % ${BOT.length}] END END,
               CASE WHEN au.kind = 'template' THEN 'template' ELSE 'text' END,
               CASE WHEN au.kind = 'template' THEN jsonb_build_object('template', jsonb_build_object('name', tp.name, 'language', 'pt_BR', 'parameters', '[]'::jsonb))
                    WHEN au.kind = 'menu' THEN '{"options": [{"id": "financeiro", "label": "Financeiro"}, {"id": "suporte", "label": "Suporte"}, {"id": "atendente", "label": "Falar com atendente"}]}'::jsonb END,
               CASE WHEN au.kind = 'template' THEN tp.status WHEN au.author = 'customer' THEN NULL WHEN c.finished_at IS NULL THEN 'delivered' ELSE 'read' END,
               -- the bot's stage (greeting, menu, answer) inside its own time, the rest spread after it
               CASE WHEN c.direction = 'outbound' THEN CASE WHEN seq = 1 THEN c.created_at ELSE c.last_customer_message_at + (c.finished_at - c.last_customer_message_at) * (seq - 2) / (k.cnt - 1) END
                    WHEN c.bot_started_at IS NOT NULL AND seq <= 3 THEN c.created_at + (b.bot_end - c.created_at) * seq / 4
                    WHEN c.bot_started_at IS NOT NULL THEN b.rest + (coalesce(c.finished_at, c.last_message_at) - b.rest) * (seq - 3) / (k.cnt - 2)
                    WHEN seq = 1 THEN c.created_at
                    ELSE b.rest + (coalesce(c.finished_at, c.last_message_at) - b.rest) * (seq - 1) / k.cnt END
          FROM conversations c
          CROSS JOIN LATERAL (SELECT substr(c.protocol, 9)::int AS nn) p
          CROSS JOIN LATERAL (SELECT CASE WHEN c.direction = 'outbound' THEN CASE WHEN c.last_customer_message_at IS NULL THEN 1 ELSE 3 + p.nn % 5 END
                                          ELSE 4 + p.nn % 13 END AS cnt) k
          -- after the bot (or the first message), the rest from the first assignment on: an agent replies once assigned
          CROSS JOIN LATERAL (SELECT coalesce(c.bot_ended_at, c.finished_at, c.last_message_at) AS bot_end,
                                     coalesce(c.first_assigned_at, c.bot_ended_at, c.finished_at, c.last_message_at, c.created_at) AS rest) b0
          CROSS JOIN LATERAL (SELECT b0.bot_end, CASE WHEN c.bot_started_at IS NULL AND c.first_assigned_at IS NULL THEN c.created_at ELSE b0.rest END AS rest) b
          -- a template's name and its provider status: failed 4%, sent 12%, delivered 24%, read 60% (answered ones are read)
          CROSS JOIN LATERAL (SELECT (${arr(TEMPLATES)})[1 + (p.nn / 7) % ${TEMPLATES.length}] AS name,
                                     CASE WHEN c.last_customer_message_at IS NOT NULL THEN 'read' WHEN p.nn % 25 = 0 THEN 'failed' WHEN p.nn % 25 < 4 THEN 'sent'
                                          WHEN p.nn % 25 < 10 THEN 'delivered' ELSE 'read' END AS status) tp
          CROSS JOIN LATERAL generate_series(1, k.cnt) seq
          CROSS JOIN LATERAL (SELECT CASE
              WHEN c.direction = 'outbound' THEN CASE WHEN seq = 1 THEN 'template' WHEN seq % 2 = 0 THEN 'customer' ELSE 'agent' END
              WHEN seq = 2 AND c.bot_started_at IS NOT NULL THEN 'menu'
              WHEN seq = 3 AND c.bot_started_at IS NOT NULL THEN 'answer'
              ELSE '' END AS kind) kd
          CROSS JOIN LATERAL (SELECT kd.kind, CASE
              WHEN kd.kind IN ('template', 'agent') THEN 'agent'
              WHEN kd.kind IN ('customer', 'answer') OR seq = 1 THEN 'customer'
              WHEN kd.kind = 'menu' THEN 'bot'
              WHEN c.agent_id IS NOT NULL THEN CASE WHEN seq % 2 = 1 THEN 'agent' ELSE 'customer' END
              WHEN c.bot_started_at IS NOT NULL THEN CASE WHEN seq % 2 = 1 THEN 'bot' ELSE 'customer' END
              ELSE 'customer' END AS author) au
         WHERE c.created_at >= ${from} AND c.created_at < ${to} AND c.protocol ~ '^[0-9]{16}$';`,
    });
  }
  steps.push(...agentHistorySteps(size, timeZone));
  steps.push({
    label: 'agents’ presence (those holding conversations in service, then the rest)',
    sql: `
      INSERT INTO agent_presence (user_id, state, state_since, logged_in_at, open_chat, open_email, last_assigned_at, last_heartbeat_at)
      SELECT a.id,
             CASE WHEN coalesce(o.chat, 0) + coalesce(o.email, 0) > 0 THEN 'in_service'
                  WHEN a.idx % 20 < 8 THEN 'offline' WHEN a.idx % 20 < 11 THEN 'paused' ELSE 'available' END,
             now() - (a.idx % 120) * interval '1 minute',
             CASE WHEN coalesce(o.chat, 0) + coalesce(o.email, 0) > 0 OR a.idx % 20 >= 8 THEN ${todayStart} + interval '8 hours' END,
             coalesce(o.chat, 0), coalesce(o.email, 0), o.last, now()
        FROM lb_agent a
        LEFT JOIN (SELECT agent_id, count(*) FILTER (WHERE channel <> 'email')::int AS chat, count(*) FILTER (WHERE channel = 'email')::int AS email,
                          max(assigned_at) AS last
                     FROM conversations WHERE state = 'in_service' GROUP BY agent_id) o ON o.agent_id = a.id
      ON CONFLICT (user_id) DO NOTHING;
      UPDATE agent_presence p SET pause_reason_id = (SELECT id FROM pause_reasons ORDER BY name LIMIT 1)
       WHERE p.state = 'paused' AND p.user_id IN (SELECT id FROM lb_agent);
      INSERT INTO agent_state_history (user_id, state, pause_reason_id, started_at)
        SELECT user_id, state, pause_reason_id, state_since FROM agent_presence WHERE user_id IN (SELECT id FROM lb_agent);`,
  });
  steps.push({ label: 'agents’ time rollups and session marks (the rebuild of migration 0033)', sql: AGENT_TIME_REBUILD });
  return steps;
}

/**
 * After the bulk load and its indexes (the backfill and the rebuilds probe messages by conversation):
 * the triggers back on and every conversation and message rollup summed in one pass — 0031/0036's
 * milestones and slots, 0032's replies, 0038's bot choices (matched from the menus as for a database
 * older than the migration) and outcomes, 0039's wrap-up answers, 0040's templates.
 */
export const SEED_ROLLUPS: { label: string; sql: string }[] = [
  { label: 'rollup triggers back on', sql: 'ALTER TABLE conversations ENABLE TRIGGER USER; ALTER TABLE messages ENABLE TRIGGER USER;' },
  { label: 'conversation rollups (0031, 0036)', sql: 'SELECT rebuild_conversation_rollups(NULL, NULL, NULL);' },
  { label: 'agents’ reply rollups (0032)', sql: 'SELECT agent_reply_rollups_rebuild();' },
  { label: 'the bot’s choices from its menus and the bot rollups (0038)', sql: 'SELECT bot_choices_backfill(); SELECT rebuild_bot_rollups(NULL, NULL);' },
  { label: 'wrap-up answer rollups (0039)', sql: 'SELECT rebuild_wrapup_rollups(NULL, NULL, NULL);' },
  { label: 'template rollups (0040)', sql: 'SELECT rebuild_template_rollups(NULL, NULL);' },
];

// An agent's working day: 14 contiguous states from the login to the logout (about 8½ hours), three
// pauses among them (Descanso, Almoço, and one of Banheiro / Treinamento / Feedback / Ginástica
// laboral), on 5 days of 7 (each agent their own days off), starting between 07:00 and 13:59.
const SHIFT: [state: string, reason: string | null, minSeconds: number, spreadSeconds: number][] = [
  ['available', null, 300, 1800], ['in_service', null, 1200, 3600], ['available', null, 300, 1200], ['paused', 'Descanso', 600, 600],
  ['available', null, 300, 1800], ['in_service', null, 1200, 3600], ['available', null, 300, 900], ['paused', 'Almoço', 2700, 1800],
  ['available', null, 300, 1800], ['in_service', null, 1200, 3600], ['available', null, 300, 900], ['paused', null, 180, 420],
  ['available', null, 300, 1200], ['in_service', null, 1200, 3600],
];
const THIRD_PAUSE = ['Banheiro', 'Treinamento', 'Feedback', 'Ginástica laboral'];

/**
 * The agents' past days (the days before today; today's is the presence step's): their state history
 * (about 7.9 M rows over 395 days), each login's sign-in to the application (audit_log), a connection
 * loss closing 1 shift in 20 (its agent.updated event at the logout's instant), and 1 finished
 * conversation in 25 transferred to its agent by another of the same department a third of the way
 * through. Separate from the rest so `bench/lookback-agents-seed.ts` can add it to an existing copy.
 */
/** After agentHistorySteps (whose bulk insert leaves the trigger off): migration 0033's rollups in one pass. */
export const AGENT_TIME_REBUILD = `ALTER TABLE agent_state_history ENABLE TRIGGER agent_state_rollups_insert;
  SELECT agent_time_rollups_rebuild(), agent_session_marks_rebuild();`;

export function agentHistorySteps(size: SeedSize, timeZone: string): { label: string; sql: string }[] {
  const tz = `'${timeZone}'`;
  const todayStart = `((now() AT TIME ZONE ${tz})::date::timestamp AT TIME ZONE ${tz})`;
  const agents = `(SELECT substr(split_part(email, '@', 1), 7)::int AS idx, id, name FROM users WHERE email LIKE 'agente%@lookback.local')`;
  const secs = SHIFT.map(([, , min, spread]) => `${min} + random() * ${spread}`).join(', ');
  const states = SHIFT.map(([state, reason], i) => `(${i + 1}, '${state}', ${reason ? `'${reason}'` : 'NULL'})`).join(', ');
  const third = SHIFT.findIndex(([state, reason]) => state === 'paused' && reason === null) + 1;
  return [
    {
      label: 'agents’ shifts on 5 days of 7',
      sql: `
        SELECT setseed(0.16);
        CREATE TEMP TABLE lb_shift AS
          SELECT a.id AS user_id, a.name, a.idx, d,
                 ${todayStart} - d * interval '1 day' + (7 * 3600 + (a.idx % 7) * 3600 + ((a.idx * 13) % 60) * 60) * interval '1 second' AS login_at,
                 ARRAY[${secs}]::float8[] AS secs
            FROM ${agents} a CROSS JOIN generate_series(1, ${size.days}) d
           WHERE (a.idx + d) % 7 NOT IN (0, 1);`,
    },
    {
      label: 'agents’ state history (14 states a shift)',
      sql: `
        -- the time rollups and session marks (migration 0033) are rebuilt in one pass after the load (AGENT_TIME_REBUILD)
        ALTER TABLE agent_state_history DISABLE TRIGGER agent_state_rollups_insert;
        INSERT INTO agent_state_history (user_id, state, pause_reason_id, started_at, ended_at)
        SELECT s.user_id, p.state, r.id,
               s.login_at + (SELECT coalesce(sum(x), 0) FROM unnest(s.secs[1:g.k - 1]) x) * interval '1 second',
               s.login_at + (SELECT sum(x) FROM unnest(s.secs[1:g.k]) x) * interval '1 second'
          FROM lb_shift s
          CROSS JOIN generate_series(1, ${SHIFT.length}) g (k)
          JOIN (VALUES ${states}) p (k, state, reason) ON p.k = g.k
          LEFT JOIN pause_reasons r ON r.name = CASE WHEN p.k = ${third} THEN (${arr(THIRD_PAUSE)})[1 + (s.idx + s.d) % ${THIRD_PAUSE.length}] ELSE p.reason END
         ORDER BY s.login_at, s.user_id, g.k;`,
    },
    {
      label: 'agents’ sign-ins and connection losses',
      sql: `
        INSERT INTO audit_log (actor_id, actor_name, action, entity, entity_id, at)
        SELECT user_id, name, 'login', 'session', md5(user_id::text || d), login_at - interval '2 minutes' FROM lb_shift ORDER BY login_at;
        INSERT INTO events (type, agent_id, actor_type, payload, at)
        SELECT 'agent.updated', user_id, 'system', '{"reason": "connection_lost"}'::jsonb, login_at + (SELECT sum(x) FROM unnest(secs) x) * interval '1 second'
          FROM lb_shift WHERE (idx * 31 + d) % 20 = 0 ORDER BY 5;
        DROP TABLE lb_shift;`,
    },
    {
      label: 'transfers between the agents of a department (1 finished conversation in 25)',
      // statistics first: the conversations were bulk-loaded moments ago, and with the empty table's
      // estimates PostgreSQL joined the agents by a nested loop per conversation (over 35 minutes)
      sql: `
        ANALYZE conversations; ANALYZE users;
        INSERT INTO conversation_state_history (conversation_id, state, service_id, agent_id, actor, reason, started_at, ended_at)
        SELECT c.id, 'in_service', c.service_id, x.agent_id, 'agent', x.reason, x.started_at, x.ended_at
          FROM conversations c
          JOIN ${agents} a ON a.id = c.agent_id
          JOIN ${agents} f ON f.idx = (a.idx + ${TEAMS - 1}) % ${AGENTS} + 1
          CROSS JOIN LATERAL (VALUES
            (1, f.id, 'assigned', c.first_assigned_at, c.first_assigned_at + (c.finished_at - c.first_assigned_at) / 3),
            (2, c.agent_id, 'transferred', c.first_assigned_at + (c.finished_at - c.first_assigned_at) / 3, c.finished_at)) x (ord, agent_id, reason, started_at, ended_at)
         WHERE c.state = 'completed' AND c.first_assigned_at IS NOT NULL AND c.finished_at IS NOT NULL AND c.protocol ~ '^[0-9]{16}$' AND substr(c.protocol, 9)::int % 25 = 0
         ORDER BY c.finished_at, c.id, x.ord;`,
    },
  ];
}

/** The checks printed after seeding: counts, shares by state, stage order, consistency. */
export const SEED_CHECKS = `
  SELECT 'conversations' AS what, count(*)::text AS value FROM conversations
  UNION ALL SELECT 'messages', count(*)::text FROM messages
  UNION ALL SELECT 'messages per conversation', round(count(*)::numeric / greatest(1, (SELECT count(*) FROM conversations)), 2)::text FROM messages
  UNION ALL SELECT 'contacts', count(*)::text FROM contacts
  UNION ALL SELECT 'services', count(*)::text FROM services
  UNION ALL SELECT 'agents', count(*)::text FROM users WHERE agent_enabled
  UNION ALL SELECT 'agents with conversations', count(DISTINCT agent_id)::text FROM conversations
  UNION ALL SELECT 'first day', min(created_at)::date::text FROM conversations
  UNION ALL SELECT 'conversations today', count(*)::text FROM conversations WHERE created_at >= ((now() AT TIME ZONE $1)::date::timestamp AT TIME ZONE $1)
  UNION ALL SELECT 'stages out of order', count(*)::text FROM conversations
     WHERE bot_ended_at < bot_started_at OR queued_at < coalesce(bot_ended_at, created_at) OR assigned_at < queued_at
        OR finished_at < coalesce(assigned_at, queued_at, bot_ended_at, created_at) OR finished_at > now()
  UNION ALL SELECT 'open with finished_at, or finished without', count(*)::text FROM conversations
     WHERE (state IN ('triage', 'bot', 'queued', 'in_service')) = (finished_at IS NOT NULL)
  UNION ALL SELECT 'agent open counts that disagree', count(*)::text FROM agent_presence p
     WHERE p.open_chat + p.open_email <> (SELECT count(*) FROM conversations c WHERE c.agent_id = p.user_id AND c.state = 'in_service')`;

export const STATE_SHARES = `
  SELECT state, count(*)::int AS n, round(100.0 * count(*) / sum(count(*)) OVER (), 2)::float8 AS pct
    FROM conversations GROUP BY state ORDER BY n DESC`;
