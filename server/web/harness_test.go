package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/admin"
	parleyembed "github.com/parleyhq/parley/embed"
	"github.com/parleyhq/parley/server/alert"
	"github.com/parleyhq/parley/server/answer"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/followup"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/reader"
	"github.com/parleyhq/parley/server/staff"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/store/storetest"
	"github.com/parleyhq/parley/server/web"
	"github.com/parleyhq/parley/themes"
)

const (
	blogOrigin  = "https://blog.example"
	otherOrigin = "https://other.example"
)

// harness is a real server (router, service, SQLite store) behind httptest,
// with a clock the test moves and a log it can read.
type harness struct {
	t      testing.TB
	ts     *httptest.Server
	srv    *web.Server
	st     *store.Store
	svc    *comment.Service
	staff  *staff.Service
	md     *markup.Markup
	logBuf *syncBuffer
	// readers takes opt-ins to reply emails, with harnessOptions.readers.
	readers *reader.Service

	mu  sync.Mutex
	now time.Time
}

// forEachEngine runs test against a harness on each database engine.
func forEachEngine(t *testing.T, test func(*testing.T, *harness)) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) { test(t, newHarnessEngine(t, engine)) })
	}
}

func newHarness(t testing.TB) *harness { return newHarnessEngine(t, "sqlite") }

func newHarnessEngine(t testing.TB, engine string) *harness {
	t.Helper()
	return newHarnessWith(t, engine, harnessOptions{})
}

// harnessOptions are what some tests add: rate limits (none in the others,
// which post far more than a reader would) and spam filters.
type harnessOptions struct {
	limits       web.Limits
	filters      []comment.SpamFilter
	metricsToken string
	// dsn opens this database instead of a new one; replica makes the
	// server tell others of its changes and listen for theirs (a replica
	// on a shared PostgreSQL).
	dsn     string
	replica bool
	// scorer rates comments' tone; configure changes the server's Config
	// once the store is open.
	scorer    comment.Scorer
	configure func(*harness, *web.Config)
	// mailer sends private follow-ups (none: follow-up is off);
	// followUpPerHour bounds them per staff member (0: the default).
	mailer          followup.Mailer
	followUpPerHour int
	// readers sets up reply emails (h.readers).
	readers bool
}

