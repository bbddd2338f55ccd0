-- Sites, threads and comments: the foundation schema.
CREATE TABLE sites (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    title               TEXT    NOT NULL DEFAULT '',
    origins             TEXT    NOT NULL DEFAULT '',  -- one origin per line
    edit_window_seconds INTEGER NOT NULL DEFAULT 0 CHECK (edit_window_seconds >= 0),
    created_at          DATETIME NOT NULL
);

CREATE TABLE threads (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    path       TEXT    NOT NULL,
    url        TEXT    NOT NULL DEFAULT '',
    title      TEXT    NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    UNIQUE (site_id, path)
);

CREATE TABLE comments (
    id              INTEGER PRIMARY KEY,
    thread_id       INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    parent_id       INTEGER REFERENCES comments (id) ON DELETE RESTRICT,
    author          TEXT    NOT NULL DEFAULT '',
    email           TEXT    NOT NULL DEFAULT '',
    website         TEXT    NOT NULL DEFAULT '',
    body            TEXT    NOT NULL DEFAULT '',
    html            TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL CHECK (status IN ('approved', 'pending', 'spam', 'hidden', 'deleted')),
    official        BOOLEAN NOT NULL DEFAULT FALSE,
    client_hash     TEXT    NOT NULL DEFAULT '',
    edit_token_hash TEXT    NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    edited_at       DATETIME
);

CREATE INDEX comments_thread_created ON comments (thread_id, created_at, id);
CREATE INDEX comments_parent ON comments (parent_id);

-- Server secrets that must survive restarts (the key of client hashes).
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
