-- Crisis warning: a burst of negative or unanswered comments on a post (or
-- across a site) well above its usual rate opens a crisis, which alerts the
-- owners once; it ends after a quiet window, and a later burst opens a new
-- one. See package crisis.
CREATE TABLE crises (
    id             INTEGER PRIMARY KEY,
    site_id        INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    thread_id      INTEGER REFERENCES threads (id) ON DELETE CASCADE,  -- NULL: site-wide
    reason         TEXT    NOT NULL CHECK (reason IN ('negative', 'unanswered')),
    -- The most comments seen in one window while it lasted, and the usual
    -- number per window (the mean of the previous 7 days) when it started.
    negative       INTEGER NOT NULL DEFAULT 0,
    unanswered     INTEGER NOT NULL DEFAULT 0,
    usual_negative REAL    NOT NULL DEFAULT 0,
    usual_comments REAL    NOT NULL DEFAULT 0,
    started_at     DATETIME NOT NULL,
    last_seen_at   DATETIME NOT NULL,
    ended_at       DATETIME
);
-- One open crisis per post and one per site: replicas that see the same
-- burst at once cannot open two.
CREATE UNIQUE INDEX crises_open ON crises (site_id, COALESCE(thread_id, 0)) WHERE ended_at IS NULL;
CREATE INDEX crises_site_started ON crises (site_id, started_at);

-- The inbox puts negative comments first, then sorts by due time: an
-- expression no index can walk, so this one covers the sort instead (the
-- sort then reads the index alone, not 10,000 table rows).
CREATE INDEX comments_inbox_urgent ON comments (site_id, negativity, due_at, created_at, id, status)
    WHERE reply_state = 'open';

-- The crisis check counts the scored comments of the last minutes of every
-- site. Only scored ones: imports (unscored) add nothing to this index.
CREATE INDEX comments_created ON comments (created_at) WHERE negativity IS NOT NULL;

-- The outbox takes crisis alerts: a new kind and the crisis they are
-- about. SQLite cannot change a CHECK, so the table is rebuilt.
CREATE TABLE notifications_new (
    id              INTEGER PRIMARY KEY,
    dedup_key       TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL CHECK (kind IN ('new_comment', 'reminder', 'escalation', 'digest', 'crisis')),
    channel         TEXT    NOT NULL CHECK (channel IN ('email', 'webhook')),
    site_id         INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    comment_id      INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'cancelled', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    lease_until     DATETIME,
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    sent_at         DATETIME,
    crisis_id       INTEGER REFERENCES crises (id) ON DELETE CASCADE
);
INSERT INTO notifications_new (id, dedup_key, kind, channel, site_id, user_id, comment_id, status, attempts,
        next_attempt_at, lease_until, last_error, created_at, sent_at)
    SELECT id, dedup_key, kind, channel, site_id, user_id, comment_id, status, attempts,
        next_attempt_at, lease_until, last_error, created_at, sent_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_comment ON notifications (comment_id);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_crisis ON notifications (crisis_id) WHERE crisis_id IS NOT NULL;
