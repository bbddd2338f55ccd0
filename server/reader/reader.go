// Package reader tells readers of replies to their comments by email: the
// double opt-in (a confirmation link), what each address follows, the
// outbox of mail to readers and the worker that sends it, and the one-click
// unsubscribe. It imports comment and notify; store implements its Store.
package reader

import (
	"context"
	"strings"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// Subscription is one email address on one site that asked to be told of
// replies. It is active once confirmed and until unsubscribed.
type Subscription struct {
	ID     int64
	SiteID int64
	// Email is normalised: trimmed and lower case.
	Email string
	// Lang is the embed's language at the last opt-in: the mails' language.
	Lang           string
	ConfirmHash    string
	ConfirmExpires time.Time
	ConfirmSentAt  time.Time
	ConfirmedAt    time.Time
	UnsubscribedAt time.Time
	CreatedAt      time.Time
}

// Active reports whether replies are mailed to the subscription.
func (s Subscription) Active() bool { return !s.ConfirmedAt.IsZero() && s.UnsubscribedAt.IsZero() }

// Kind is what a reader mail says.
type Kind string

// The kinds of reader mail.
const (
	KindConfirm Kind = "confirm" // the double opt-in's link
	KindReply   Kind = "reply"   // someone replied to a followed comment
)

// Status is where a reader mail is in the outbox (as comment.NotificationStatus).
type Status = comment.NotificationStatus

// Mail is one row of the reader outbox.
type Mail struct {
	ID             int64
	DedupKey       string
	Kind           Kind
	SiteID         int64
	SubscriptionID int64
	// CommentID is the reply (KindReply) or the comment that was followed
	// (KindConfirm).
	CommentID int64
	// Secret is a confirmation mail's token, kept only until the mail is
	// finished.
	Secret        string
	Status        Status
	Attempts      int
	NextAttemptAt time.Time
	CreatedAt     time.Time
}

// Reply is a shown reply that the followers of its parent have not been
// told of yet, with those followers (active subscriptions only).
type Reply struct {
	Comment   comment.Comment
	Followers []Subscription
}

// Store is what readers' notifications need of the database.
type Store interface {
	// SaveFollow records that the address follows the comment: it creates
	// the site's subscription of the address if there is none (starting
	// again, unconfirmed, one that was unsubscribed) and keeps lang.
	SaveFollow(ctx context.Context, siteID int64, email, lang string, commentID int64, now time.Time) (Subscription, error)
	// StartConfirmation stores a new confirmation token hash and queues m,
	// unless the subscription is confirmed or had a confirmation queued
	// after notSince; it reports whether it did.
	StartConfirmation(ctx context.Context, subID int64, hash string, expires, now, notSince time.Time, m Mail) (bool, error)
	// FindSubscriptionByConfirmHash returns the subscription whose pending
	// confirmation has the hash. NotFound.
	FindSubscriptionByConfirmHash(ctx context.Context, hash string) (Subscription, error)
	// ConfirmSubscription marks it confirmed and forgets the token. NotFound.
	ConfirmSubscription(ctx context.Context, id int64, now time.Time) error
	// Unsubscribe marks it unsubscribed, forgets what it follows and
	// cancels its pending mail. NotFound.
	Unsubscribe(ctx context.Context, id int64, now time.Time) error
	// FindSubscriptionByID returns one subscription. NotFound.
	FindSubscriptionByID(ctx context.Context, id int64) (Subscription, error)

	// SweepReplies hands fn up to limit shown replies whose parent's
	// followers were not yet told of them, and in the same transaction
	// queues the mails fn returns (skipping existing dedup keys) and marks
	// the replies done. It returns how many replies fn was given.
	SweepReplies(ctx context.Context, now time.Time, limit int, fn func([]Reply) []Mail) (int, error)
	// ClaimReaderMail leases due pending mails to this worker.
	ClaimReaderMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Mail, error)
	// FinishReaderMail records the outcome of a claimed mail.
	FinishReaderMail(ctx context.Context, id int64, status Status, next time.Time, lastErr string, at time.Time) error
	// FindCommentByID returns one comment. NotFound.
	FindCommentByID(ctx context.Context, id int64) (comment.Comment, error)
	// FindThreadByID returns one thread. NotFound.
	FindThreadByID(ctx context.Context, id int64) (comment.Thread, error)
}

// NormalizeEmail is the form addresses are kept and compared in.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Rules of the double opt-in.
const (
	// ConfirmTTL is how long a confirmation link works.
	ConfirmTTL = 7 * 24 * time.Hour
	// ConfirmEvery bounds the confirmation mails to one address on one
	// site: opting a stranger's address in again and again sends them at
	// most one mail an hour.
	ConfirmEvery = time.Hour
)

// Config holds what a Service needs.
type Config struct {
	Store Store
	// Key signs unsubscribe tokens; it must stay the same across restarts
	// (and replicas) for old links to keep working.
	Key []byte
	Now func() time.Time
}

