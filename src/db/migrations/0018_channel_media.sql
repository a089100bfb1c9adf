-- A customer's file is fetched from the provider by an outbox job (kind 'channel_media', target
-- 'media:<message id>:<index>', channels/media.ts). A repeated webhook looks the job up before adding
-- it, so that the lookup does not scan the whole outbox.
CREATE INDEX outbox_media_target_idx ON outbox (target) WHERE kind = 'channel_media';
