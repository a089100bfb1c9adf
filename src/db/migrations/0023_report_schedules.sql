-- Agendamentos of Relatórios (contracts/report-schedules.ts): a report e-mailed on a schedule.
-- next_run_at is advanced in the transaction that sends, holding the row (FOR UPDATE SKIP LOCKED),
-- so each due time is sent once whatever the number of nodes and restarts.
CREATE TABLE report_schedules (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  report_id   text NOT NULL,
  filters     jsonb NOT NULL DEFAULT '{}',
  period      text NOT NULL CHECK (period IN ('yesterday', 'last_week', 'last_month')),
  format      text NOT NULL CHECK (format IN ('csv', 'xlsx', 'pdf')),
  recipients  text[] NOT NULL,
  frequency   text NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  hour        smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  owner_id    uuid NOT NULL REFERENCES users (id),
  active      boolean NOT NULL DEFAULT true,
  last_run_at timestamptz,
  next_run_at timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_schedules_due ON report_schedules (next_run_at) WHERE active;
CREATE INDEX report_schedules_owner ON report_schedules (owner_id);
