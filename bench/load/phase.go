package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// worker is one connection's loop and what it measured. Each worker keeps
// its own numbers, so that measuring takes no lock.
type worker struct {
	id    int
	rng   *rand.Rand
	req   *http.Request // reused between requests, once the answer is read
	lat   []time.Duration
	ok    int64
	bytes int64
	errs  map[string]int64
}

// request does one request and returns the bytes of the answer's body.
type request func(ctx context.Context, w *worker) (int64, error)

// measure runs do from every connection for warmup (not counted), then for
// dur, and sums up what the workers saw.
func (c *client) measure(ctx context.Context, warmup, dur time.Duration, do request) *result {
	workers := make([]*worker, c.o.conns)
	for i := range workers {
		workers[i] = &worker{id: i, rng: rand.New(rand.NewPCG(uint64(i), 0x9e3779b97f4a7c15))}
	}
	if warmup > 0 {
		drive(ctx, workers, warmup, do)
		for _, w := range workers {
			w.lat, w.ok, w.bytes, w.errs = w.lat[:0], 0, 0, nil
		}
	}
	elapsed := drive(ctx, workers, dur, do)
	return summarize(workers, elapsed)
}

// drive runs do in a loop on every worker until dur has passed; requests in
// flight then finish and count, and the time includes them.
func drive(ctx context.Context, workers []*worker, dur time.Duration, do request) time.Duration {
	var stop atomic.Bool
	t := time.AfterFunc(dur, func() { stop.Store(true) })
	defer t.Stop()
	start := time.Now()
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() {
			for !stop.Load() && ctx.Err() == nil {
				t0 := time.Now()
				n, err := do(ctx, w)
				w.lat = append(w.lat, time.Since(t0))
				w.bytes += n
				if err != nil {
					if w.errs == nil {
						w.errs = map[string]int64{}
					}
					w.errs[errorKind(err)]++
					continue
				}
				w.ok++
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

func errorKind(err error) string {
	var se *statusError
	if errors.As(err, &se) {
		return se.Error()
	}
	s := err.Error()
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}

// loadGet reads one thread as fast as the connections allow, while -live
// comments a second are posted to it.
func (c *client) loadGet(ctx context.Context, pageURL string, warmup, dur time.Duration) *result {
	var stopLive func() *result
	if c.o.live > 0 {
		stopLive = c.startLive(ctx, pageURL)
	}
	r := c.getThread(ctx, pageURL, warmup, dur)
	if stopLive != nil {
		r.Live = stopLive()
	}
	return r
}

// startLive posts c.o.live comments a second to pageURL, over a connection
// of its own, until the function it returns is called; that returns what
// the posts measured.
func (c *client) startLive(ctx context.Context, pageURL string) func() *result {
	ctx, cancel := context.WithCancel(ctx)
	poster := newClient(options{url: c.o.url, site: c.o.site, origin: c.o.origin, conns: 1, gzip: c.o.gzip})
	w := &worker{rng: rand.New(rand.NewPCG(7, 7))}
	var ids []int64
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Duration(float64(time.Second) / c.o.live))
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			t0 := time.Now()
			id, n, err := poster.post(ctx, c.words.newComment(w.rng, pageURL, replyTarget(w.rng, ids)))
			if ctx.Err() != nil {
				return
			}
			w.lat, w.bytes = append(w.lat, time.Since(t0)), w.bytes+n
			if err != nil {
				if w.errs == nil {
					w.errs = map[string]int64{}
				}
				w.errs[errorKind(err)]++
				continue
			}
			w.ok++
			ids = append(ids, id)
		}
	}()
	return func() *result {
		cancel()
		<-done
		r := summarize([]*worker{w}, time.Since(start))
		r.Name = "live POST"
		return r
	}
}

// getThread is loadGet's reading part.
func (c *client) getThread(ctx context.Context, pageURL string, warmup, dur time.Duration) *result {
	u := c.threadURL(pageURL)
	return c.measure(ctx, warmup, dur, func(ctx context.Context, w *worker) (int64, error) {
		if w.req == nil {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err != nil {
				return 0, err
			}
			// A browser on the blog's page sends its origin on this
			// cross-origin fetch.
			req.Header.Set("Origin", c.o.origin)
			req.Header.Set("Accept-Encoding", c.acceptEncoding)
			req.Header.Set("Accept", "application/json")
			w.req = req
		}
		resp, err := c.tr.RoundTrip(w.req)
		if err != nil {
			return 0, err
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return n, err
		}
		if resp.StatusCode != http.StatusOK {
			return n, &statusError{status: resp.StatusCode}
		}
		return n, nil
	})
}

// loadPost posts new comments spread over o.postThreads pages; about a third
// are replies to a comment this run posted on the same page.
func (c *client) loadPost(ctx context.Context, runID string, warmup, dur time.Duration) *result {
	pages := make([]string, c.o.postThreads)
	for i := range pages {
		pages[i] = fmt.Sprintf("%s/posts/p-%s-%d/", c.o.origin, runID, i)
	}
	var mu sync.Mutex
	recent := make([][]int64, len(pages)) // the last IDs posted on each page
	return c.measure(ctx, warmup, dur, func(ctx context.Context, w *worker) (int64, error) {
		p := w.rng.IntN(len(pages))
		mu.Lock()
		in := c.words.newComment(w.rng, pages[p], replyTarget(w.rng, recent[p]))
		mu.Unlock()
		id, n, err := c.post(ctx, in)
		if err != nil {
			return n, err
		}
		mu.Lock()
		if recent[p] = append(recent[p], id); len(recent[p]) > 40 {
			recent[p] = recent[p][1:]
		}
		mu.Unlock()
		return n, nil
	})
}

// result is what one phase measured. Latencies are in milliseconds.
type result struct {
	Name             string           `json:"name"`
	Comments         int              `json:"comments,omitempty"`
	Requests         int64            `json:"requests"`
	OK               int64            `json:"ok"`
	Errors           int64            `json:"errors"`
	ErrorKinds       map[string]int64 `json:"error_kinds,omitempty"`
	Seconds          float64          `json:"seconds"`
	RPS              float64          `json:"rps"` // successful answers per second
	P50              float64          `json:"p50_ms"`
	P90              float64          `json:"p90_ms"`
	P99              float64          `json:"p99_ms"`
	Max              float64          `json:"max_ms"`
	BytesPerResponse float64          `json:"bytes_per_response"`
	// Live is what the posts to the thread during a GET phase measured.
	Live *result `json:"live,omitempty"`
}

func summarize(workers []*worker, elapsed time.Duration) *result {
	r := &result{Seconds: elapsed.Seconds()}
	var lat []time.Duration
	var bytes int64
	for _, w := range workers {
		lat = append(lat, w.lat...)
		r.OK += w.ok
		bytes += w.bytes
		for k, n := range w.errs {
			if r.ErrorKinds == nil {
				r.ErrorKinds = map[string]int64{}
			}
			r.ErrorKinds[k] += n
			r.Errors += n
		}
	}
	r.Requests = int64(len(lat))
	if r.Requests == 0 {
		return r
	}
	slices.Sort(lat)
	r.RPS = float64(r.OK) / r.Seconds
	r.P50, r.P90, r.P99 = ms(percentile(lat, 0.50)), ms(percentile(lat, 0.90)), ms(percentile(lat, 0.99))
	r.Max = ms(lat[len(lat)-1])
	r.BytesPerResponse = float64(bytes) / float64(r.Requests)
	return r
}

// percentile is the nearest-rank percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
