package web

import (
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

// Rate is N events per Per; a zero N means no limit.
type Rate struct {
	N   int
	Per time.Duration
}

// Limits are the rate limits of the public API.
type Limits struct {
	Post Rate // new comments per client address
	Site Rate // new comments per site, all addresses together
	Edit Rate // edits and deletes per client address
}

// limiter is a token bucket per key: N tokens, refilled at N per Per. It
// lives in memory; each replica limits on its own.
type limiter struct {
	rate      Rate
	now       func() time.Time
	mu        sync.Mutex
	buckets   map[string]*bucket
	lastPrune time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets is how many keys a limiter holds before it forgets the ones
// that are full again (those clients are back to an unused budget anyway).
const maxBuckets = 10000

func newLimiter(r Rate, now func() time.Time) *limiter {
	return &limiter{rate: r, now: now, buckets: map[string]*bucket{}}
}

// allow takes a token for key, or says how long until one is free.
func (l *limiter) allow(key string) (bool, time.Duration) {
	if l == nil || l.rate.N <= 0 || l.rate.Per <= 0 {
		return true, 0
	}
	now := l.now()
	perToken := l.rate.Per / time.Duration(l.rate.N)
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.rate.N), last: now}
		l.buckets[key] = b
		l.prune(now)
	}
	b.tokens = min(float64(l.rate.N), b.tokens+float64(now.Sub(b.last))/float64(perToken))
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(perToken))
}

func (l *limiter) prune(now time.Time) {
	if len(l.buckets) <= maxBuckets || now.Sub(l.lastPrune) < time.Second {
		return
	}
	l.lastPrune = now
	for k, b := range l.buckets {
		if float64(now.Sub(b.last)) >= float64(l.rate.Per) {
			delete(l.buckets, k)
		}
	}
}

// limiters holds one limiter per limit.
type limiters struct {
	post, site, edit *limiter
}

func newLimiters(l Limits, now func() time.Time) limiters {
	if now == nil {
		now = time.Now
	}
	return limiters{post: newLimiter(l.Post, now), site: newLimiter(l.Site, now), edit: newLimiter(l.Edit, now)}
}

// limitPost admits a new comment from the request's address to a site. A
// request refused for its address does not spend the site's budget, so one
// flooding address cannot lock everyone else out.
func (s *Server) limitPost(c echo.Context, site comment.Site) error {
	if ok, wait := s.limits.post.allow(c.RealIP()); !ok {
		return rateLimited(wait, "You are posting too fast.")
	}
	if ok, wait := s.limits.site.allow(site.Name); !ok {
		return rateLimited(wait, "This site is receiving too many comments right now.")
	}
	return nil
}

// limitEdit admits an edit or delete from the request's address.
func (s *Server) limitEdit(c echo.Context) error {
	if ok, wait := s.limits.edit.allow(c.RealIP()); !ok {
		return rateLimited(wait, "You are changing comments too fast.")
	}
	return nil
}

func rateLimited(wait time.Duration, msg string) error {
	if wait < time.Second {
		wait = time.Second
	}
	return &comment.Error{Code: comment.RateLimited, RetryAfter: wait,
		Message: msg + " Please try again in " + wait.Round(time.Second).String() + "."}
}
