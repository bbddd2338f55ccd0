package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Source addresses. The readers share one address, the flooder has its
// own, each legit poster and each seeding address another.
const (
	readerAddr  = 1   // 127.0.0.1
	flooderAddr = 2   // 127.0.0.2
	legitAddr   = 10  // 127.0.0.10 + i
	seedAddr    = 100 // 127.0.0.100 + i
	// seedPerAddr stays under the default -rate-post of 6/1m.
	seedPerAddr = 5
)

// thread is a seeded page and the IDs of its comments.
type thread struct {
	url string
	ids []int64
}

// seed posts perThread comments onto each of n new pages, spreading them
// over as many source addresses as the per-address limit needs.
func seed(ctx context.Context, o options, runID string, n, perThread int) ([]*thread, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	threads := make([]*thread, n)
	var clients []*client
	for i := range threads {
		threads[i] = &thread{url: fmt.Sprintf("%s/posts/flood-%s-%d/", o.origin, runID, i)}
		for j := range perThread {
			k := i*perThread + j
			if k/seedPerAddr >= len(clients) {
				clients = append(clients, newClient(o, loopback(seedAddr+len(clients)), 1))
			}
			th := threads[i]
			in := commentRequest{URL: th.url, Title: fmt.Sprintf("Flood test post %d", i),
				Author: author(rng), Body: sentence(rng, fmt.Sprintf("seed %s-%d-%d", runID, i, j)), ElapsedMS: typing(rng)}
			if len(th.ids) > 2 && rng.IntN(3) == 0 {
				in.ParentID = th.ids[rng.IntN(len(th.ids))]
			}
			a, err := clients[k/seedPerAddr].post(ctx, in, nil)
			if err != nil {
				return nil, fmt.Errorf("seed: %w", err)
			}
			if a.status != http.StatusCreated {
				return nil, fmt.Errorf("seed: status %d (%s) from 127.0.0.%d", a.status, a.code, seedAddr+k/seedPerAddr)
			}
			if a.cstatus == "approved" { // only visible comments take replies
				th.ids = append(th.ids, a.id)
			}
		}
	}
	return threads, nil
}

// sample is one reader request: when it started (from the start of phase
// A), how long it took and whether it was answered 200.
type sample struct {
	at, lat time.Duration
	ok      bool
}

// readers GET the threads from n connections until stop is set, and return
// every request's sample; those before base are the warm-up.
func readers(ctx context.Context, c *client, threads []*thread, n int, base time.Time, stop *atomic.Bool) [][]sample {
	out := make([][]sample, n)
	var wg sync.WaitGroup
	for r := range out {
		wg.Go(func() {
			reqs := make([]*http.Request, len(threads))
			for i, th := range threads {
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.threadURL(th.url), nil)
				if err != nil {
					panic(err) // the URL was built from flags checked at start
				}
				// What a browser on the blog sends with its fetch.
				req.Header.Set("Origin", c.o.origin)
				req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
				req.Header.Set("Accept", "application/json")
				reqs[i] = req
			}
			s := make([]sample, 0, 1<<16)
			for i := r; !stop.Load() && ctx.Err() == nil; i++ {
				t0 := time.Now()
				ok := getOK(c, reqs[i%len(reqs)])
				s = append(s, sample{at: t0.Sub(base), lat: time.Since(t0), ok: ok})
			}
			out[r] = s
		})
	}
	wg.Wait()
	return out
}

func getOK(c *client, req *http.Request) bool {
	resp, err := c.tr.RoundTrip(req)
	if err != nil {
		return false
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err == nil && resp.StatusCode == http.StatusOK
}

// legitPost is one real reader's comment.
type legitPost struct {
	Poster  int           `json:"poster"`
	At      time.Duration `json:"at_ns"` // from the start of phase A
	Latency time.Duration `json:"latency_ns"`
	Status  int           `json:"status"` // 0: no answer
	// CommentStatus is the status in the 201 answer: approved, or pending
	// when a check held the comment for a moderator.
	CommentStatus string `json:"comment_status,omitempty"`
	Code          string `json:"code,omitempty"`
	ID            int64  `json:"id,omitempty"`
	Thread        string `json:"thread"`
	Token         string `json:"token"` // a word only this comment's body holds
}

// legitPosters runs n posters, each from its own address, each posting a
// comment every `every` from base until end. They start `every/n` apart.
func legitPosters(ctx context.Context, o options, runID string, threads []*thread, base, end time.Time) []legitPost {
	var (
		mu    sync.Mutex
		posts []legitPost
		wg    sync.WaitGroup
	)
	for i := range o.legit {
		wg.Go(func() {
			c := newClient(o, loopback(legitAddr+i), 1)
			rng := rand.New(rand.NewPCG(uint64(i), 3))
			next := base.Add(time.Duration(i) * o.legitEvery / time.Duration(o.legit))
			for k := 0; next.Before(end); k++ {
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Until(next)):
				}
				th := threads[(i+k)%len(threads)]
				p := legitPost{Poster: i, Thread: th.url, Token: fmt.Sprintf("legit%s%02d%03d", runID, i, k)}
				in := commentRequest{URL: th.url, Author: author(rng), Body: sentence(rng, p.Token), ElapsedMS: typing(rng)}
				if len(th.ids) > 0 && rng.IntN(3) == 0 {
					in.ParentID = th.ids[rng.IntN(len(th.ids))]
				}
				t0 := time.Now()
				a, err := c.post(ctx, in, nil)
				p.At, p.Latency = t0.Sub(base), time.Since(t0)
				if err == nil {
					p.Status, p.Code, p.ID, p.CommentStatus = a.status, a.code, a.id, a.cstatus
				} else {
					p.Code = err.Error()
				}
				mu.Lock()
				posts = append(posts, p)
				mu.Unlock()
				next = next.Add(o.legitEvery)
			}
		})
	}
	wg.Wait()
	return posts
}

// verify reads every thread once more and returns the legit posts answered
// 201 that are not there as visible comments holding their token.
func verify(ctx context.Context, c *client, threads []*thread, posts []legitPost) (checked int, lost []legitPost, err error) {
	byThread := map[string]map[int64]node{}
	for _, th := range threads {
		if byThread[th.url], err = c.thread(ctx, th.url); err != nil {
			return 0, nil, err
		}
	}
	for _, p := range posts {
		if p.Status != http.StatusCreated {
			continue
		}
		checked++
		n, ok := byThread[p.Thread][p.ID]
		if !ok || n.Status != "approved" || !strings.Contains(n.HTML, p.Token) {
			lost = append(lost, p)
		}
	}
	return checked, lost, nil
}

// typing is how long a person has the comment form open: 15 to 90 s.
func typing(rng *rand.Rand) int64 { return 15000 + rng.Int64N(75000) }

func author(rng *rand.Rand) string {
	names := [...]string{"Ana", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas"}
	return names[rng.IntN(len(names))]
}

// sentence is a short Markdown comment that ends with token, so that it can
// be found again in the rendered thread.
func sentence(rng *rand.Rand, token string) string {
	phrases := [...]string{
		"Thanks for writing this up, it answered most of my questions.",
		"We tried the same migration last spring and hit the timeout you describe.",
		"Does the second approach still work when the cache is cold?",
		"The benchmark numbers look plausible for a two-core machine.",
		"I would love a follow-up post about the failure cases.",
		"Small typo in the third paragraph: *recieve* should be *receive*.",
	}
	return phrases[rng.IntN(len(phrases))] + " " + phrases[rng.IntN(len(phrases))] + " (" + token + ")"
}
