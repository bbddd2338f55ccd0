-- Imports: the key of a comment in the system it came from, prefixed by
-- the format ("disqus:123"), so that importing a file again adds nothing.
-- NULL for comments written in Parley.
ALTER TABLE comments ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX comments_import_key ON comments (site_id, import_key) WHERE import_key IS NOT NULL;
