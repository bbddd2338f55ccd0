package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/notify"
)

// received is one request a hook receiver got.
type received struct {
	header http.Header
	body   []byte
}

// hookServer answers every request with status and records it.
type hookServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []received
}

func newHookServer(tb testing.TB, status int) *hookServer {
	tb.Helper()
	h := &hookServer{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.reqs = append(h.reqs, received{header: r.Header.Clone(), body: body})
		h.mu.Unlock()
		w.WriteHeader(status)
		_, _ = io.WriteString(w, strings.Repeat("no such hook. ", 1000))
	}))
	tb.Cleanup(h.Close)
	return h
}

func (h *hookServer) requests() []received {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]received(nil), h.reqs...)
}

// fixedNow is the clock the Poster signs with.
func fixedNow() time.Time { return now }

func event(comments int) notify.Event {
	ev := notify.Event{Kind: "digest", Site: "blog", Title: "3 comments wait for an answer on “Pricing & <plans>”",
		Text: "Good morning.\nThese are open:", URL: "https://parley.example/admin/queue", SentAt: now}
	for i := range comments {
		ev.Comments = append(ev.Comments, notify.EventComment{ID: int64(i + 1), Author: "Ana <b>&</b> @everyone",
			Excerpt:   "Why did the price go up? <!channel> *bold* " + strings.Repeat("Čćđšž 😀 ", 200),
			PostTitle: "Pricing & <plans>", PostURL: "https://blog.example/pricing?a=1&b=2",
			AdminURL: "https://parley.example/admin/c/1", DueAt: now.Add(4 * time.Hour)})
	}
	return ev
}

func TestPostJSON(t *testing.T) {
	h := newHookServer(t, http.StatusNoContent)
	ev := event(2)
	p := notify.NewPoster(nil, fixedNow)
	if err := p.Post(t.Context(), notify.Webhook{URL: h.URL + "/hook", Format: notify.FormatJSON, Secret: "s3cret"}, ev); err != nil {
		t.Fatal(err)
	}
	reqs := h.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	for k, v := range map[string]string{"Content-Type": "application/json", "User-Agent": "Parley", "X-Parley-Event": "digest"} {
		if r.header.Get(k) != v {
			t.Errorf("%s: %q, want %q", k, r.header.Get(k), v)
		}
	}
	sig := r.header.Get("X-Parley-Signature")
	if sig != notify.Sign("s3cret", now, r.body) {
		t.Errorf("signature %q", sig)
	}
	if err := notify.Verify("s3cret", sig, r.body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Errorf("Verify: %v", err)
	}
	var got notify.Event
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Title != ev.Title || len(got.Comments) != 2 || got.Comments[1].Excerpt != ev.Comments[1].Excerpt ||
		!got.SentAt.Equal(now) || !got.Comments[0].DueAt.Equal(ev.Comments[0].DueAt) {
		t.Errorf("received %+v", got)
	}
	var raw map[string]any
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"kind", "site", "title", "text", "url", "comments", "sent_at"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no %q in %s", k, r.body)
		}
	}
}

func TestPostJSONDefaults(t *testing.T) {
	h := newHookServer(t, http.StatusOK)
	// No format, no secret, no comments, no SentAt.
	if err := notify.NewPoster(nil, fixedNow).Post(t.Context(), notify.Webhook{URL: h.URL}, notify.Event{Kind: "reminder"}); err != nil {
		t.Fatal(err)
	}
	r := h.requests()[0]
	if r.header.Get("X-Parley-Signature") != "" {
		t.Errorf("signed without a secret")
	}
	if !strings.Contains(string(r.body), `"comments":[]`) || !strings.Contains(string(r.body), `"sent_at":"2026-11-23T10:00:00Z"`) {
		t.Errorf("body %s", r.body)
	}
}

