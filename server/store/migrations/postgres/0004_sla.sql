-- Reply SLA: business hours per site, routing of comments to staff, due
-- times, the alert outbox and staff alert preferences.
ALTER TABLE sites ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE sites ADD COLUMN business_hours TEXT NOT NULL DEFAULT 'mon-fri 09:00-17:00';
ALTER TABLE sites ADD COLUMN holidays TEXT NOT NULL DEFAULT '';  -- one date or range per line
ALTER TABLE sites ADD COLUMN reply_target_seconds INTEGER NOT NULL DEFAULT 14400
    CHECK (reply_target_seconds > 0);

-- Who answers a site's comments when no author mapping applies.
CREATE TABLE site_assignees (
    site_id BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (site_id, user_id)
);
-- The post author names the embed sends (data-author), mapped to staff;
-- matched without regard to case.
CREATE TABLE site_authors (
    site_id BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    author  TEXT    NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (site_id, author)
);

ALTER TABLE threads ADD COLUMN author TEXT NOT NULL DEFAULT '';

ALTER TABLE comments ADD COLUMN assignee_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE comments ADD COLUMN due_at TIMESTAMPTZ;
-- alert_step: 0 nothing sent yet, 1 new comment, 2 reminder, 3 escalation,
-- 4 daily digests. next_alert_at is when the next step is due; comments
-- from before this migration (and imports) have none and never alert.
ALTER TABLE comments ADD COLUMN alert_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN next_alert_at TIMESTAMPTZ;
-- Business seconds from the comment to its first official reply.
ALTER TABLE comments ADD COLUMN reply_seconds INTEGER;
-- The worker's sweep: the comments whose next alert is due, one index range.
CREATE INDEX comments_next_alert ON comments (next_alert_at)
    WHERE next_alert_at IS NOT NULL AND reply_state = 'open' AND status = 'approved';
CREATE INDEX comments_answered ON comments (site_id, answered_at) WHERE answered_at IS NOT NULL;

ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE users ADD COLUMN quiet_hours TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN notify_email BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN webhook_url TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN webhook_format TEXT NOT NULL DEFAULT 'json'
    CHECK (webhook_format IN ('json', 'slack', 'discord'));
ALTER TABLE users ADD COLUMN webhook_secret TEXT NOT NULL DEFAULT '';

-- The outbox: every alert is a row before it is sent, marked sent only
-- after delivery. dedup_key names the comment (or digest day), the step,
-- the person and the channel, so no step reaches anyone twice.
CREATE TABLE notifications (
    id              BIGSERIAL PRIMARY KEY,
    dedup_key       TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL CHECK (kind IN ('new_comment', 'reminder', 'escalation', 'digest')),
    channel         TEXT    NOT NULL CHECK (channel IN ('email', 'webhook')),
    site_id         BIGINT  NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    user_id         BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    comment_id      BIGINT  REFERENCES comments (id) ON DELETE CASCADE,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'cancelled', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until     TIMESTAMPTZ,
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_comment ON notifications (comment_id);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
