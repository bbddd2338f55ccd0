// Package bench_test measures Parley's real stack in-process: the echo
// router and middleware, the comment service, markup and a SQLite store on a
// temporary file, built the way server/web's tests build them.
//
//	go test ./bench -run x -bench . -benchtime 2s
//
// Each benchmark builds and seeds its server once, in the parent benchmark;
// the sub-benchmarks that the testing package calls many times only measure.
package bench_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	parleyembed "github.com/parleyhq/parley/embed"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/store/storetest"
	"github.com/parleyhq/parley/server/web"
	"github.com/parleyhq/parley/themes"
)

const (
	siteName = "bench"
	origin   = "http://bench.local"
)

// stack is a whole server over a fresh database.
type stack struct {
	tb   testing.TB
	svc  *comment.Service
	srv  *web.Server
	site comment.Site
}

// newStack builds a server; cacheBytes 0 means the default thread cache,
// and 1 a cache too small for any thread, so that every read misses.
func newStack(tb testing.TB, cacheBytes int) *stack {
	tb.Helper()
	st := storetest.Open(tb, nil)
	svc := comment.NewService(comment.Config{Store: st, Renderer: markup.New(), ClientKey: []byte("bench")})
	site, err := svc.SaveSite(tb.Context(), comment.Site{Name: siteName, Origins: []string{origin}})
	if err != nil {
		tb.Fatal(err)
	}
	if site, err = svc.Site(siteName); err != nil { // as loaded, with its edit window
		tb.Fatal(err)
	}
	srv, err := web.NewServer(web.Config{Service: svc, Log: slog.New(slog.DiscardHandler), Ping: st.Ping,
		Embed: parleyembed.FS, Themes: themes.FS, CacheBytes: cacheBytes})
	if err != nil {
		tb.Fatal(err)
	}
	return &stack{tb: tb, svc: svc, srv: srv, site: site}
}

// seed stores n comments on pageURL through the service, about a third of
// them replies to recent ones, and returns their IDs.
func (s *stack) seed(pageURL string, n int) []int64 {
	s.tb.Helper()
	rng := rand.New(rand.NewPCG(uint64(n), 1))
	ids := make([]int64, 0, n)
	for range n {
		var parent int64
		if len(ids) >= 3 && rng.IntN(3) == 0 {
			parent = ids[len(ids)-1-rng.IntN(min(len(ids), 40))]
		}
		p, err := s.svc.Post(s.tb.Context(), s.site, comment.Input{URL: pageURL, Title: "Bench",
			ParentID: parent, Author: "Reader", Body: commentBody(rng), ClientAddr: "192.0.2.1"})
		if err != nil {
			s.tb.Fatal(err)
		}
		ids = append(ids, p.Comment.ID)
	}
	return ids
}

// commentBody is a few sentences of Markdown with a link, like the load
// generator's.
func commentBody(rng *rand.Rand) string {
	words := strings.Fields("the cache our build this query SQLite a proxy WAL mode timeouts memory " +
		"after upgrading Go got faster broke again needed restart looks fine to me")
	var b strings.Builder
	for s := range 2 + rng.IntN(3) {
		if s > 0 {
			b.WriteString(" ")
		}
		for w := range 8 + rng.IntN(8) {
			if w > 0 {
				b.WriteString(" ")
			}
			b.WriteString(words[rng.IntN(len(words))])
		}
		b.WriteString(".")
	}
	fmt.Fprintf(&b, " I wrote **more** in [my notes](https://example.org/p/%d).", rng.IntN(1000))
	return b.String()
}

func threadPath(pageURL string) string {
	return "/api/v1/threads?site=" + siteName + "&url=" + url.QueryEscape(pageURL)
}