func newHarnessWith(t testing.TB, engine string, opt harnessOptions) *harness {
	t.Helper()
	h := &harness{t: t, now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), logBuf: &syncBuffer{}}
	if opt.dsn == "" {
		opt.dsn = storetest.NewDSN(t, engine)
	}
	h.st = storetest.OpenDSN(t, opt.dsn, h.clock)
	h.md = markup.New()
	schedule := alert.NewSchedule()
	h.svc = comment.NewService(comment.Config{Store: h.st, Renderer: h.md, Now: h.clock, ClientKey: []byte("k"), Filters: opt.filters,
		Schedule: schedule, Scorer: opt.scorer})
	h.staff = staff.NewService(staff.Config{Store: h.st, Now: h.clock, ClientHash: h.svc.ClientHash})
	for _, s := range []comment.Site{
		{Name: "blog", Origins: []string{blogOrigin}},
		{Name: "other", Origins: []string{otherOrigin}, EditWindow: time.Hour},
	} {
		if _, err := h.svc.SaveSite(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewJSONHandler(h.logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := web.Config{Service: h.svc, Staff: h.staff, Log: log, Ping: h.st.Ping,
		Embed: parleyembed.FS, Themes: themes.FS, Admin: admin.FS, Limits: opt.limits, Now: h.clock, MetricsToken: opt.metricsToken,
		Calendars: schedule}
	if opt.replica {
		cfg.Publisher = h.st
	}
	cfg.Answers = answer.New(h.st, h.svc, h.clock)
	cfg.FollowUp = followup.New(followup.Config{Replies: h.svc, Mailer: opt.mailer, From: "Parley <parley@blog.example>",
		Log: log, Now: h.clock, PerHour: opt.followUpPerHour})
	if opt.configure != nil {
		opt.configure(h, &cfg)
	}
	cfg.Feeds = h.st
	if opt.readers {
		h.readers = reader.NewService(reader.Config{Store: h.st, Key: []byte("reader key"), Now: h.clock})
		cfg.Readers = h.readers
	}
	srv, err := web.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.srv = srv
	h.ts = httptest.NewServer(srv)
	t.Cleanup(h.ts.Close)
	t.Cleanup(srv.Close) // runs first: ends event streams so that Close does not wait for them
	if opt.replica {
		ctx, cancel := context.WithCancel(context.Background())
		done, listening := make(chan struct{}), make(chan struct{})
		var once sync.Once
		go func() {
			defer close(done)
			h.st.ListenChanges(ctx, srv.Receive, func() { srv.Resync(); once.Do(func() { close(listening) }) }, log)
		}()
		t.Cleanup(func() { cancel(); <-done })
		select { // changes published before the replica listens are not heard
		case <-listening:
		case <-time.After(10 * time.Second):
			t.Fatal("the replica did not start listening for changes")
		}
	}
	return h
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// code returns the error code of an error answer.
func (r response) code() string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Code
}

// do sends a request; headers are name, value pairs.
func (h *harness) do(method, path string, body []byte, headers ...string) response {
	h.t.Helper()
	req, err := http.NewRequestWithContext(h.t.Context(), method, h.ts.URL+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	// Without this the transport would ask for gzip itself and hide it.
	req.Header.Set("Accept-Encoding", "identity")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := h.ts.Client().Transport.RoundTrip(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			h.t.Fatal(err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		h.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// post sends a comment from the blog's origin.
func (h *harness) post(site string, fields map[string]any) response {
	h.t.Helper()
	b, _ := json.Marshal(fields)
	return h.do("POST", "/api/v1/comments?site="+site, b, "Origin", originOf(site))
}

func originOf(site string) string {
	if site == "other" {
		return otherOrigin
	}
	return blogOrigin
}

// mustPost posts and returns the answer of a 201.
func (h *harness) mustPost(site string, fields map[string]any) postedAnswer {
	h.t.Helper()
	r := h.post(site, fields)
	if r.status != http.StatusCreated {
		h.t.Fatalf("post %v: %d %s", fields, r.status, r.body)
	}
	var p postedAnswer
	r.json(h.t, &p)
	return p
}

type postedAnswer struct {
	Comment   commentAnswer `json:"comment"`
	EditToken string        `json:"edit_token"`
	EditUntil time.Time     `json:"edit_until"`
}

type commentAnswer struct {
	ID       int64           `json:"id"`
	ParentID *int64          `json:"parent_id"`
	Author   string          `json:"author"`
	Website  string          `json:"website"`
	HTML     string          `json:"html"`
	Official bool            `json:"official"`
	Status   string          `json:"status"`
	EditedAt *time.Time      `json:"edited_at"`
	Replies  []commentAnswer `json:"replies"`
}

type threadAnswer struct {
	Thread struct {
		URL, Path, Title string
		Count            int
	} `json:"thread"`
	Comments []commentAnswer `json:"comments"`
}

func (h *harness) thread(site, url string) threadAnswer {
	h.t.Helper()
	r := h.do("GET", "/api/v1/threads?site="+site+"&url="+url, nil)
	if r.status != http.StatusOK {
		h.t.Fatalf("thread %s: %d %s", url, r.status, r.body)
	}
	var th threadAnswer
	r.json(h.t, &th)
	return th
}

// countRows counts the comments in the database, whatever their status.
func (h *harness) countRows() int {
	h.t.Helper()
	n := 0
	for _, path := range []string{"/post/", "/other/"} {
		for _, site := range h.svc.Sites() {
			th, err := h.st.FindThread(h.t.Context(), site.ID, path)
			if err != nil {
				continue
			}
			cs, err := h.st.FindThreadComments(h.t.Context(), th.ID)
			if err != nil {
				h.t.Fatal(err)
			}
			n += len(cs)
		}
	}
	return n
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }

// staffReply stores an official reply through the staff service.
func (h *harness) staffReply(parentID int64, body string) {
	h.t.Helper()
	_, _, err := h.svc.StaffReply(h.t.Context(), comment.Actor{Name: "Staff", Owner: true}, parentID, body)
	if err != nil {
		h.t.Fatal(err)
	}
}
