package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/alert"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/crisis"
	"github.com/parleyhq/parley/server/notify"
	"github.com/parleyhq/parley/server/notify/smtptest"
	"github.com/parleyhq/parley/server/staff"
	"github.com/parleyhq/parley/server/tone"
	"github.com/parleyhq/parley/server/web"
)

type toneScorer struct{}

func (toneScorer) Negativity(text string) float64 { return tone.Score(text).Score }

// crisisHarness is the real router with tone scoring, the crisis watcher in
// the inbox, and an alert worker sending to a real SMTP server.
type crisisHarness struct {
	*harness
	worker *alert.Worker
	smtp   *smtptest.Server
}

func newCrisisHarness(t *testing.T, engine string) *crisisHarness {
	var watcher *crisis.Watcher
	h := newHarnessWith(t, engine, harnessOptions{scorer: toneScorer{}, configure: func(h *harness, cfg *web.Config) {
		watcher = crisis.New(crisis.Config{Store: h.st, Rules: crisis.Rules{NegativeAt: tone.Threshold}})
		cfg.Crises = watcher
		cfg.ToneCues = func(text string) []string { return tone.Score(text).Cues }
	}})
	if err := h.svc.LoadSites(t.Context()); err != nil {
		t.Fatal(err)
	}
	ch := &crisisHarness{harness: h, smtp: smtptest.Start(t, smtptest.Options{})}
	mailer := notify.NewMailer(notify.SMTPConfig{Host: ch.smtp.Host(), Port: ch.smtp.Port(), TLS: "none", Timeout: 5 * time.Second})
	ch.worker = alert.New(alert.Config{Store: h.st, Sites: h.svc, Schedule: alert.NewSchedule(), Mailer: mailer, Crises: watcher,
		Now: h.clock, PublicURL: "https://comments.acme.example", From: "parley@acme.example"})
	return ch
}

func (ch *crisisHarness) tick() {
	ch.t.Helper()
	if err := ch.worker.Tick(ch.t.Context()); err != nil {
		ch.t.Fatal(err)
	}
}

var angry = []string{
	"This price increase is a scam. I want a refund now!",
	"Terrible decision, you lost a loyal customer.",
	"Your support never replied and the app is not working. Disgusting.",
	"I am cancelling my subscription, this is outrageous.",
	"Worst update ever, everything is broken!!!",
	"The new pricing is unacceptable and dishonest.",
	"Nobody answers my emails, awful service.",
}

