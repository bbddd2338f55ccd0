-- Screening of new comments: pre-moderation modes, per-site blocklists and
-- link limits, why a comment was held or marked spam, and a hash of its
-- text to spot the same text posted again.
ALTER TABLE sites ADD COLUMN moderation TEXT NOT NULL DEFAULT 'off'
    CHECK (moderation IN ('off', 'all', 'first', 'links'));
UPDATE sites SET moderation = 'all' WHERE premoderation;
ALTER TABLE sites DROP COLUMN premoderation;
ALTER TABLE sites ADD COLUMN blocklist TEXT NOT NULL DEFAULT '';  -- one pattern per line
ALTER TABLE sites ADD COLUMN max_links INTEGER NOT NULL DEFAULT 3 CHECK (max_links >= 0);

ALTER TABLE comments ADD COLUMN flag_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX comments_site_body_hash ON comments (site_id, body_hash) WHERE body_hash <> '';
CREATE INDEX comments_site_email ON comments (site_id, email) WHERE email <> '';
