-- Saved answers: each site's library of replies staff reuse, with
-- placeholders such as {name} (see package answer), and how often each was
-- sent.
CREATE TABLE saved_answers (
    id           INTEGER PRIMARY KEY,
    site_id      INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    title        TEXT    NOT NULL CHECK (title <> ''),
    body         TEXT    NOT NULL CHECK (body <> ''),
    uses         INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),
    last_used_at DATETIME,
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    UNIQUE (site_id, title)
);
