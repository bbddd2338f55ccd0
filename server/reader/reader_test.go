package reader_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/notify"
	"github.com/parleyhq/parley/server/notify/smtptest"
	"github.com/parleyhq/parley/server/reader"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/store/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// rig is a store, the comment and reader services and a worker with a real
// SMTP server, as main wires them.
type rig struct {
	t      *testing.T
	clock  *clock
	st     *store.Store
	svc    *comment.Service
	rd     *reader.Service
	smtp   *smtptest.Server
	worker *reader.Worker
	site   comment.Site
	dsn    string
}

func newRig(t *testing.T, engine string) *rig {
	t.Helper()
	r := &rig{t: t, clock: &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}}
	r.dsn = storetest.NewDSN(t, engine)
	r.st = storetest.OpenDSN(t, r.dsn, r.clock.now)
	r.svc = comment.NewService(comment.Config{Store: r.st, Renderer: markup.New(), Now: r.clock.now, ClientKey: []byte("k")})
	var err error
	if r.site, err = r.svc.SaveSite(t.Context(), comment.Site{Name: "blog", Title: "Acme blog", Origins: []string{"https://blog.example"}}); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.LoadSites(t.Context()); err != nil {
		t.Fatal(err)
	}
	r.rd = reader.NewService(reader.Config{Store: r.st, Key: []byte("key"), Now: r.clock.now})
	r.smtp = smtptest.Start(t, smtptest.Options{})
	r.worker = r.newWorker(r.st)
	return r
}

func (r *rig) newWorker(st *store.Store) *reader.Worker {
	m := notify.NewMailer(notify.SMTPConfig{Host: r.smtp.Host(), Port: r.smtp.Port(), TLS: notify.TLSNone, Timeout: 5 * time.Second})
	return reader.NewWorker(reader.WorkerConfig{Store: st, Service: r.rd, Sites: r.svc, Mailer: m, Now: r.clock.now,
		PublicURL: "https://comments.example", From: "Acme <blog@acme.example>"})
}

func (r *rig) post(parentID int64, author, email, body string) comment.Comment {
	r.t.Helper()
	p, err := r.svc.Post(r.t.Context(), r.site, comment.Input{URL: "https://blog.example/post/", ParentID: parentID,
		Author: author, Email: email, Body: body})
	if err != nil {
		r.t.Fatal(err)
	}
	return p.Comment
}

func (r *rig) optIn(c comment.Comment) reader.OptInResult {
	r.t.Helper()
	res, err := r.rd.OptIn(r.t.Context(), c, "en")
	if err != nil {
		r.t.Fatal(err)
	}
	return res
}

func (r *rig) tick() {
	r.t.Helper()
	if err := r.worker.Tick(r.t.Context()); err != nil {
		r.t.Fatal(err)
	}
}

// confirmToken returns the token of the newest confirmation mail.
func (r *rig) confirmToken() string {
	r.t.Helper()
	ms := r.smtp.Messages()
	for i := len(ms) - 1; i >= 0; i-- {
		if _, rest, ok := strings.Cut(ms[i].Text, "/r/confirm?t="); ok {
			return strings.Fields(rest)[0]
		}
	}
	r.t.Fatal("no confirmation mail")
	return ""
}

func TestOptIn(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) { testOptIn(t, engine) })
	}
}

func testOptIn(t *testing.T, engine string) {
	r := newRig(t, engine)
	ctx := t.Context()
	if _, err := r.rd.OptIn(ctx, r.post(0, "Nobody", "", "no address"), "en"); comment.CodeOf(err) != comment.Invalid {
		t.Errorf("opting in without an address: %v", err)
	}

	// A stranger's address opted in again and again gets one mail an hour.
	c1 := r.post(0, "Ann", "victim@example.com", "first")
	if got := r.optIn(c1); got != reader.ConfirmSent {
		t.Fatalf("first opt-in: %s", got)
	}
	for i := range 5 {
		r.clock.advance(10 * time.Minute)
		if got := r.optIn(r.post(0, "Ann", "VICTIM@example.com", "again "+string(rune('a'+i)))); got != reader.ConfirmPending {
			t.Fatalf("opt-in %d within the hour: %s", i+2, got)
		}
	}
	r.tick()
	if n := len(r.smtp.Messages()); n != 1 {
		t.Fatalf("%d confirmation mails for six opt-ins within the hour, want 1", n)
	}
	old := r.confirmToken()
	r.clock.advance(15 * time.Minute)
	if got := r.optIn(r.post(0, "Ann", "victim@example.com", "an hour later")); got != reader.ConfirmSent {
		t.Fatalf("opt-in after the hour: %s", got)
	}
	r.tick()
	if n := len(r.smtp.Messages()); n != 2 {
		t.Fatalf("%d confirmation mails, want 2", n)
	}
	if _, err := r.rd.PendingConfirmation(ctx, old); comment.CodeOf(err) != comment.NotFound {
		t.Errorf("the older link still works: %v", err)
	}

	// A link expires after a week.
	token := r.confirmToken()
	r.clock.advance(reader.ConfirmTTL)
	if _, err := r.rd.Confirm(ctx, token); comment.CodeOf(err) != comment.NotFound {
		t.Errorf("a week-old link confirms: %v", err)
	}
	r.clock.advance(-time.Second)
	sub, err := r.rd.Confirm(ctx, token)
	if err != nil || !sub.Active() {
		t.Fatalf("confirm: %+v, %v", sub, err)
	}
	// Confirmed: a later opt-in follows at once, with no mail.
	if got := r.optIn(r.post(0, "Ann", "victim@example.com", "confirmed now")); got != reader.Following {
		t.Errorf("opt-in after confirming: %s", got)
	}
	r.tick()
	if n := len(r.smtp.Messages()); n != 2 {
		t.Errorf("%d mails after the confirmed opt-in, want still 2", n)
	}
	for _, bad := range []string{"", "x", token, strings.Repeat("A", 32), token[:len(token)-1] + "A"} {
		if _, err := r.rd.Confirm(ctx, bad); comment.CodeOf(err) != comment.NotFound {
			t.Errorf("confirm %q: %v", bad, err)
		}
	}
}

