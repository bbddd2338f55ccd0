package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/staff"
	"github.com/parleyhq/parley/server/store/storetest"
)

// events is an open server-sent event stream.
type events struct {
	t     testing.TB
	lines chan string
	stop  context.CancelFunc
}

// listen opens an event stream; headers are name, value pairs.
func (h *harness) listen(path string, headers ...string) *events {
	h.t.Helper()
	ctx, cancel := context.WithCancel(h.t.Context())
	req, err := http.NewRequestWithContext(ctx, "GET", h.ts.URL+path, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		h.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	ev := &events{t: h.t, lines: make(chan string, 100), stop: cancel}
	go func() {
		defer resp.Body.Close()
		defer close(ev.lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			ev.lines <- sc.Text()
		}
	}()
	h.t.Cleanup(cancel)
	ev.expect("retry: 3000", time.Second) // the stream is open
	return ev
}

// expect waits for a line.
func (e *events) expect(line string, within time.Duration) {
	e.t.Helper()
	deadline := time.After(within)
	for {
		select {
		case l, ok := <-e.lines:
			if !ok {
				e.t.Fatalf("stream ended before %q", line)
			}
			if l == line {
				return
			}
		case <-deadline:
			e.t.Fatalf("no %q within %s", line, within)
		}
	}
}

// quiet checks that no event arrives for a while.
func (e *events) quiet(d time.Duration) {
	e.t.Helper()
	deadline := time.After(d)
	for {
		select {
		case l := <-e.lines:
			if strings.HasPrefix(l, "event:") {
				e.t.Fatalf("unexpected %q", l)
			}
		case <-deadline:
			return
		}
	}
}

func TestThreadEventsTellReadersOfChanges(t *testing.T) {
	h := newHarness(t)
	first := h.mustPost("blog", map[string]any{"url": "/post/", "body": "First!"})
	ev := h.listen("/api/v1/events?site=blog&url=https://blog.example/post/", "Origin", blogOrigin)
	other := h.listen("/api/v1/events?site=blog&url=/another/")
	h.mustPost("blog", map[string]any{"url": "/post/", "body": "Second"})
	ev.expect("event: changed", 2*time.Second)
	other.quiet(200 * time.Millisecond)
	owner := h.signIn(h.addUser("owner@acme.example", staff.RoleOwner))
	if r := owner.call("POST", fmt.Sprintf("/api/v1/admin/comments/%d/reply", first.Comment.ID), `{"body":"Thanks!"}`); r.status != 201 {
		t.Fatalf("reply: %d", r.status)
	}
	ev.expect("event: changed", 2*time.Second)

	for _, path := range []string{"/api/v1/events?site=nope&url=/post/", "/api/v1/events?site=blog&url=javascript:x"} {
		if r := h.do("GET", path, nil); r.status < 400 || r.code() == "" {
			t.Errorf("GET %s: %d %s", path, r.status, r.body)
		}
	}
}

func TestAdminEventsAreScoped(t *testing.T) {
	h := newHarness(t)
	ana := h.signIn(h.addUser("ana@acme.example", staff.RoleStaff, "blog"))
	bo := h.signIn(h.addUser("bo@acme.example", staff.RoleStaff, "other"))
	anaEv := h.listen("/api/v1/admin/events", "Cookie", "parley_session="+ana.cookie)
	boEv := h.listen("/api/v1/admin/events", "Cookie", "parley_session="+bo.cookie)
	h.mustPost("blog", map[string]any{"url": "/post/", "body": "A question for the blog"})
	anaEv.expect("event: activity", 2*time.Second)
	boEv.quiet(300 * time.Millisecond)
	if r := h.do("GET", "/api/v1/admin/events", nil); r.status != 403 {
		t.Errorf("admin events without a session: %d", r.status)
	}
}

// TestReplicasShareChanges runs two servers on one PostgreSQL, as two
// replicas behind a load balancer: what is posted to one is read from the
// other at once (its cached copy is dropped), live readers of the other
// hear of it, and a settings change on one applies on both.
func TestReplicasShareChanges(t *testing.T) {
	dsn := storetest.NewDSN(t, "postgres")
	a := newHarnessWith(t, "postgres", harnessOptions{dsn: dsn, replica: true})
	b := newHarnessWith(t, "postgres", harnessOptions{dsn: dsn, replica: true})
	if got := b.thread("blog", "/post/"); len(got.Comments) != 0 { // now cached on b
		t.Fatalf("b: %+v", got)
	}
	live := b.listen("/api/v1/events?site=blog&url=/post/")
	posted := a.mustPost("blog", map[string]any{"url": "/post/", "body": "Posted on replica A"})
	live.expect("event: changed", 3*time.Second)
	waitFor(t, "replica B to show the comment", func() bool {
		got := b.thread("blog", "/post/")
		return len(got.Comments) == 1 && got.Comments[0].ID == posted.Comment.ID
	})

	owner := b.signIn(b.addUser("owner@acme.example", staff.RoleOwner))
	if r := owner.call("PATCH", "/api/v1/admin/sites/blog", `{"moderation":"all"}`); r.status != 200 {
		t.Fatalf("settings on B: %d %s", r.status, r.body)
	}
	waitFor(t, "replica A to hold new comments", func() bool {
		site, err := a.svc.Site("blog")
		return err == nil && site.Moderation == "all"
	})
	if got := a.mustPost("blog", map[string]any{"url": "/post/", "body": "Held on A"}); got.Comment.Status != "pending" {
		t.Errorf("post on A after B changed the settings: %s", got.Comment.Status)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