// Service applies the subscription rules.
type Service struct {
	store Store
	key   []byte
	now   func() time.Time
}

// NewService returns a Service.
func NewService(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{store: cfg.Store, key: cfg.Key, now: cfg.Now}
}

// OptInResult says what an opt-in did.
type OptInResult string

// The outcomes of an opt-in.
const (
	// Following: the address was confirmed before; replies are mailed.
	Following OptInResult = "following"
	// ConfirmSent: a confirmation mail is on its way.
	ConfirmSent OptInResult = "confirm_sent"
	// ConfirmPending: a confirmation mail went out within the hour; the
	// comment is followed once that link is used.
	ConfirmPending OptInResult = "confirm_pending"
)

// OptIn makes the author of c follow the replies to it, in lang. The first
// opt-in of an address on a site queues a confirmation mail; until the
// link in it is used no reply is mailed. Errors: Invalid (no email).
func (s *Service) OptIn(ctx context.Context, c comment.Comment, lang string) (OptInResult, error) {
	email := NormalizeEmail(c.Email)
	if email == "" {
		return "", comment.FieldError("email", "Enter your email address to be told of replies.")
	}
	now := s.now().UTC()
	sub, err := s.store.SaveFollow(ctx, c.SiteID, email, Lang(lang), c.ID, now)
	if err != nil {
		return "", err
	}
	if sub.Active() {
		return Following, nil
	}
	token, hash, err := newToken()
	if err != nil {
		return "", err
	}
	m := Mail{DedupKey: "confirm:" + itoa(sub.ID) + ":" + itoa(now.UnixNano()), Kind: KindConfirm, SiteID: sub.SiteID,
		SubscriptionID: sub.ID, CommentID: c.ID, Secret: token, NextAttemptAt: now, CreatedAt: now}
	sent, err := s.store.StartConfirmation(ctx, sub.ID, hash, now.Add(ConfirmTTL), now, now.Add(-ConfirmEvery), m)
	if err != nil {
		return "", err
	}
	if !sent {
		return ConfirmPending, nil
	}
	return ConfirmSent, nil
}

// errBadLink is what every unusable link gets: a reader cannot do anything
// different about an expired, used or mistyped one.
func errBadLink() error {
	return comment.Errorf(comment.NotFound, "This link is not valid any more. Tick the box under your next comment to get a new one.")
}

// PendingConfirmation returns the subscription a confirmation token would
// confirm, without confirming it (the page a link opens, which mail
// scanners fetch too). Errors: NotFound.
func (s *Service) PendingConfirmation(ctx context.Context, token string) (Subscription, error) {
	if !wellFormed(token) {
		return Subscription{}, errBadLink()
	}
	sub, err := s.store.FindSubscriptionByConfirmHash(ctx, hashToken(token))
	if comment.CodeOf(err) == comment.NotFound || (err == nil && !s.now().Before(sub.ConfirmExpires)) {
		return Subscription{}, errBadLink()
	}
	return sub, err
}

// Confirm confirms the subscription of a confirmation token: from now on
// replies to what it follows are mailed. Errors: NotFound.
func (s *Service) Confirm(ctx context.Context, token string) (Subscription, error) {
	sub, err := s.PendingConfirmation(ctx, token)
	if err != nil {
		return Subscription{}, err
	}
	if err := s.store.ConfirmSubscription(ctx, sub.ID, s.now().UTC()); err != nil {
		return Subscription{}, err
	}
	sub.ConfirmedAt = s.now().UTC()
	return sub, nil
}

// Subscription returns the subscription an unsubscribe token names.
// Errors: NotFound (a token that is not ours).
func (s *Service) Subscription(ctx context.Context, token string) (Subscription, error) {
	id, ok := s.checkUnsubscribeToken(token)
	if !ok {
		return Subscription{}, errBadLink()
	}
	sub, err := s.store.FindSubscriptionByID(ctx, id)
	if comment.CodeOf(err) == comment.NotFound {
		return Subscription{}, errBadLink()
	}
	return sub, err
}

// Unsubscribe stops every mail to the subscription an unsubscribe token
// names. Doing it twice is fine. Errors: NotFound.
func (s *Service) Unsubscribe(ctx context.Context, token string) (Subscription, error) {
	sub, err := s.Subscription(ctx, token)
	if err != nil {
		return Subscription{}, err
	}
	if !sub.UnsubscribedAt.IsZero() {
		return sub, nil
	}
	sub.UnsubscribedAt = s.now().UTC()
	return sub, s.store.Unsubscribe(ctx, sub.ID, sub.UnsubscribedAt)
}

// UnsubscribeToken is the token of a subscription's unsubscribe link.
func (s *Service) UnsubscribeToken(subID int64) string { return unsubscribeToken(s.key, subID) }
