package reader

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/notify"
)

// Sites looks sites up by ID (comment.Service does).
type Sites interface {
	SiteByID(id int64) (comment.Site, bool)
}

// Mailer sends one email (notify.Mailer does).
type Mailer interface {
	Send(ctx context.Context, m notify.Message) error
}

// WorkerConfig holds what a Worker needs.
type WorkerConfig struct {
	Store   Store
	Service *Service // signs the unsubscribe links
	Sites   Sites
	Mailer  Mailer
	Log     *slog.Logger
	Now     func() time.Time
	// PublicURL is where readers reach Parley, for the confirm and
	// unsubscribe links.
	PublicURL string
	// From is the sender address.
	From string
	// Interval is how often the worker looks for work (5s).
	Interval time.Duration
	// MaxAttempts is how often a mail is tried before it fails (20).
	MaxAttempts int
}

// Worker queues the reply mails of new replies and sends the reader
// outbox. Several may run on one database (one per replica): sweeps and
// sends are claimed with row locks and leases, as the staff alerts' are.
type Worker struct {
	store       Store
	svc         *Service
	sites       Sites
	mail        Mailer
	log         *slog.Logger
	now         func() time.Time
	publicURL   string
	from        string
	interval    time.Duration
	maxAttempts int
}

// Batch sizes, and the lease on a claimed mail: longer than the SMTP
// timeout (30 s).
const (
	sweepBatch = 500
	sendBatch  = 50
	lease      = 2 * time.Minute
)

// NewWorker returns a Worker.
func NewWorker(cfg WorkerConfig) *Worker {
	w := &Worker{store: cfg.Store, svc: cfg.Service, sites: cfg.Sites, mail: cfg.Mailer, log: cfg.Log, now: cfg.Now,
		publicURL: cfg.PublicURL, from: cfg.From, interval: cfg.Interval, maxAttempts: cfg.MaxAttempts}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if w.now == nil {
		w.now = time.Now
	}
	if w.interval <= 0 {
		w.interval = 5 * time.Second
	}
	if w.maxAttempts <= 0 {
		w.maxAttempts = 20
	}
	return w
}

// Run works until ctx is done.
func (w *Worker) Run(ctx context.Context) error {
	notify.Every(ctx, w.interval, w.Tick, func(err error) { w.log.Error("reader mail", "err", err) })
	return nil
}

// Tick queues the mails of every reply shown since the last tick and sends
// every mail due now.
func (w *Worker) Tick(ctx context.Context) error {
	if err := w.sweep(ctx); err != nil {
		return err
	}
	return w.send(ctx)
}

func (w *Worker) sweep(ctx context.Context) error {
	for {
		now := w.now().UTC()
		n, err := w.store.SweepReplies(ctx, now, sweepBatch, func(rs []Reply) []Mail { return PlanReplies(rs, now) })
		if err != nil || n < sweepBatch {
			return err
		}
	}
}

// PlanReplies is who hears of which reply: every active follower of the
// parent except the one who wrote the reply (same address), once per reply
// (the dedup key).
func PlanReplies(rs []Reply, now time.Time) []Mail {
	var out []Mail
	for _, r := range rs {
		for _, f := range r.Followers {
			if !f.Active() || f.SiteID != r.Comment.SiteID || NormalizeEmail(r.Comment.Email) == f.Email {
				continue
			}
			out = append(out, Mail{DedupKey: "reply:" + itoa(r.Comment.ID) + ":" + itoa(f.ID), Kind: KindReply,
				SiteID: f.SiteID, SubscriptionID: f.ID, CommentID: r.Comment.ID, NextAttemptAt: now, CreatedAt: now})
		}
	}
	return out
}

func (w *Worker) send(ctx context.Context) error {
	claim := func() ([]Mail, error) { return w.store.ClaimReaderMail(ctx, w.now().UTC(), lease, sendBatch) }
	return notify.Drain(ctx, sendBatch, claim, func(m Mail) error { return w.deliver(ctx, m) })
}

// errCancel says why a mail is not to be sent after all.
type errCancel string

func (e errCancel) Error() string { return string(e) }

// deliver sends one claimed mail and records the outcome. Only a database
// error is returned; a failed send is retried later.
func (w *Worker) deliver(ctx context.Context, m Mail) error {
	now := w.now().UTC()
	finish := func(st Status, next time.Time, msg string) error {
		return w.store.FinishReaderMail(ctx, m.ID, st, next, msg, now)
	}
	msg, err := w.compose(ctx, m)
	var cancel errCancel
	if errors.As(err, &cancel) {
		return finish(comment.NotificationCancelled, time.Time{}, cancel.Error())
	}
	if err != nil {
		return err
	}
	if w.mail == nil {
		return finish(comment.NotificationFailed, time.Time{}, "email is not set up")
	}
	if err := w.mail.Send(ctx, msg); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		st, next := notify.Retry(err, m.Attempts, w.maxAttempts, now)
		w.log.Warn("reader mail not sent", "reader_mail_id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "status", st, "err", err)
		return finish(st, next, err.Error())
	}
	w.log.Info("reader mail sent", "reader_mail_id", m.ID, "kind", m.Kind, "comment_id", m.CommentID)
	return finish(comment.NotificationSent, time.Time{}, "")
}

// compose builds the mail, or says with errCancel why it is not to go:
// the checks run at send time, so that an unsubscribe or a hidden reply
// stops a mail that was queued before.
func (w *Worker) compose(ctx context.Context, m Mail) (notify.Message, error) {
	sub, err := w.store.FindSubscriptionByID(ctx, m.SubscriptionID)
	if comment.CodeOf(err) == comment.NotFound {
		return notify.Message{}, errCancel("the subscription is gone")
	}
	if err != nil {
		return notify.Message{}, err
	}
	site, ok := w.sites.SiteByID(sub.SiteID)
	switch {
	case !ok:
		return notify.Message{}, errCancel("the site is gone")
	case !sub.UnsubscribedAt.IsZero():
		return notify.Message{}, errCancel("unsubscribed")
	case m.Kind == KindConfirm && !sub.ConfirmedAt.IsZero():
		return notify.Message{}, errCancel("confirmed already")
	case m.Kind == KindConfirm && m.Secret == "":
		return notify.Message{}, errCancel("no token")
	case m.Kind == KindReply && !sub.Active():
		return notify.Message{}, errCancel("not confirmed")
	}
	c, err := w.store.FindCommentByID(ctx, m.CommentID)
	if comment.CodeOf(err) == comment.NotFound {
		return notify.Message{}, errCancel("the comment is gone")
	}
	if err != nil {
		return notify.Message{}, err
	}
	if m.Kind == KindConfirm {
		return w.confirmMail(ctx, m, sub, site, c)
	}
	if c.Status != comment.StatusApproved {
		return notify.Message{}, errCancel("the reply is not shown")
	}
	return w.replyMail(ctx, m, sub, site, c)
}
