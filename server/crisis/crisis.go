// Package crisis warns of a possible crisis: a burst of negative or
// unanswered reader comments on one post, or across a site, well above its
// usual rate. A burst opens a crisis, which alerts the owners once (the
// alert worker calls Check and sends what it plans); the crisis stays open
// while the burst lasts and ends after a quiet window, so that a later
// burst alerts again.
//
// It imports comment and the stdlib; the store satisfies its Store.
package crisis

import (
	"context"
	"log/slog"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// Reason is what made a burst a crisis.
type Reason string

// The reasons.
const (
	ReasonNegative   Reason = "negative"   // negative comments well above the usual
	ReasonUnanswered Reason = "unanswered" // comments waiting for an answer well above the usual
)

// Scope is where a burst happens: one post, or a whole site (ThreadID 0).
type Scope struct {
	SiteID   int64
	ThreadID int64
}

// Crisis is one burst, from when it was seen first until a quiet window
// ended it.
type Crisis struct {
	ID     int64
	Scope  Scope
	Reason Reason
	// Negative and Unanswered are the most comments seen in one window
	// while it lasted; UsualNegative and UsualComments the mean per window
	// over the History before it started.
	Negative, Unanswered         int
	UsualNegative, UsualComments float64
	StartedAt, LastSeenAt        time.Time
	EndedAt                      time.Time // zero while open
}

// Tally counts the reader comments of a scope in some span: all of them,
// the negative ones and the ones still waiting for an answer. Spam and
// deleted comments, staff replies and imported (unscored) comments do not
// count.
type Tally struct {
	Scope
	Comments, Negative, Unanswered int
}

// Store is what the watcher needs of the database.
type Store interface {
	// CountRecent tallies, per post, the comments posted since since; a
	// comment is negative from negativeAt.
	CountRecent(ctx context.Context, since time.Time, negativeAt float64) ([]Tally, error)
	// CountUsual tallies the comments of a post or a site posted in [from, to).
	CountUsual(ctx context.Context, s Scope, from, to time.Time, negativeAt float64) (Tally, error)
	// FindOpenCrises returns the crises not yet ended of the sites (nil:
	// every site), oldest first.
	FindOpenCrises(ctx context.Context, siteIDs []int64) ([]Crisis, error)
	// OpenCrisis stores c unless a crisis of its scope is open already,
	// and in the same transaction the notifications alerts returns for
	// the stored crisis. It reports whether it stored c.
	OpenCrisis(ctx context.Context, c Crisis, alerts func(Crisis) []comment.Notification) (Crisis, bool, error)
	// SeeCrisis records that an open crisis's burst goes on at at, keeping
	// the highest counts; an ended crisis stays as it is.
	SeeCrisis(ctx context.Context, id int64, at time.Time, negative, unanswered int) error
	// EndCrisis ends an open crisis at at if it was last seen no later
	// than quietSince.
	EndCrisis(ctx context.Context, id int64, quietSince, at time.Time) error
	// FindCrisisByID returns one crisis. NotFound.
	FindCrisisByID(ctx context.Context, id int64) (Crisis, error)
	// FindCrisisComments returns up to limit comments of a scope posted
	// since since, the most negative first, with their posts.
	FindCrisisComments(ctx context.Context, s Scope, since time.Time, limit int) ([]comment.Listed, error)
	// FindThreadByID returns one post. NotFound.
	FindThreadByID(ctx context.Context, id int64) (comment.Thread, error)
}

// Rules say what a burst is. A scope is in a burst when, in the last
// Window, its negative comments reach both MinNegative and NegativeFactor
// times their usual number per window, or its comments still waiting for
// an answer reach both MinUnanswered and UnansweredFactor times the usual
// number of comments per window. The usual number is the mean per window
// over the History before the current window. The minimums keep a quiet
// blog, whose usual number is about zero, from alerting on a handful.
type Rules struct {
	Window           time.Duration // 10 minutes
	History          time.Duration // 7 days
	NegativeAt       float64       // the tone score from which a comment is negative: tone.Threshold
	MinNegative      int           // 10
	NegativeFactor   float64       // 5
	MinUnanswered    int           // 50
	UnansweredFactor float64       // 10
}

// The default rules.
const (
	DefaultWindow           = 10 * time.Minute
	DefaultHistory          = 7 * 24 * time.Hour
	DefaultMinNegative      = 10
	DefaultNegativeFactor   = 5
	DefaultMinUnanswered    = 50
	DefaultUnansweredFactor = 10
)

func (r Rules) withDefaults() Rules {
	if r.Window <= 0 {
		r.Window = DefaultWindow
	}
	if r.History < r.Window {
		r.History = DefaultHistory
	}
	if !(r.NegativeAt > 0) {
		r.NegativeAt = comment.DefaultNegativeAt
	}
	if r.MinNegative <= 0 {
		r.MinNegative = DefaultMinNegative
	}
	if !(r.NegativeFactor > 0) {
		r.NegativeFactor = DefaultNegativeFactor
	}
	if r.MinUnanswered <= 0 {
		r.MinUnanswered = DefaultMinUnanswered
	}
	if !(r.UnansweredFactor > 0) {
		r.UnansweredFactor = DefaultUnansweredFactor
	}
	return r
}

// Config holds what a Watcher needs.
type Config struct {
	Store Store
	Rules Rules // zero fields take the defaults
	Log   *slog.Logger
}

// Watcher finds bursts and keeps the crises. Several may run on one
// database (one per replica): the store keeps one open crisis per scope.
type Watcher struct {
	store Store
	rules Rules
	log   *slog.Logger
}

// New returns a Watcher.
func New(cfg Config) *Watcher {
	w := &Watcher{store: cfg.Store, rules: cfg.Rules.withDefaults(), log: cfg.Log}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	return w
}

// Rules returns the rules in force.
func (w *Watcher) Rules() Rules { return w.rules }
