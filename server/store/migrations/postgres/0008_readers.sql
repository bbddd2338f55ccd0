-- Reply notifications to readers: who asked (double opt-in), what they
-- follow, and the outbox of mail to readers. Addresses are kept per site,
-- normalised (trimmed, lower case), so that one reader has one
-- subscription per site whatever they typed.
CREATE TABLE reader_subscriptions (
    id                 BIGSERIAL PRIMARY KEY,
    site_id            BIGINT  NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    email              TEXT    NOT NULL CHECK (email <> ''),
    lang               TEXT    NOT NULL DEFAULT 'en',
    -- confirm_hash is the SHA-256 of the pending confirmation token (the
    -- token itself is only ever in the mail), '' when none is pending.
    confirm_hash       TEXT    NOT NULL DEFAULT '',
    confirm_expires_at TIMESTAMPTZ,
    -- When the last confirmation mail was queued: at most one an hour.
    confirm_sent_at    TIMESTAMPTZ,
    confirmed_at       TIMESTAMPTZ,
    unsubscribed_at    TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    UNIQUE (site_id, email)
);
CREATE INDEX reader_subscriptions_confirm ON reader_subscriptions (confirm_hash) WHERE confirm_hash <> '';

-- The comments a subscription is told of replies to.
CREATE TABLE reader_follows (
    subscription_id BIGINT  NOT NULL REFERENCES reader_subscriptions (id) ON DELETE CASCADE,
    comment_id      BIGINT  NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subscription_id, comment_id)
);
CREATE INDEX reader_follows_comment ON reader_follows (comment_id);

-- Whether the followers of a reply's parent have been told of it. Replies
-- from before this migration and imported ones (the default) are done: an
-- import never mails readers. Comments written in Parley start at FALSE
-- (store.CreateComment says so) and the reader mail worker sweeps the shown
-- replies among them (a reply held for moderation waits for its approval).
ALTER TABLE comments ADD COLUMN followers_notified BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX comments_followers_due ON comments (id)
    WHERE NOT followers_notified AND parent_id IS NOT NULL AND status = 'approved';

-- The outbox of mail to readers, like notifications for staff: a row
-- before it is sent, marked sent only after delivery. dedup_key names the
-- reply and the subscription (or the confirmation), so none goes twice.
-- secret holds a confirmation mail's token until the mail is finished.
CREATE TABLE reader_mail (
    id              BIGSERIAL PRIMARY KEY,
    dedup_key       TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL CHECK (kind IN ('confirm', 'reply')),
    site_id         BIGINT  NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    subscription_id BIGINT  NOT NULL REFERENCES reader_subscriptions (id) ON DELETE CASCADE,
    comment_id      BIGINT  REFERENCES comments (id) ON DELETE CASCADE,
    secret          TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'cancelled', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until     TIMESTAMPTZ,
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX reader_mail_due ON reader_mail (next_attempt_at) WHERE status = 'pending';
CREATE INDEX reader_mail_subscription ON reader_mail (subscription_id);
CREATE INDEX reader_mail_comment ON reader_mail (comment_id);