// TestCrisisBurstThroughTheRouter is the acceptance test: 30 negative
// comments on one post within 10 minutes, posted through the public API,
// raise exactly one crisis alert: one outbox row per owner and channel, one
// email and one webhook. The inbox shows the crisis and puts the negative
// comments first, with their scores.
func TestCrisisBurstThroughTheRouter(t *testing.T) {
	forEachEngineCrisis(t, func(t *testing.T, ch *crisisHarness) {
		owner := ch.addUser("owner@acme.example", staff.RoleOwner)
		outsider := ch.signIn(ch.addUser("bo@acme.example", staff.RoleStaff, "other"))
		hook := newEventSink(t)
		if _, err := ch.svc.SetAlertPrefs(t.Context(), owner.Actor(), comment.AlertPrefs{TimeZone: "UTC", Email: true,
			WebhookURL: hook.srv.URL, WebhookFormat: "json"}); err != nil {
			t.Fatal(err)
		}
		calm := ch.mustPost("blog", map[string]any{"url": "/pricing/", "title": "New pricing", "author": "Ana",
			"body": "Thanks for explaining the changes so clearly."})
		ch.tick()
		for i := range 30 {
			ch.advance(19 * time.Second) // 30 in 9.5 minutes
			ch.mustPost("blog", map[string]any{"url": "/pricing/", "title": "New pricing", "author": fmt.Sprintf("Reader %d", i),
				"body": fmt.Sprintf("%s (%d)", angry[i%len(angry)], i)})
			ch.tick()
		}
		ns, err := ch.st.FindNotifications(t.Context(), nil, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		rows := map[comment.Channel]int{}
		for _, n := range ns {
			if n.Kind == comment.AlertCrisis {
				rows[n.Channel]++
				if n.UserID != owner.ID || n.Status != comment.NotificationSent {
					t.Errorf("crisis notification %+v", n)
				}
			}
		}
		if rows[comment.ChannelEmail] != 1 || rows[comment.ChannelWebhook] != 1 || len(rows) != 2 {
			t.Errorf("crisis notifications per channel %v, want one email and one webhook", rows)
		}
		var mails []smtptest.Message
		for _, m := range ch.smtp.Messages() {
			if m.Header.Get("X-Parley-Alert") == "crisis" {
				mails = append(mails, m)
			}
		}
		if len(mails) != 1 || len(mails[0].To) != 1 || mails[0].To[0] != owner.Email ||
			!strings.Contains(mails[0].Subject, "Possible crisis on “New pricing”") {
			t.Fatalf("crisis emails %+v, want one to the owner", mails)
		}
		var crisisEvents int
		for _, ev := range hook.received() {
			if ev.Kind == "crisis" {
				crisisEvents++
			}
		}
		if crisisEvents != 1 {
			t.Errorf("%d crisis webhooks, want 1", crisisEvents)
		}

		sc := ch.signIn(owner)
		r := sc.call("GET", "/api/v1/admin/crises", "")
		var list struct {
			Crises []struct {
				ID       int64  `json:"id"`
				Site     string `json:"site"`
				Reason   string `json:"reason"`
				Negative int    `json:"negative"`
				Thread   *struct {
					ID    int64  `json:"id"`
					Title string `json:"title"`
				} `json:"thread"`
			} `json:"crises"`
		}
		r.json(t, &list)
		if r.status != 200 || len(list.Crises) != 1 || list.Crises[0].Thread == nil || list.Crises[0].Thread.Title != "New pricing" ||
			list.Crises[0].Reason != "negative" || list.Crises[0].Negative < 30 {
			t.Fatalf("crises: %d %s", r.status, r.body)
		}
		threadID := list.Crises[0].Thread.ID
		if r := outsider.call("GET", "/api/v1/admin/crises", ""); r.status != 200 || !contains(r.body, `"crises":[]`) {
			t.Errorf("staff of another site see: %s", r.body)
		}

		page := sc.call("GET", "/admin/", "")
		link := fmt.Sprintf(`href="/admin/?site=blog&amp;thread=%d"`, threadID)
		for _, want := range []string{"Possible crisis", "“New pricing”", "negative comments in 10 minutes", link,
			"negative 1.00", `title="Why: scam, refund"`} {
			if !contains(page.body, want) {
				t.Errorf("the inbox page lacks %q", want)
			}
		}
		if page := outsider.call("GET", "/admin/", ""); contains(page.body, "Possible crisis") {
			t.Errorf("staff of another site see the blog's crisis")
		}

		r = sc.call("GET", fmt.Sprintf("/api/v1/admin/inbox?site=blog&thread=%d&limit=200", threadID), "")
		var inbox struct {
			Items []struct {
				ID         int64    `json:"id"`
				Negativity *float64 `json:"negativity"`
				Negative   bool     `json:"negative"`
				ToneCues   []string `json:"tone_cues"`
			} `json:"items"`
			Total int `json:"total"`
		}
		r.json(t, &inbox)
		if r.status != 200 || inbox.Total != 31 || len(inbox.Items) != 31 {
			t.Fatalf("the post's inbox: %d, total %d", r.status, inbox.Total)
		}
		last := inbox.Items[30]
		if last.ID != calm.Comment.ID || last.Negative || last.Negativity == nil || *last.Negativity >= tone.Threshold {
			t.Errorf("the calm comment is not last, or is negative: %+v", last)
		}
		first := inbox.Items[0]
		if !first.Negative || first.Negativity == nil || *first.Negativity < tone.Threshold || len(first.ToneCues) == 0 {
			t.Errorf("the first comment: %+v, want negative with cues", first)
		}
		if r := sc.call("GET", "/api/v1/admin/inbox?thread=x", ""); r.status != 422 || r.code() != "invalid" {
			t.Errorf("a bad thread: %d %s", r.status, r.body)
		}
	})
}

// TestCalmCommentsRaiseNoCrisis: 30 friendly comments in 10 minutes are
// not a crisis, and the inbox shows no badge.
func TestCalmCommentsRaiseNoCrisis(t *testing.T) {
	ch := newCrisisHarness(t, "sqlite")
	owner := ch.signIn(ch.addUser("owner@acme.example", staff.RoleOwner))
	happy := []string{"Great post, thanks!", "Love the new design, well done team.", "Really helpful overview, bookmarked it."}
	for i := range 30 {
		ch.advance(19 * time.Second)
		ch.mustPost("blog", map[string]any{"url": "/launch/", "author": fmt.Sprintf("Fan %d", i),
			"body": fmt.Sprintf("%s (%d)", happy[i%len(happy)], i)})
		ch.tick()
	}
	for _, m := range ch.smtp.Messages() {
		if m.Header.Get("X-Parley-Alert") == "crisis" {
			t.Errorf("a crisis email: %s", m.Subject)
		}
	}
	page := owner.call("GET", "/admin/", "")
	if contains(page.body, "Possible crisis") || contains(page.body, "adm-negative") {
		t.Errorf("a calm inbox shows a crisis or a negative badge")
	}
}

func forEachEngineCrisis(t *testing.T, test func(*testing.T, *crisisHarness)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) { test(t, newCrisisHarness(t, engine)) })
	}
}

// eventSink is a webhook endpoint that keeps what it gets.
type eventSink struct {
	mu     sync.Mutex
	events []notify.Event
	srv    *httptest.Server
}

func newEventSink(tb testing.TB) *eventSink {
	s := &eventSink{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev notify.Event
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &ev); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.events = append(s.events, ev)
		s.mu.Unlock()
	}))
	tb.Cleanup(s.srv.Close)
	return s
}

func (s *eventSink) received() []notify.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]notify.Event(nil), s.events...)
}
