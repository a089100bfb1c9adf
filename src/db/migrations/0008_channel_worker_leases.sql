-- Background workers that must run on one node at a time (an e-mail account's mailbox watcher): a
-- node holds a worker's lease until expires_at and renews it well before; another node takes it only
-- once it has expired (its holder died or lost the database). engine/leases.ts.
CREATE TABLE channel_worker_leases (
  worker_key   text PRIMARY KEY,
  holder       text NOT NULL,
  acquired_at  timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL
);
