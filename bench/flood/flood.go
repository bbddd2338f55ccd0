package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// floodResult is what the flooder saw. Times are from the start of phase A.
type floodResult struct {
	Planned int64 `json:"planned"`
	Sent    int64 `json:"sent"` // answered, or failed before the phase ended
	Created int64 `json:"created"`
	// Held counts the 201s whose comment waits for a moderator (pending).
	Held int64 `json:"held"`
	// Limited counts 429s with the code rate_limited and a Retry-After of
	// whole seconds; BadLimited counts 429s without them.
	Limited    int64            `json:"limited"`
	BadLimited int64            `json:"bad_429"`
	Other      map[string]int64 `json:"other,omitempty"` // any other status or error
	// CreatedAfter429 counts 201s to posts sent after the first 429 had
	// arrived: posts already admitted before it may still be answered later.
	CreatedAfter429 int64   `json:"created_after_first_429"`
	RetryAfterMin   int     `json:"retry_after_min_s"`
	RetryAfterMax   int     `json:"retry_after_max_s"`
	StartS          float64 `json:"start_s"`
	EndS            float64 `json:"end_s"`
	RPS             float64 `json:"rps"`
	// Allowed is the most 201s the flooder may get under -rate-post: the
	// full bucket plus what refills while it floods (-1: not checked).
	Allowed int64 `json:"allowed"`
}

func (f *floodResult) other() int64 {
	var n int64
	for _, v := range f.Other {
		n += v
	}
	return n
}

// floodEvent is one answer to the flooder.
type floodEvent struct {
	sent, at   time.Time
	status     int
	cstatus    string
	code       string
	retryAfter string
	err        error
}

// flood sends o.flood posts from one address over o.floodConns connections
// as fast as they go, from start until they are all answered or end comes.
// Each post also claims a different address in X-Forwarded-For and
// X-Real-IP, which the server must not believe from an untrusted peer.
func flood(ctx context.Context, o options, threads []*thread, base, start, end time.Time) *floodResult {
	select {
	case <-ctx.Done():
		return &floodResult{Planned: int64(o.flood)}
	case <-time.After(time.Until(start)):
	}
	ctx, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	c := newClient(o, loopback(flooderAddr), o.floodConns)
	var next atomic.Int64
	events := make([][]floodEvent, o.floodConns)
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := range events {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 4))
			for n := next.Add(1); n <= int64(o.flood) && ctx.Err() == nil; n = next.Add(1) {
				th := threads[int(n)%len(threads)]
				spoof := fmt.Sprintf("203.0.113.%d", n%250+1)
				h := http.Header{"X-Forwarded-For": {spoof}, "X-Real-Ip": {spoof}}
				in := commentRequest{URL: th.url, Author: "Flood", Body: sentence(rng, "flood"+strconv.FormatInt(n, 10))}
				sent := time.Now()
				a, err := c.post(ctx, in, h)
				if err != nil && ctx.Err() != nil {
					return // cut off by the end of the phase: not counted
				}
				events[w] = append(events[w], floodEvent{sent: sent, at: time.Now(), status: a.status, cstatus: a.cstatus, code: a.code, retryAfter: a.retryAfter, err: err})
			}
		})
	}
	wg.Wait()
	r := tally(events, o.ratePost, time.Since(t0))
	r.Planned, r.StartS, r.EndS = int64(o.flood), t0.Sub(base).Seconds(), time.Since(base).Seconds()
	return r
}

// tally sums up the flooder's answers.
func tally(events [][]floodEvent, limit rate, took time.Duration) *floodResult {
	r := &floodResult{Allowed: -1, RetryAfterMin: -1}
	var first429 time.Time
	for _, es := range events {
		for _, e := range es {
			if e.err == nil && e.status == http.StatusTooManyRequests && (first429.IsZero() || e.at.Before(first429)) {
				first429 = e.at
			}
		}
	}
	for _, es := range events {
		for _, e := range es {
			r.Sent++
			switch {
			case e.err != nil:
				r.addOther(errorKind(e.err))
			case e.status == http.StatusCreated:
				r.Created++
				if e.cstatus != "approved" {
					r.Held++
				}
				if !first429.IsZero() && e.sent.After(first429) {
					r.CreatedAfter429++
				}
			case e.status == http.StatusTooManyRequests:
				secs, err := strconv.Atoi(e.retryAfter)
				if e.code != "rate_limited" || err != nil || secs < 1 {
					r.BadLimited++
					continue
				}
				r.Limited++
				if r.RetryAfterMin < 0 || secs < r.RetryAfterMin {
					r.RetryAfterMin = secs
				}
				r.RetryAfterMax = max(r.RetryAfterMax, secs)
			default:
				r.addOther(fmt.Sprintf("status %d (%s)", e.status, e.code))
			}
		}
	}
	if took > 0 {
		r.RPS = float64(r.Sent) / took.Seconds()
	}
	if limit.n > 0 {
		r.Allowed = int64(limit.n) + int64(took.Seconds()*float64(limit.n)/limit.per.Seconds())
	}
	return r
}

func (f *floodResult) addOther(kind string) {
	if f.Other == nil {
		f.Other = map[string]int64{}
	}
	f.Other[kind]++
}

func errorKind(err error) string {
	s := err.Error()
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}