func TestUnsubscribeTokens(t *testing.T) {
	r := newRig(t, "sqlite")
	c := r.post(0, "Ann", "ann@example.com", "hi")
	r.optIn(c)
	sub, err := r.st.SaveFollow(t.Context(), r.site.ID, "ann@example.com", "en", c.ID, r.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	token := r.rd.UnsubscribeToken(sub.ID)
	raw, _ := base64.RawURLEncoding.DecodeString(token)
	for i := range raw {
		bad := append([]byte(nil), raw...)
		bad[i] ^= 1
		if _, err := r.rd.Unsubscribe(t.Context(), base64.RawURLEncoding.EncodeToString(bad)); comment.CodeOf(err) != comment.NotFound {
			t.Fatalf("a token with byte %d changed: %v", i, err)
		}
	}
	other := reader.NewService(reader.Config{Store: r.st, Key: []byte("another key")})
	if _, err := other.Unsubscribe(t.Context(), token); comment.CodeOf(err) != comment.NotFound {
		t.Errorf("a token of another key: %v", err)
	}
	for _, bad := range []string{"", "!!", token + "A", r.rd.UnsubscribeToken(sub.ID + 100)} {
		if _, err := r.rd.Unsubscribe(t.Context(), bad); comment.CodeOf(err) != comment.NotFound {
			t.Errorf("unsubscribe %q: %v", bad, err)
		}
	}
	// The token does not show the subscription's ID (a sequence): no
	// token holds its ID's bytes, and neighbours look unrelated.
	prev := ""
	for id := int64(1); id <= 50; id++ {
		tok := r.rd.UnsubscribeToken(id)
		raw, _ := base64.RawURLEncoding.DecodeString(tok)
		if bytes.Contains(raw, binary.BigEndian.AppendUint64(nil, uint64(id))) || tok[:4] == prev {
			t.Errorf("the token of subscription %d shows its ID: %x", id, raw)
		}
		prev = tok[:4]
	}
	got, err := r.rd.Unsubscribe(t.Context(), token)
	if err != nil || got.UnsubscribedAt.IsZero() {
		t.Errorf("unsubscribe: %+v, %v", got, err)
	}
}

func TestPlanReplies(t *testing.T) {
	now := time.Now()
	active := func(id int64, email string) reader.Subscription {
		return reader.Subscription{ID: id, SiteID: 1, Email: email, ConfirmedAt: now}
	}
	tests := []struct {
		name      string
		reply     comment.Comment
		followers []reader.Subscription
		want      []string
	}{
		{"a follower", comment.Comment{ID: 9, SiteID: 1, Email: "bob@example.com"}, []reader.Subscription{active(1, "ann@example.com")}, []string{"reply:9:1"}},
		{"the replier is the follower", comment.Comment{ID: 9, SiteID: 1, Email: " Ann@Example.com"}, []reader.Subscription{active(1, "ann@example.com")}, nil},
		{"unconfirmed", comment.Comment{ID: 9, SiteID: 1}, []reader.Subscription{{ID: 1, SiteID: 1, Email: "ann@example.com"}}, nil},
		{"unsubscribed", comment.Comment{ID: 9, SiteID: 1}, []reader.Subscription{{ID: 1, SiteID: 1, Email: "a@example.com", ConfirmedAt: now, UnsubscribedAt: now}}, nil},
		{"another site", comment.Comment{ID: 9, SiteID: 2}, []reader.Subscription{active(1, "ann@example.com")}, nil},
		{"two followers", comment.Comment{ID: 9, SiteID: 1}, []reader.Subscription{active(1, "a@example.com"), active(2, "b@example.com")}, []string{"reply:9:1", "reply:9:2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range reader.PlanReplies([]reader.Reply{{Comment: tt.reply, Followers: tt.followers}}, now) {
				got = append(got, m.DedupKey)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLang(t *testing.T) {
	for in, want := range map[string]string{"de-AT": "de", "el": "el", "PL_pl": "pl", "": "en", "tlh": "en", "en-GB": "en", "fr": "fr"} {
		if got := reader.Lang(in); got != want {
			t.Errorf("Lang(%q) = %q, want %q", in, got, want)
		}
	}
}
