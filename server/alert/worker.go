package alert

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/crisis"
	"github.com/parleyhq/parley/server/notify"
)

// Store is what the worker needs of the database.
type Store interface {
	// SweepAlerts hands fn the open comments whose next alert is due and
	// stores, in the same transaction, the notifications and steps fn returns.
	SweepAlerts(ctx context.Context, now time.Time, limit int,
		fn func([]comment.Comment) ([]comment.Notification, map[int64]comment.AlertStep, error)) (int, error)
	// ClaimNotifications leases due notifications to this worker.
	ClaimNotifications(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]comment.Notification, error)
	// FinishNotification records the outcome of a claimed notification.
	FinishNotification(ctx context.Context, id int64, status comment.NotificationStatus, next time.Time, lastErr string, at time.Time) error
	// FindRecipients returns every account with its sites and preferences.
	FindRecipients(ctx context.Context) ([]comment.Recipient, error)
	// FindCommentByID returns one comment. NotFound.
	FindCommentByID(ctx context.Context, id int64) (comment.Comment, error)
	// FindThreadByID returns one thread. NotFound.
	FindThreadByID(ctx context.Context, id int64) (comment.Thread, error)
	// FindOverdue returns a site's open comments past their deadline.
	FindOverdue(ctx context.Context, siteID int64, now time.Time, limit int) ([]comment.Listed, error)
	// FindNotificationByID returns one notification. NotFound.
	FindNotificationByID(ctx context.Context, id int64) (comment.Notification, error)
}

// Crises watches for bursts of negative or unanswered comments
// (crisis.Watcher does).
type Crises interface {
	// Check opens, extends and ends crises at now; alerts plans the
	// notifications of a new one.
	Check(ctx context.Context, now time.Time, alerts func(crisis.Crisis) []comment.Notification) error
	// Report describes a crisis for its alert. NotFound.
	Report(ctx context.Context, id int64) (crisis.Report, error)
}

// Sites looks sites up by ID (comment.Service does).
type Sites interface {
	SiteByID(id int64) (comment.Site, bool)
}

// Mailer sends one email (notify.Mailer does).
type Mailer interface {
	Send(ctx context.Context, m notify.Message) error
}

// Hooks posts one webhook (notify.Poster does).
type Hooks interface {
	Post(ctx context.Context, h notify.Webhook, ev notify.Event) error
}

// Config holds what a Worker needs.
type Config struct {
	Store    Store
	Sites    Sites
	Schedule *Schedule
	Mailer   Mailer // nil: no email alerts
	Hooks    Hooks  // nil: a notify.Poster
	Crises   Crises // nil: no crisis warnings
	Log      *slog.Logger
	Now      func() time.Time
	// PublicURL is where staff reach Parley (https://comments.example.com),
	// for the links in alerts.
	PublicURL string
	// From is the alerts' sender address.
	From string
	// ReplyDomain, when set, gives each email alert a reply address
	// reply+TOKEN@ReplyDomain that the mail listener takes answers at.
	ReplyDomain string
	// ReplyKey keys the reply tokens.
	ReplyKey []byte
	// Interval is how often the worker looks for due work (5s).
	Interval time.Duration
	// MaxAttempts is how often a notification is tried before it fails (20,
	// about a day with the backoff).
	MaxAttempts int
}

// Worker plans and sends alerts. Several may run on one database (one per
// replica): sweeps and sends are claimed with row locks and leases, and the
// outbox's dedup keys keep each step to one message per person.
type Worker struct {
	store       Store
	sites       Sites
	schedule    *Schedule
	mail        Mailer
	hooks       Hooks
	crises      Crises
	log         *slog.Logger
	now         func() time.Time
	publicURL   string
	from        string
	replyDomain string
	replyKey    []byte
	interval    time.Duration
	maxAttempts int
}

// The worker's batch sizes and the lease on a claimed notification: longer
// than one send may take (SMTP and webhook timeouts are 30 s and 10 s).
const (
	sweepBatch = 500
	sendBatch  = 50
	lease      = 2 * time.Minute
)

