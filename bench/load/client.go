package main

import (
	"github.com/parleyhq/parley/bench/internal/loadkit"

	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// client talks to one server over a pool of keep-alive connections.
type client struct {
	o     options
	tr    *http.Transport
	words *vocab
	// acceptEncoding is what a browser sends, or identity.
	acceptEncoding string
	// next picks the server of the next request when -url names several
	// (replicas behind no balancer): round robin.
	next atomic.Uint64
}

// base is the server the next request goes to.
func (c *client) base() string {
	urls := strings.Split(c.o.url, ",")
	return urls[int(c.next.Add(1)%uint64(len(urls)))]
}

func newClient(o options) *client {
	tr := &http.Transport{
		Proxy:       nil,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		// One connection per worker, all kept between requests.
		MaxConnsPerHost:       o.conns,
		MaxIdleConns:          2 * o.conns,
		MaxIdleConnsPerHost:   2 * o.conns,
		IdleConnTimeout:       time.Minute,
		ResponseHeaderTimeout: 30 * time.Second,
		// The load generator sets Accept-Encoding itself and counts the
		// bytes as they come over the wire, without decompressing them.
		DisableCompression: true,
	}
	ae := "identity"
	if o.gzip {
		ae = "gzip, deflate, br, zstd" // what Chrome and Firefox send
	}
	return &client{o: o, tr: tr, acceptEncoding: ae, words: newVocab()}
}

// health waits up to 10 s for /healthz to answer 200.
func (c *client) health(ctx context.Context) error {
	for _, u := range strings.Split(c.o.url, ",") {
		if err := loadkit.WaitHealthy(ctx, c.tr, u); err != nil {
			return err
		}
	}
	return nil
}

func (c *client) threadURL(pageURL string) string {
	return c.base() + "/api/v1/threads?site=" + url.QueryEscape(c.o.site) + "&url=" + url.QueryEscape(pageURL)
}

// commentRequest is the body of POST /api/v1/comments.
type commentRequest struct {
	URL      string `json:"url"`
	Title    string `json:"title,omitempty"`
	ParentID int64  `json:"parent_id,omitempty"`
	Author   string `json:"author"`
	Email    string `json:"email,omitempty"`
	Website  string `json:"website,omitempty"`
	Body     string `json:"body"`
}

// statusError is an answer with an unexpected status.
type statusError struct {
	status int
	code   string
}

func (e *statusError) Error() string {
	if e.code != "" {
		return fmt.Sprintf("status %d (%s)", e.status, e.code)
	}
	return fmt.Sprintf("status %d", e.status)
}

// post sends one comment and returns its ID and the bytes of the answer.
func (c *client) post(ctx context.Context, in commentRequest) (int64, int64, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return 0, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		c.base()+"/api/v1/comments?site="+url.QueryEscape(c.o.site), bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.o.origin)
	req.Header.Set("Accept-Encoding", c.acceptEncoding)
	resp, err := c.tr.RoundTrip(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, int64(len(b)), err
	}
	var answer struct {
		Comment struct {
			ID int64 `json:"id"`
		} `json:"comment"`
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	// A compressed answer is not decoded: its status says enough.
	if resp.Header.Get("Content-Encoding") == "" {
		_ = json.Unmarshal(b, &answer)
	}
	if resp.StatusCode != http.StatusCreated {
		return 0, int64(len(b)), &statusError{status: resp.StatusCode, code: answer.Error.Code}
	}
	return answer.Comment.ID, int64(len(b)), nil
}

// seed posts exactly n comments to pageURL, some of them replies to earlier
// ones, from four connections; then checks that the thread holds them all.
func (c *client) seed(ctx context.Context, pageURL string, n int) error {
	var (
		mu    sync.Mutex
		ids   []int64
		left  atomic.Int64
		wg    sync.WaitGroup
		errMu sync.Mutex
		first error
	)
	left.Store(int64(n))
	for w := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(n), uint64(w)))
			for left.Add(-1) >= 0 {
				mu.Lock()
				in := c.words.newComment(rng, pageURL, replyTarget(rng, ids))
				mu.Unlock()
				id, _, err := c.post(ctx, in)
				if err != nil {
					errMu.Lock()
					first = cmpOr(first, fmt.Errorf("seed %s: %w", pageURL, err))
					errMu.Unlock()
					left.Store(0)
					return
				}
				mu.Lock()
				ids = append(ids, id)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return c.checkThread(ctx, pageURL, n)
}

// replyTarget picks the parent of a new comment, or 0 for a new topic. About
// a third of comments are replies, mostly to recent comments, so threads grow
// several levels deep as real discussions do.
func replyTarget(rng *rand.Rand, ids []int64) int64 {
	if len(ids) < 3 || rng.IntN(3) != 0 {
		return 0
	}
	recent := min(len(ids), 40)
	return ids[len(ids)-1-rng.IntN(recent)]
}

// checkThread reads the thread once and makes sure it holds exactly n
// comments, some of them nested.
func (c *client) checkThread(ctx context.Context, pageURL string, n int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.threadURL(pageURL), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := c.tr.RoundTrip(req)
	if err != nil {
		return fmt.Errorf("check %s: %w", pageURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("check %s: %w", pageURL, &statusError{status: resp.StatusCode})
	}
	var th struct {
		Thread struct {
			Count int `json:"count"`
		} `json:"thread"`
		Comments []node `json:"comments"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&th); err != nil {
		return fmt.Errorf("check %s: %w", pageURL, err)
	}
	total, depth := countNodes(th.Comments, 1)
	if th.Thread.Count != n || total != n {
		return fmt.Errorf("check %s: thread has count %d and %d comments, want %d", pageURL, th.Thread.Count, total, n)
	}
	if n >= 20 && depth < 2 {
		return fmt.Errorf("check %s: no comment is a reply", pageURL)
	}
	return nil
}

type node struct {
	Replies []node `json:"replies"`
}

func countNodes(ns []node, level int) (total, depth int) {
	for _, n := range ns {
		t, d := countNodes(n.Replies, level+1)
		total += 1 + t
		depth = max(depth, d, level)
	}
	return total, depth
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