// discard is a ResponseWriter that keeps the status and drops the body, as
// a network connection costs the handler no more than a write.
type discard struct {
	h      http.Header
	status int
	n      int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(status int)      { d.status = status }
func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

func (d *discard) reset() {
	clear(d.h)
	d.status, d.n = 0, 0
}

// benchGetHandler calls the handler of a thread read directly, as a
// browser that accepts gzip would.
func benchGetHandler(b *testing.B, s *stack, pageURL string) {
	req := httptest.NewRequest(http.MethodGet, threadPath(pageURL), nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		s.srv.ServeHTTP(w, req)
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
	b.ReportMetric(float64(w.n), "bytes/resp")
}

// benchGetLoopback reads the thread over real keep-alive connections to an
// httptest server, from 16 goroutines per CPU.
func benchGetLoopback(b *testing.B, s *stack, pageURL string) {
	ts := httptest.NewServer(s.srv)
	defer ts.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true}
	defer tr.CloseIdleConnections()
	u := ts.URL + threadPath(pageURL)
	b.ReportAllocs()
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			b.Error(err)
			return
		}
		req.Header.Set("Origin", origin)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
		for pb.Next() {
			resp, err := tr.RoundTrip(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func benchThreadGet(b *testing.B, comments, cacheBytes int) {
	s := newStack(b, cacheBytes)
	pageURL := fmt.Sprintf("%s/posts/thread-%d/", origin, comments)
	s.seed(pageURL, comments)
	b.Run("handler", func(b *testing.B) { benchGetHandler(b, s, pageURL) })
	b.Run("loopback", func(b *testing.B) { benchGetLoopback(b, s, pageURL) })
}

// BenchmarkThreadGetCached100 reads a 100-comment thread from the cache.
func BenchmarkThreadGetCached100(b *testing.B) { benchThreadGet(b, 100, 0) }

// BenchmarkThreadGetCached1000 reads a 1,000-comment thread from the cache.
func BenchmarkThreadGetCached1000(b *testing.B) { benchThreadGet(b, 1000, 0) }

// BenchmarkThreadGetUncached reads threads on a server whose cache can hold
// none, so that every read queries SQLite, builds the tree and encodes and
// gzips the JSON: what the first read after each new comment costs. (A cache
// too small, rather than a write before each read, keeps the thread's size
// fixed for the whole run.)
func BenchmarkThreadGetUncached(b *testing.B) {
	s := newStack(b, 1)
	for _, n := range []int{100, 1000} {
		pageURL := fmt.Sprintf("%s/posts/uncached-%d/", origin, n)
		s.seed(pageURL, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchGetHandler(b, s, pageURL) })
	}
}

// postRequest is a browser's POST of one comment.
func postRequest(pageURL string, parent int64, rng *rand.Rand) *http.Request {
	body, _ := json.Marshal(map[string]any{"url": pageURL, "title": "Bench", "parent_id": parent,
		"author": "Reader", "email": "reader@example.com", "body": commentBody(rng)})
	req := httptest.NewRequest(http.MethodPost, "/api/v1/comments?site="+siteName, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", origin)
	return req
}

// BenchmarkPostComment posts comments through the handler, spread over 300
// pages: new topics, replies, and new topics from concurrent goroutines
// (which the store's single connection serialises). Each op includes
// building the request.
func BenchmarkPostComment(b *testing.B) {
	s := newStack(b, 0)
	pages := make([]string, 300)
	parents := make([]int64, len(pages))
	for i := range pages {
		pages[i] = fmt.Sprintf("%s/posts/p-%d/", origin, i)
		parents[i] = s.seed(pages[i], 1)[0]
	}
	post := func(b *testing.B, rng *rand.Rand, w *discard, reply bool) {
		p := rng.IntN(len(pages))
		var parent int64
		if reply {
			parent = parents[p]
		}
		w.reset()
		s.srv.ServeHTTP(w, postRequest(pages[p], parent, rng))
		if w.status != http.StatusCreated {
			b.Fatalf("status %d", w.status)
		}
	}
	for _, reply := range []bool{false, true} {
		name := map[bool]string{false: "new", true: "reply"}[reply]
		b.Run(name, func(b *testing.B) {
			rng, w := rand.New(rand.NewPCG(1, 2)), &discard{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				post(b, rng, w, reply)
			}
		})
	}
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(16)
		b.RunParallel(func(pb *testing.PB) {
			rng, w := rand.New(rand.NewPCG(rand.Uint64(), 3)), &discard{h: http.Header{}}
			for pb.Next() {
				p := rng.IntN(len(pages))
				w.reset()
				s.srv.ServeHTTP(w, postRequest(pages[p], 0, rng))
				if w.status != http.StatusCreated {
					b.Errorf("status %d", w.status)
					return
				}
			}
		})
	})
}

// BenchmarkRender renders one comment's Markdown to safe HTML: the part of a
// POST that is markup's.
func BenchmarkRender(b *testing.B) {
	md := markup.New()
	body := commentBody(rand.New(rand.NewPCG(5, 6)))
	b.ReportAllocs()
	for b.Loop() {
		md.Render(body)
	}
}

// TestStack runs what the benchmarks run, once and small, so that they keep
// working as the server changes.
func TestStack(t *testing.T) {
	for _, cacheBytes := range []int{0, 1} {
		s := newStack(t, cacheBytes)
		pageURL := origin + "/posts/test/"
		s.seed(pageURL, 30)
		for range 2 {
			req := httptest.NewRequest(http.MethodGet, threadPath(pageURL), nil)
			w := httptest.NewRecorder()
			s.srv.ServeHTTP(w, req)
			var th struct {
				Thread struct{ Count int } `json:"thread"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &th); err != nil || w.Code != http.StatusOK || th.Thread.Count != 30 {
				t.Fatalf("cache %d: GET: status %d, count %d, err %v", cacheBytes, w.Code, th.Thread.Count, err)
			}
		}
		w := httptest.NewRecorder()
		s.srv.ServeHTTP(w, postRequest(pageURL, 0, rand.New(rand.NewPCG(1, 1))))
		if w.Code != http.StatusCreated {
			t.Fatalf("POST: status %d: %s", w.Code, w.Body)
		}
	}
}
