-- Staff accounts, sessions, login throttling, the reply state of comments,
-- moderation reasons and the audit log.
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL DEFAULT '',
    role           TEXT    NOT NULL CHECK (role IN ('owner', 'staff')),
    password_hash  TEXT    NOT NULL,
    api_token_hash TEXT    UNIQUE,
    created_at     DATETIME NOT NULL
);

CREATE TABLE user_sites (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, site_id)
);

CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT    NOT NULL,
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins per account and per client address.
CREATE TABLE login_throttle (
    key              TEXT    PRIMARY KEY,
    failures         INTEGER NOT NULL,
    first_failure_at DATETIME NOT NULL,
    locked_until     DATETIME
);

ALTER TABLE sites ADD COLUMN premoderation BOOLEAN NOT NULL DEFAULT FALSE;

-- site_id is the thread's, kept on the comment so that the inbox of the
-- sites a staff member may see is one index range.
ALTER TABLE comments ADD COLUMN site_id INTEGER REFERENCES sites (id);
UPDATE comments SET site_id = (SELECT site_id FROM threads WHERE threads.id = comments.thread_id);
ALTER TABLE comments ADD COLUMN staff_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
-- open: a reader comment that still needs an official reply; answered: staff
-- replied to it; not_needed: staff said so, with a reason; staff: written by staff.
ALTER TABLE comments ADD COLUMN reply_state TEXT NOT NULL DEFAULT 'open'
    CHECK (reply_state IN ('open', 'answered', 'not_needed', 'staff'));
ALTER TABLE comments ADD COLUMN answered_at DATETIME;
ALTER TABLE comments ADD COLUMN state_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN moderation_reason TEXT NOT NULL DEFAULT '';
UPDATE comments SET reply_state = 'staff' WHERE official;
UPDATE comments SET reply_state = 'answered', answered_at = (
        SELECT MIN(r.created_at) FROM comments r WHERE r.parent_id = comments.id AND r.official)
    WHERE NOT official AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = comments.id AND r.official);
-- The inbox: open comments oldest first, of some sites or of all. Status
-- is in the index so that counting the inbox reads the index alone.
CREATE INDEX comments_inbox_site ON comments (site_id, created_at, id, status) WHERE reply_state = 'open';
CREATE INDEX comments_inbox_all ON comments (created_at, id, status, site_id) WHERE reply_state = 'open';
CREATE INDEX comments_site_created ON comments (site_id, created_at, id);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER REFERENCES sites (id) ON DELETE SET NULL,
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    user_name  TEXT    NOT NULL DEFAULT '',  -- kept when the account goes
    action     TEXT    NOT NULL,
    comment_id INTEGER,                      -- no foreign key: outlives a purge
    reason     TEXT    NOT NULL DEFAULT '',
    detail     TEXT    NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX audit_site_created ON audit_log (site_id, created_at);
CREATE INDEX audit_comment ON audit_log (comment_id);
