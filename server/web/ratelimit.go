package web

import (
	"net/netip"
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
	if len(l.buckets) > 10*maxBuckets {
		// Memory matters more than these budgets: a flood from very many
		// addresses starts them all afresh.
		clear(l.buckets)
	}
}

// refund gives back a token taken for key (a request that turned out to be
// the caller's honest mistake, such as an empty comment).
func (l *limiter) refund(key string) {
	if l == nil || l.rate.N <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		b.tokens = min(float64(l.rate.N), b.tokens+1)
	}
}

// clientKey is the address a client is limited by: an IPv4 address, or the
// /64 of an IPv6 one, since one household or server gets a whole /64.
func clientKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil || addr.Is4() || addr.Is4In6() {
		return ip
	}
	p, err := addr.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
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
	key := clientKey(c.RealIP())
	if ok, wait := s.limits.post.allow(key); !ok {
		return rateLimited(wait, "You are posting too fast.")
	}
	if ok, wait := s.limits.site.allow(site.Name); !ok {
		s.limits.post.refund(key)
		return rateLimited(wait, "This site is receiving too many comments right now.")
	}
	return nil
}

// refundPost gives back the tokens of a post refused as invalid, so that a
// reader who gets a field wrong a few times is not locked out.
func (s *Server) refundPost(c echo.Context, site comment.Site, err error) {
	switch comment.CodeOf(err) {
	case comment.Invalid, comment.BadJSON, comment.BadEncoding, comment.EmptyBody, comment.TooLarge,
		comment.UnknownParent, comment.ParentMismatch:
		s.limits.post.refund(clientKey(c.RealIP()))
		s.limits.site.refund(site.Name)
	}
}

// limitEdit admits an edit or delete from the request's address.
func (s *Server) limitEdit(c echo.Context) error {
	if ok, wait := s.limits.edit.allow(clientKey(c.RealIP())); !ok {
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