// New returns a Worker.
func New(cfg Config) *Worker {
	w := &Worker{store: cfg.Store, sites: cfg.Sites, schedule: cfg.Schedule, mail: cfg.Mailer, hooks: cfg.Hooks,
		crises: cfg.Crises, log: cfg.Log, now: cfg.Now, publicURL: cfg.PublicURL, from: cfg.From, replyDomain: cfg.ReplyDomain,
		replyKey: cfg.ReplyKey, interval: cfg.Interval, maxAttempts: cfg.MaxAttempts}
	if w.schedule == nil {
		w.schedule = NewSchedule()
	}
	if w.hooks == nil {
		w.hooks = notify.NewPoster(nil, nil)
	}
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
	notify.Every(ctx, w.interval, w.Tick, func(err error) { w.log.Error("alerts", "err", err) })
	return nil
}

// Tick plans every alert due now, looks for a crisis, and sends every
// notification due now.
func (w *Worker) Tick(ctx context.Context) error {
	people, err := w.store.FindRecipients(ctx)
	if err != nil {
		return err
	}
	return errors.Join(w.sweep(ctx, people), w.watch(ctx, people), w.send(ctx, people))
}

// sweep plans the alerts of every comment whose next step is due.
func (w *Worker) sweep(ctx context.Context, people []comment.Recipient) error {
	for {
		now := w.now().UTC()
		n, err := w.store.SweepAlerts(ctx, now, sweepBatch, w.plan(people, now))
		if err != nil || n < sweepBatch {
			return err
		}
	}
}

// send delivers every notification due now.
func (w *Worker) send(ctx context.Context, people []comment.Recipient) error {
	byID := make(map[int64]comment.Recipient, len(people))
	for _, p := range people {
		byID[p.ID] = p
	}
	claim := func() ([]comment.Notification, error) {
		return w.store.ClaimNotifications(ctx, w.now().UTC(), lease, sendBatch)
	}
	return notify.Drain(ctx, sendBatch, claim, func(n comment.Notification) error { return w.deliver(ctx, n, byID) })
}

// deliver sends one claimed notification and records the outcome. Only a
// database error is returned; a failed send is retried later.
func (w *Worker) deliver(ctx context.Context, n comment.Notification, people map[int64]comment.Recipient) error {
	now := w.now().UTC()
	finish := func(st comment.NotificationStatus, next time.Time, msg string) error {
		return w.store.FinishNotification(ctx, n.ID, st, next, msg, now)
	}
	r, ok := people[n.UserID]
	site, siteOK := w.sites.SiteByID(n.SiteID)
	if !ok || !siteOK || !(r.Owner || containsID(r.SiteIDs, n.SiteID)) {
		return finish(comment.NotificationCancelled, time.Time{}, "the person or the site is gone")
	}
	// A crisis does not wait for the morning: that is the point of it.
	if end, quiet := quietUntil(r, now); quiet && n.Kind != comment.AlertCrisis {
		return finish(comment.NotificationPending, end, "quiet hours")
	}
	msg, err := w.compose(ctx, n, site, r, now)
	if errors.Is(err, errNothingToSay) {
		return finish(comment.NotificationCancelled, time.Time{}, "answered before it was sent")
	}
	if err != nil {
		return err
	}
	if err := w.post(ctx, n, r, msg); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		st, next := notify.Retry(err, n.Attempts, w.maxAttempts, now)
		if st == comment.NotificationFailed {
			w.log.Warn("alert failed", "notification_id", n.ID, "kind", n.Kind, "channel", n.Channel, "err", err)
		} else {
			w.log.Info("alert will be retried", "notification_id", n.ID, "attempt", n.Attempts, "err", err)
		}
		return finish(st, next, err.Error())
	}
	w.log.Info("alert sent", "notification_id", n.ID, "kind", n.Kind, "channel", n.Channel, "comment_id", n.CommentID)
	return finish(comment.NotificationSent, time.Time{}, "")
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
