// Package akismet checks comments with an Akismet-compatible service:
// Akismet itself, or any service that speaks its comment-check API. It is
// optional and off unless configured. It imports comment and the standard
// library.
package akismet

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// Client asks the service about one comment at a time.
type Client struct {
	endpoint string // such as https://rest.akismet.com
	key      string
	http     *http.Client
}

// New returns a client of the service at endpoint, with an API key. Each
// check gives up after timeout; the comment is then held, not lost.
func New(endpoint, key string, timeout time.Duration) *Client {
	return &Client{endpoint: strings.TrimRight(endpoint, "/"), key: key, http: &http.Client{Timeout: timeout}}
}

// Name names the check in the reasons recorded on a comment.
func (c *Client) Name() string { return "akismet" }

// Check asks the service whether a comment is spam. The reader's address
// and browser are sent, as the API requires; Parley itself stores neither.
func (c *Client) Check(ctx context.Context, cand comment.Candidate) (comment.Judgement, error) {
	spam, err := c.check(ctx, cand)
	if spam {
		return comment.Judgement{Spam: true, Reasons: []string{"reported as spam"}}, nil
	}
	return comment.Judgement{}, err
}

func (c *Client) check(ctx context.Context, cand comment.Candidate) (bool, error) {
	blog := cand.Permalink
	if u, err := url.Parse(cand.Permalink); err == nil && u.Host != "" {
		blog = u.Scheme + "://" + u.Host
	}
	form := url.Values{
		"api_key": {c.key}, "blog": {blog}, "user_ip": {cand.ClientAddr}, "user_agent": {cand.UserAgent},
		"permalink": {cand.Permalink}, "comment_type": {"comment"}, "comment_author": {cand.Author},
		"comment_author_email": {cand.Email}, "comment_author_url": {cand.Website}, "comment_content": {cand.Body},
		"blog_charset": {"UTF-8"},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+"/1.1/comment-check", strings.NewReader(form.Encode()))
	if err != nil {
		return false, fmt.Errorf("akismet: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "Parley | Akismet-compatible client")
	resp, err := c.http.Do(req)
	if err != nil {
		return false, fmt.Errorf("akismet: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if err != nil {
		return false, fmt.Errorf("akismet: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("akismet: status %d", resp.StatusCode)
	}
	switch strings.TrimSpace(string(body)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	// "invalid" (a bad key) or anything else: the check did not run.
	return false, fmt.Errorf("akismet: unexpected answer %q (%s)", body, resp.Header.Get("X-akismet-debug-help"))
}
