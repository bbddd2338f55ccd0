package web_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/web"
)

func TestRateLimits(t *testing.T) {
	h := newHarnessWith(t, "sqlite", harnessOptions{limits: web.Limits{
		Post: web.Rate{N: 3, Per: time.Minute}, Site: web.Rate{N: 5, Per: time.Minute}, Edit: web.Rate{N: 2, Per: time.Minute}}})
	var token string
	var id int64
	for i := 0; i < 3; i++ {
		p := h.mustPost("blog", map[string]any{"url": "/post/", "body": fmt.Sprint("comment ", i)})
		token, id = p.EditToken, p.Comment.ID
	}
	r := h.post("blog", map[string]any{"url": "/post/", "body": "one too many"})
	if r.status != 429 || r.code() != "rate_limited" {
		t.Fatalf("4th post in a minute: %d %s", r.status, r.body)
	}
	wait, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || wait < 15 || wait > 20 {
		t.Errorf("Retry-After = %q, want about 20 s (one token of 3 per minute)", r.header.Get("Retry-After"))
	}
	before := h.countRows()
	for i := 0; i < 20; i++ { // refused posts do not spend the site's budget
		h.post("blog", map[string]any{"url": "/post/", "body": "flood"})
	}
	if h.countRows() != before {
		t.Error("a refused post was stored")
	}
	h.advance(20 * time.Second)
	// Mistakes do not use up the budget: an empty comment, twice, then a
	// good one still goes through.
	for i := 0; i < 2; i++ {
		if r := h.post("blog", map[string]any{"url": "/post/", "body": " "}); r.status != 422 {
			t.Fatalf("empty comment: %d %s", r.status, r.body)
		}
	}
	h.mustPost("blog", map[string]any{"url": "/post/", "body": "after the wait"})

	edit := func() response {
		return h.do("PATCH", fmt.Sprintf("/api/v1/comments/%d?site=blog", id), []byte(`{"body":"x"}`),
			"Origin", blogOrigin, "Authorization", "Bearer "+token)
	}
	for i := 0; i < 2; i++ {
		if r := edit(); r.status != 200 {
			t.Fatalf("edit %d: %d %s", i, r.status, r.body)
		}
	}
	if r := edit(); r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Errorf("3rd edit in a minute: %d %s", r.status, r.body)
	}
	// Reading is never limited.
	for i := 0; i < 50; i++ {
		if r := h.do("GET", "/api/v1/threads?site=blog&url=/post/", nil); r.status != 200 {
			t.Fatalf("read %d: %d", i, r.status)
		}
	}
}
