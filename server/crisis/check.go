package crisis

import (
	"context"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// Check looks at the last window of every site at now: it opens a crisis
// for each post or site newly in a burst (storing, with it, the alerts
// alerts plans for it), marks the open ones whose burst goes on, and ends
// those that have been quiet for a whole window.
//
// A post's comments count for its site only while the post has no crisis
// of its own, so one burst raises one alert; and while a site-wide crisis
// is open its posts open none of their own.
func (w *Watcher) Check(ctx context.Context, now time.Time, alerts func(Crisis) []comment.Notification) error {
	now = now.UTC()
	tallies, err := w.store.CountRecent(ctx, now.Add(-w.rules.Window), w.rules.NegativeAt)
	if err != nil {
		return err
	}
	open, err := w.store.FindOpenCrises(ctx, nil)
	if err != nil {
		return err
	}
	openBy := make(map[Scope]Crisis, len(open))
	for _, c := range open {
		openBy[c.Scope] = c
	}
	seen := map[int64]Tally{}
	rest := map[int64]Tally{} // per site: the comments of posts without a crisis
	for _, t := range tallies {
		_, siteWide := openBy[Scope{SiteID: t.SiteID}]
		inCrisis := false
		if _, ok := openBy[t.Scope]; ok || !siteWide {
			if inCrisis, err = w.look(ctx, t, now, openBy, seen, alerts); err != nil {
				return err
			}
		}
		if !inCrisis {
			r := rest[t.SiteID]
			r.SiteID, r.Comments, r.Negative, r.Unanswered = t.SiteID, r.Comments+t.Comments, r.Negative+t.Negative, r.Unanswered+t.Unanswered
			rest[t.SiteID] = r
		}
	}
	for _, t := range rest {
		if _, err := w.look(ctx, t, now, openBy, seen, alerts); err != nil {
			return err
		}
	}
	return w.settle(ctx, now, open, seen)
}

// look checks one scope's tally. It opens a crisis for a new burst and
// notes an open crisis whose burst goes on; it reports whether the scope
// has a crisis (open before or now).
func (w *Watcher) look(ctx context.Context, t Tally, now time.Time, openBy map[Scope]Crisis, seen map[int64]Tally,
	alerts func(Crisis) []comment.Notification) (bool, error) {
	c, isOpen := openBy[t.Scope]
	reason, usual, err := w.burst(ctx, t, now)
	if err != nil || reason == "" {
		return isOpen, err
	}
	if isOpen {
		seen[c.ID] = t
		return true, nil
	}
	c = Crisis{Scope: t.Scope, Reason: reason, Negative: t.Negative, Unanswered: t.Unanswered,
		UsualNegative: usual.negative, UsualComments: usual.comments, StartedAt: now, LastSeenAt: now}
	c, created, err := w.store.OpenCrisis(ctx, c, alerts)
	if err != nil {
		return false, err
	}
	if created {
		w.log.Warn("possible crisis", "crisis_id", c.ID, "site_id", c.Scope.SiteID, "thread_id", c.Scope.ThreadID,
			"reason", c.Reason, "negative", c.Negative, "unanswered", c.Unanswered,
			"usual_negative", c.UsualNegative, "usual_comments", c.UsualComments)
	}
	// Opened here or, a moment before, by another replica: either way the
	// scope has its crisis now.
	openBy[t.Scope] = c
	return true, nil
}

// usualRate is a scope's mean number of comments per window.
type usualRate struct{ negative, comments float64 }

// burst says why a scope's tally of the last window is a burst, or "".
// The usual rate is read only for a tally past a minimum, so a quiet
// minute costs one query for all sites.
func (w *Watcher) burst(ctx context.Context, t Tally, now time.Time) (Reason, usualRate, error) {
	r := w.rules
	if t.Negative < r.MinNegative && t.Unanswered < r.MinUnanswered {
		return "", usualRate{}, nil
	}
	start := now.Add(-r.Window)
	u, err := w.store.CountUsual(ctx, t.Scope, start.Add(-r.History), start, r.NegativeAt)
	if err != nil {
		return "", usualRate{}, err
	}
	windows := float64(r.History) / float64(r.Window)
	usual := usualRate{negative: float64(u.Negative) / windows, comments: float64(u.Comments) / windows}
	switch {
	case t.Negative >= r.MinNegative && float64(t.Negative) >= r.NegativeFactor*usual.negative:
		return ReasonNegative, usual, nil
	case t.Unanswered >= r.MinUnanswered && float64(t.Unanswered) >= r.UnansweredFactor*usual.comments:
		return ReasonUnanswered, usual, nil
	}
	return "", usual, nil
}

// settle records the open crises whose burst went on and ends those quiet
// for a whole window.
func (w *Watcher) settle(ctx context.Context, now time.Time, open []Crisis, seen map[int64]Tally) error {
	for _, c := range open {
		if t, ok := seen[c.ID]; ok {
			if err := w.store.SeeCrisis(ctx, c.ID, now, t.Negative, t.Unanswered); err != nil {
				return err
			}
			continue
		}
		if c.LastSeenAt.After(now.Add(-w.rules.Window)) {
			continue
		}
		if err := w.store.EndCrisis(ctx, c.ID, now.Add(-w.rules.Window), now); err != nil {
			return err
		}
		w.log.Info("crisis over", "crisis_id", c.ID, "site_id", c.Scope.SiteID, "thread_id", c.Scope.ThreadID)
	}
	return nil
}
