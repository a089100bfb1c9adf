-- WebChat uploads within quotas, and the cleanup of those never sent (issue 12).

-- The service a visitor's upload came in on: its quota (bytes a day, bytes not yet sent) is counted
-- without joining the visitors. Staff uploads have none.
ALTER TABLE attachments ADD COLUMN service_id uuid REFERENCES services (id);
UPDATE attachments a SET service_id = v.service_id FROM webchat_visitors v WHERE v.id = a.visitor_id;

-- a service's uploads of the last 24 hours
CREATE INDEX attachments_service_idx ON attachments (service_id, created_at) INCLUDE (size);
-- uploads not yet sent in a message: a service's unsent bytes, and the cleanup, oldest first. Small:
-- the cleanup keeps it to about the grace period's uploads.
CREATE INDEX attachments_unsent_idx ON attachments (created_at) INCLUDE (service_id, size) WHERE message_id IS NULL;
