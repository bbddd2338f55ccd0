-- Crisis warning: a burst of negative or unanswered comments on a post (or
-- across a site) well above its usual rate opens a crisis, which alerts the
-- owners once; it ends after a quiet window, and a later burst opens a new
-- one. See package crisis.
CREATE TABLE crises (
    id             BIGSERIAL PRIMARY KEY,
    site_id        BIGINT  NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    thread_id      BIGINT  REFERENCES threads (id) ON DELETE CASCADE,  -- NULL: site-wide
    reason         TEXT    NOT NULL CHECK (reason IN ('negative', 'unanswered')),
    -- The most comments seen in one window while it lasted, and the usual
    -- number per window (the mean of the previous 7 days) when it started.
    negative       INTEGER NOT NULL DEFAULT 0,
    unanswered     INTEGER NOT NULL DEFAULT 0,
    usual_negative REAL    NOT NULL DEFAULT 0,
    usual_comments REAL    NOT NULL DEFAULT 0,
    started_at     TIMESTAMPTZ NOT NULL,
    last_seen_at   TIMESTAMPTZ NOT NULL,
    ended_at       TIMESTAMPTZ
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

-- The outbox takes crisis alerts: a new kind and the crisis they are about.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('new_comment', 'reminder', 'escalation', 'digest', 'crisis'));
ALTER TABLE notifications ADD COLUMN crisis_id BIGINT REFERENCES crises (id) ON DELETE CASCADE;
CREATE INDEX notifications_crisis ON notifications (crisis_id) WHERE crisis_id IS NOT NULL;