func TestPostStatus(t *testing.T) {
	tests := []struct {
		status        int
		wantErr       bool
		wantPermanent bool
	}{
		{status: 200},
		{status: 204},
		{status: 301, wantErr: true, wantPermanent: true},
		{status: 400, wantErr: true, wantPermanent: true},
		{status: 401, wantErr: true, wantPermanent: true},
		{status: 404, wantErr: true, wantPermanent: true},
		{status: 410, wantErr: true, wantPermanent: true},
		{status: 408, wantErr: true},
		{status: 429, wantErr: true},
		{status: 500, wantErr: true},
		{status: 502, wantErr: true},
		{status: 503, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			h := newHookServer(t, tt.status)
			for _, f := range []notify.Format{notify.FormatJSON, notify.FormatSlack, notify.FormatDiscord} {
				err := notify.NewPoster(nil, fixedNow).Post(t.Context(), notify.Webhook{URL: h.URL + "/T0/B0/token-xyz", Format: f}, event(1))
				if (err != nil) != tt.wantErr || notify.Permanent(err) != tt.wantPermanent {
					t.Fatalf("%s: Post: %v (permanent %t), want error %t, permanent %t", f, err, notify.Permanent(err), tt.wantErr,
						tt.wantPermanent)
				}
				if err == nil {
					continue
				}
				var se *notify.StatusError
				if !errors.As(err, &se) || se.StatusCode != tt.status {
					t.Errorf("error %v holds no StatusError %d", err, tt.status)
				}
				if len(err.Error()) > 400 || strings.Contains(err.Error(), "token-xyz") {
					t.Errorf("error %q is long or shows the URL path", err)
				}
			}
		})
	}
}

func TestPostDoesNotFollowRedirects(t *testing.T) {
	target := newHookServer(t, http.StatusOK)
	redirect := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusTemporaryRedirect))
	t.Cleanup(redirect.Close)
	for _, client := range []*http.Client{nil, {Timeout: time.Second}} {
		err := notify.NewPoster(client, fixedNow).Post(t.Context(), notify.Webhook{URL: redirect.URL, Secret: "k"}, event(1))
		var se *notify.StatusError
		if !errors.As(err, &se) || se.StatusCode != http.StatusTemporaryRedirect || !notify.Permanent(err) {
			t.Errorf("Post: %v, want a permanent 307 StatusError", err)
		}
	}
	if n := len(target.requests()); n != 0 {
		t.Errorf("redirect target got %d requests", n)
	}
}

func TestPostErrors(t *testing.T) {
	stopped := httptest.NewServer(http.NotFoundHandler())
	stopped.Close()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // the server notices a hang-up only after the body
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) }) // runs first
	tests := []struct {
		name          string
		hook          notify.Webhook
		client        *http.Client
		cancel        bool
		wantPermanent bool
	}{
		{name: "no url", hook: notify.Webhook{}, wantPermanent: true},
		{name: "not http", hook: notify.Webhook{URL: "ftp://example.com/x"}, wantPermanent: true},
		{name: "relative", hook: notify.Webhook{URL: "/hook"}, wantPermanent: true},
		{name: "unknown format", hook: notify.Webhook{URL: slow.URL, Format: "teams"}, wantPermanent: true},
		{name: "connection refused", hook: notify.Webhook{URL: stopped.URL + "/secret-token"}},
		{name: "client timeout", hook: notify.Webhook{URL: slow.URL + "/secret-token"}, client: &http.Client{Timeout: 100 * time.Millisecond}},
		{name: "cancelled", hook: notify.Webhook{URL: slow.URL + "/secret-token"}, cancel: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			if tt.cancel {
				var cancel func()
				ctx, cancel = contextWithCancelAfter(ctx, 100*time.Millisecond)
				defer cancel()
			}
			err := notify.NewPoster(tt.client, fixedNow).Post(ctx, tt.hook, event(1))
			if err == nil || notify.Permanent(err) != tt.wantPermanent {
				t.Fatalf("Post: %v, want permanent %t", err, tt.wantPermanent)
			}
			if strings.Contains(err.Error(), "secret-token") {
				t.Errorf("error %q shows the URL path", err)
			}
		})
	}
}

// contextWithCancelAfter is cancelled after d.
func contextWithCancelAfter(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(d, cancel)
	return ctx, cancel
}
