package main

import (
	"github.com/parleyhq/parley/bench/internal/loadkit"

	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// client talks to the server over keep-alive connections that all leave
// from one source address. The server limits posts per TCP peer address, so
// the source address is who the client is.
type client struct {
	o  options
	tr *http.Transport
}

// newClient binds every connection to src, a 127.0.0.0/8 address: on Linux
// the whole range is the loopback interface, so no setup is needed.
func newClient(o options, src net.IP, conns int) *client {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, LocalAddr: &net.TCPAddr{IP: src}}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		MaxConnsPerHost:       conns,
		MaxIdleConns:          2 * conns,
		MaxIdleConnsPerHost:   2 * conns,
		IdleConnTimeout:       time.Minute,
		ResponseHeaderTimeout: 30 * time.Second,
		DisableCompression:    true, // readers ask for gzip themselves and never decode it
	}
	return &client{o: o, tr: tr}
}

// loopback is 127.0.0.n.
func loopback(n int) net.IP { return net.IPv4(127, 0, 0, byte(n)) }

func (c *client) threadURL(pageURL string) string {
	return c.o.url + "/api/v1/threads?site=" + url.QueryEscape(c.o.site) + "&url=" + url.QueryEscape(pageURL)
}

// health waits up to 10 s for /healthz to answer 200.
func (c *client) health(ctx context.Context) error { return loadkit.WaitHealthy(ctx, c.tr, c.o.url) }

// commentRequest is the body of POST /api/v1/comments.
type commentRequest struct {
	URL      string `json:"url"`
	Title    string `json:"title,omitempty"`
	ParentID int64  `json:"parent_id,omitempty"`
	Author   string `json:"author"`
	Body     string `json:"body"`
	// ElapsedMS is how long the embed's form was open; the spam checks
	// hold comments sent implausibly fast, as the flooder's are.
	ElapsedMS int64 `json:"elapsed_ms,omitempty"`
}

// answer is what the server said to one POST.
type answer struct {
	status     int
	id         int64  // the new comment's, on 201
	cstatus    string // its status: approved, or pending when held for a moderator
	code       string // the error code, otherwise
	retryAfter string // the Retry-After header
}

// post sends one comment. header, when not empty, is added to the request
// (the flooder uses it to claim other addresses in X-Forwarded-For).
func (c *client) post(ctx context.Context, in commentRequest, header http.Header) (answer, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return answer{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		c.o.url+"/api/v1/comments?site="+url.QueryEscape(c.o.site), bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.o.origin)
	resp, err := c.tr.RoundTrip(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	var out struct {
		Comment struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		} `json:"comment"`
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(b, &out) // a body that is not JSON leaves the code empty, which counts as wrong
	return answer{status: resp.StatusCode, id: out.Comment.ID, cstatus: out.Comment.Status, code: out.Error.Code,
		retryAfter: resp.Header.Get("Retry-After")}, nil
}

// node is a comment in a thread answer.
type node struct {
	ID      int64  `json:"id"`
	Status  string `json:"status"`
	HTML    string `json:"html"`
	Replies []node `json:"replies"`
}

// thread reads one thread, uncompressed, and returns its comments by ID.
func (c *client) thread(ctx context.Context, pageURL string) (map[int64]node, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.threadURL(pageURL), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := c.tr.RoundTrip(req)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", pageURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("read %s: status %d", pageURL, resp.StatusCode)
	}
	var th struct {
		Comments []node `json:"comments"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&th); err != nil {
		return nil, fmt.Errorf("read %s: %w", pageURL, err)
	}
	byID := map[int64]node{}
	var walk func([]node)
	walk = func(ns []node) {
		for _, n := range ns {
			byID[n.ID] = n
			walk(n.Replies)
		}
	}
	walk(th.Comments)
	return byID, nil
}
