package crisis

import (
	"context"
	"fmt"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// Report is what an alert or the panel says of a crisis.
type Report struct {
	Crisis Crisis
	Thread comment.Thread // the post; zero for a site-wide crisis
	// Comments are the most negative comments of the burst, most negative
	// first (only in Report, not in Open).
	Comments []comment.Listed
	// Window is the span the counts are of (Rules.Window).
	Window time.Duration
}

// ExcerptCount is how many comments an alert quotes.
const ExcerptCount = 5

// Report describes one crisis with its most negative comments. Errors:
// NotFound.
func (w *Watcher) Report(ctx context.Context, id int64) (Report, error) {
	c, err := w.store.FindCrisisByID(ctx, id)
	if err != nil {
		return Report{}, err
	}
	r, err := w.report(ctx, c)
	if err != nil {
		return Report{}, err
	}
	r.Comments, err = w.store.FindCrisisComments(ctx, c.Scope, c.StartedAt.Add(-w.rules.Window), ExcerptCount)
	return r, err
}

// Open returns the open crises of the sites the actor may see, oldest
// first, each with its post.
func (w *Watcher) Open(ctx context.Context, a comment.Actor) ([]Report, error) {
	scope := a.Scope()
	if scope != nil && len(scope) == 0 {
		return nil, nil
	}
	cs, err := w.store.FindOpenCrises(ctx, scope)
	if err != nil {
		return nil, err
	}
	out := make([]Report, 0, len(cs))
	for _, c := range cs {
		r, err := w.report(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (w *Watcher) report(ctx context.Context, c Crisis) (Report, error) {
	r := Report{Crisis: c, Window: w.rules.Window}
	if c.Scope.ThreadID == 0 {
		return r, nil
	}
	t, err := w.store.FindThreadByID(ctx, c.Scope.ThreadID)
	if err != nil {
		return Report{}, err
	}
	r.Thread = t
	return r, nil
}

// What says what the burst is: "30 negative comments" or "60 comments
// waiting for an answer".
func (r Report) What() string {
	c := r.Crisis
	if c.Reason == ReasonUnanswered {
		return fmt.Sprintf("%d %s waiting for an answer", c.Unanswered, plural(c.Unanswered, "comment", "comments"))
	}
	return fmt.Sprintf("%d negative %s", c.Negative, plural(c.Negative, "comment", "comments"))
}

// Usual says how many such comments a window usually has: "usually fewer
// than one in 10 minutes".
func (r Report) Usual() string {
	n := r.Crisis.UsualNegative
	if r.Crisis.Reason == ReasonUnanswered {
		n = r.Crisis.UsualComments
	}
	if n < 1 {
		return "usually fewer than one in " + r.Span()
	}
	return fmt.Sprintf("usually about %.0f in %s", n, r.Span())
}

// Span is the window in words: "10 minutes", "1 hour".
func (r Report) Span() string {
	d := r.Window
	if d >= time.Hour && d%time.Hour == 0 {
		h := int(d / time.Hour)
		return fmt.Sprintf("%d %s", h, plural(h, "hour", "hours"))
	}
	m := int(d / time.Minute)
	return fmt.Sprintf("%d %s", m, plural(m, "minute", "minutes"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
