package crisis_test

import (
	"context"
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
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/notify"
	"github.com/parleyhq/parley/server/notify/smtptest"
	"github.com/parleyhq/parley/server/staff"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/store/storetest"
	"github.com/parleyhq/parley/server/tone"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type scorer struct{}

func (scorer) Negativity(text string) float64 { return tone.Score(text).Score }

// rig is a store, a service scoring with the real analyser, a crisis
// watcher and an alert worker sending to a real SMTP server, wired as main
// does. Olga is the owner; Jane is staff of the site.
type rig struct {
	t      testing.TB
	clock  *clock
	dsn    string
	st     *store.Store
	svc    *comment.Service
	smtp   *smtptest.Server
	worker *alert.Worker
	site   comment.Site
	owner  staff.User
	jane   staff.User
	n      int // comments posted, to vary their texts
}

func newRig(t *testing.T, engine string) *rig {
	t.Helper()
	r := &rig{t: t, clock: &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}}
	r.dsn = storetest.NewDSN(t, engine)
	r.st = storetest.OpenDSN(t, r.dsn, r.clock.Now)
	r.svc = r.service(r.st)
	ctx := t.Context()
	site, err := r.svc.SaveSite(ctx, comment.Site{Name: "blog", Title: "Acme blog", Origins: []string{"https://blog.example"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.svc.LoadSites(ctx); err != nil {
		t.Fatal(err)
	}
	r.site = site
	r.owner = r.user("owner@acme.example", "Olga Owner", staff.RoleOwner, nil)
	r.jane = r.user("jane@acme.example", "Jane Doe", staff.RoleStaff, []int64{site.ID})
	r.smtp = smtptest.Start(t, smtptest.Options{})
	r.worker = r.newWorker(r.st, r.svc)
	return r
}

func (r *rig) service(st *store.Store) *comment.Service {
	svc := comment.NewService(comment.Config{Store: st, Renderer: markup.New(), Now: r.clock.Now, ClientKey: []byte("k"),
		Schedule: alert.NewSchedule(), Scorer: scorer{}, NegativeAt: tone.Threshold})
	if err := svc.LoadSites(r.t.Context()); err != nil {
		r.t.Fatal(err)
	}
	return svc
}

func (r *rig) newWorker(st *store.Store, svc *comment.Service) *alert.Worker {
	mailer := notify.NewMailer(notify.SMTPConfig{Host: r.smtp.Host(), Port: r.smtp.Port(), TLS: "none", Timeout: 5 * time.Second})
	watcher := crisis.New(crisis.Config{Store: st, Rules: crisis.Rules{NegativeAt: tone.Threshold}})
	return alert.New(alert.Config{Store: st, Sites: svc, Schedule: alert.NewSchedule(), Mailer: mailer, Crises: watcher,
		Now: r.clock.Now, PublicURL: "https://comments.acme.example", From: "parley@acme.example"})
}

func (r *rig) user(email, name string, role staff.Role, sites []int64) staff.User {
	r.t.Helper()
	u, err := r.st.CreateUser(context.Background(), staff.User{Email: email, Name: name, Role: role, SiteIDs: sites,
		CreatedAt: r.clock.Now()}, "not a real hash")
	if err != nil {
		r.t.Fatal(err)
	}
	return u
}

var negative = []string{
	"This price increase is a scam. I want a refund now!",
	"Terrible decision, you lost a loyal customer.",
	"Your support never replied and the app is not working. Disgusting.",
	"I am cancelling my subscription, this is outrageous.",
	"Worst update ever, everything is broken!!!",
	"The new pricing is unacceptable and dishonest.",
	"Nobody answers my emails, awful service.",
}

var calm = []string{
	"Great post, thanks!",
	"Interesting read, I learned something new.",
	"Love the new design, well done team.",
	"Thanks for explaining the changes so clearly.",
	"Really helpful overview, bookmarked it.",
}

var questions = []string{
	"Does this also apply to annual plans?",
	"When will the feature ship in Europe?",
	"Is there a student discount for the new plans?",
}

// say posts a reader comment on a post of the site; texts are taken in turn
// and numbered, so that no two are the same.
func (r *rig) say(post string, texts []string) comment.Comment {
	r.t.Helper()
	r.n++
	body := fmt.Sprintf("%s (%d)", texts[r.n%len(texts)], r.n)
	p, err := r.svc.Post(r.t.Context(), r.site, comment.Input{URL: "https://blog.example/posts/" + post + "/",
		Title: strings.ToUpper(post[:1]) + post[1:], Author: fmt.Sprintf("Reader %d", r.n), Body: body, Elapsed: time.Minute})
	if err != nil {
		r.t.Fatal(err)
	}
	if p.Comment.Status != comment.StatusApproved {
		r.t.Fatalf("%q is %s (%s)", body, p.Comment.Status, p.Comment.FlagReason)
	}
	return p.Comment
}

// burst posts n comments on a post over the span, ticking the worker
// after each.
func (r *rig) burst(post string, texts []string, n int, span time.Duration) {
	r.t.Helper()
	for range n {
		r.clock.Add(span / time.Duration(n))
		r.say(post, texts)
		r.tick()
	}
}

func (r *rig) tick(workers ...*alert.Worker) {
	r.t.Helper()
	if len(workers) == 0 {
		workers = []*alert.Worker{r.worker}
	}
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() {
			if err := w.Tick(r.t.Context()); err != nil {
				r.t.Error(err)
			}
		})
	}
	wg.Wait()
}

// wait moves the clock on by d, ticking each minute.
func (r *rig) wait(d time.Duration) {
	r.t.Helper()
	for end := r.clock.Now().Add(d); r.clock.Now().Before(end); {
		r.clock.Add(time.Minute)
		r.tick()
	}
}

// crisisMail returns the crisis emails the SMTP server received.
func (r *rig) crisisMail() []smtptest.Message {
	var out []smtptest.Message
	for _, m := range r.smtp.Messages() {
		if m.Header.Get("X-Parley-Alert") == "crisis" {
			out = append(out, m)
		}
	}
	return out
}

// crisisRows returns the crisis rows of the outbox.
func (r *rig) crisisRows() []comment.Notification {
	r.t.Helper()
	ns, err := r.st.FindNotifications(r.t.Context(), nil, 0, 10000)
	if err != nil {
		r.t.Fatal(err)
	}
	var out []comment.Notification
	for _, n := range ns {
		if n.Kind == comment.AlertCrisis {
			out = append(out, n)
		}
	}
	return out
}

func (r *rig) expectCrises(step string, rows, mails int) {
	r.t.Helper()
	if got := r.crisisRows(); len(got) != rows {
		r.t.Errorf("%s: %d crisis notifications, want %d: %+v", step, len(got), rows, got)
	}
	if got := r.crisisMail(); len(got) != mails {
		r.t.Errorf("%s: %d crisis emails, want %d", step, len(got), mails)
	}
}

func (r *rig) open() []crisis.Crisis {
	r.t.Helper()
	cs, err := r.st.FindOpenCrises(r.t.Context(), nil)
	if err != nil {
		r.t.Fatal(err)
	}
	return cs
}

// TestNegativeBurstAlertsOnce: 30 negative comments on one post within 10
// minutes raise exactly one crisis alert, an email to the owner (not to the
// staff) naming the post, the count against the usual, the comments and the
// link to the post's inbox.
func TestNegativeBurstAlertsOnce(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			r := newRig(t, engine)
			r.say("pricing", calm)
			r.burst("pricing", negative, 30, 9*time.Minute)
			r.expectCrises("30 negative in 9 minutes", 1, 1)
			mails := r.crisisMail()
			if len(mails) != 1 {
				t.FailNow()
			}
			m := mails[0]
			if len(m.To) != 1 || m.To[0] != r.owner.Email {
				t.Errorf("sent to %v, want only the owner %s", m.To, r.owner.Email)
			}
			subject := m.Subject
			if !strings.Contains(subject, "Possible crisis on “Pricing”") || !strings.Contains(subject, "negative comments in 10 minutes") {
				t.Errorf("subject %q", subject)
			}
			text := m.Text
			for _, want := range []string{"usually fewer than one in 10 minutes", "https://blog.example/posts/pricing/",
				"https://comments.acme.example/admin/?site=blog&thread=", "scam"} {
				if !strings.Contains(text, want) {
					t.Errorf("the email does not say %q:\n%s", want, text)
				}
			}
			open := r.open()
			if len(open) != 1 || open[0].Scope.ThreadID == 0 || open[0].Reason != crisis.ReasonNegative || open[0].Negative < 30 {
				t.Errorf("open crises %+v, want one on the post, negative, at least 30", open)
			}
		})
	}
}

// TestCalmBurstAlertsNobody: 30 friendly comments in 10 minutes are no crisis.
func TestCalmBurstAlertsNobody(t *testing.T) {
	forEachEngine(t, func(t *testing.T, r *rig) {
		r.burst("launch", calm, 30, 9*time.Minute)
		r.expectCrises("30 happy comments", 0, 0)
		if open := r.open(); len(open) != 0 {
			t.Errorf("open crises %+v", open)
		}
	})
}

// forEachEngine runs test on a rig of each engine.
func forEachEngine(t *testing.T, test func(*testing.T, *rig)) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) { test(t, newRig(t, engine)) })
	}
}

// TestUnansweredFlood: 50 unanswered questions in 10 minutes on a quiet post
// are a crisis (reason unanswered); 49 are not.
func TestUnansweredFlood(t *testing.T) {
	forEachEngine(t, func(t *testing.T, r *rig) { testUnansweredFlood(t, r) })
}

func testUnansweredFlood(t *testing.T, r *rig) {
	r.burst("launch", questions, crisis.DefaultMinUnanswered-1, 9*time.Minute)
	r.expectCrises("49 questions", 0, 0)
	r.burst("launch", questions, 1, time.Second)
	r.expectCrises("50 questions", 1, 1)
	if open := r.open(); len(open) != 1 || open[0].Reason != crisis.ReasonUnanswered {
		t.Errorf("open crises %+v, want one for unanswered comments", open)
	}
	if m := r.crisisMail(); len(m) == 1 && !strings.Contains(m[0].Subject, "50 comments waiting for an answer") {
		t.Errorf("subject %q", m[0].Subject)
	}
}

// TestQuietBlogTrickle: negative comments at a steady rate below the
// minimum never alert, however long they go on.
func TestQuietBlogTrickle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, r *rig) {
		// One angry comment every three minutes for three hours: never
		// ten in ten minutes.
		r.burst("pricing", negative, 60, 3*time.Hour)
		r.expectCrises("trickle", 0, 0)
	})
}

// TestBusyPostsUsualRate: on a post used to 4 negative comments per 10
// minutes, 15 are its normal; 25 (over five times the usual) are a crisis.
func TestBusyPostsUsualRate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, r *rig) {
		first := r.say("forum", calm)
		// A post that has had 4 negative comments every 10 minutes all
		// week: 15 in 10 minutes is its usual, well under five times it.
		var history []comment.Comment
		start := r.clock.Now().Add(-7 * 24 * time.Hour)
		for i := range 7 * 24 * 6 * 4 {
			history = append(history, comment.Comment{SiteID: r.site.ID, ThreadID: first.ThreadID, Author: "Regular",
				Body: "Broken again", HTML: "<p>Broken again</p>", Status: comment.StatusApproved, ReplyState: comment.ReplyAnswered,
				CreatedAt: start.Add(time.Duration(i) * 150 * time.Second), Negativity: 0.9})
		}
		if err := r.st.CreateComments(t.Context(), history); err != nil {
			t.Fatal(err)
		}
		r.burst("forum", negative, 15, 9*time.Minute)
		r.expectCrises("busy post", 0, 0)
		r.burst("forum", negative, 10, time.Minute) // 25 in 10 minutes: over five times the usual
		r.expectCrises("five times the usual", 1, 1)
	})
}

// TestSecondBurstAfterQuiet: a burst that goes on alerts once; the crisis
// ends after a whole quiet window, and a later burst alerts again.
func TestSecondBurstAfterQuiet(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			r := newRig(t, engine)
			r.burst("pricing", negative, 12, 5*time.Minute)
			r.expectCrises("first burst", 1, 1)
			r.wait(5 * time.Minute)
			r.burst("pricing", negative, 12, 5*time.Minute) // the same burst goes on
			r.expectCrises("the burst goes on", 1, 1)
			r.wait(9 * time.Minute)
			if len(r.open()) != 1 {
				t.Fatalf("the crisis ended before a quiet window")
			}
			r.wait(12 * time.Minute)
			if open := r.open(); len(open) != 0 {
				t.Fatalf("open crises after a quiet window: %+v", open)
			}
			r.burst("pricing", negative, 12, 5*time.Minute)
			r.expectCrises("second burst", 2, 2)
		})
	}
}

// TestSiteWideBurst: 30 negative comments spread over ten posts are one
// site-wide crisis, and a post piling on during it adds no alert.
func TestSiteWideBurst(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			r := newRig(t, engine)
			for i := range 30 { // three on each of ten posts
				r.clock.Add(15 * time.Second)
				r.say(fmt.Sprintf("post%d", i%10), negative)
				r.tick()
			}
			r.expectCrises("across ten posts", 1, 1)
			open := r.open()
			if len(open) != 1 || open[0].Scope.ThreadID != 0 || open[0].Negative < 10 {
				t.Fatalf("open crises %+v, want one site-wide", open)
			}
			if m := r.crisisMail(); len(m) == 1 && !strings.Contains(m[0].Subject, "across the site") {
				t.Errorf("subject %q", m[0].Subject)
			}
			// While the site is in crisis, one post's pile-on adds no alert.
			r.burst("post1", negative, 12, 2*time.Minute)
			r.expectCrises("a post during the site's crisis", 1, 1)
		})
	}
}

// TestTwoWorkersOneCrisis: two alert workers on one database (two
// replicas), ticking together through a burst, raise one alert.
func TestTwoWorkersOneCrisis(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			r := newRig(t, engine)
			second := storetest.OpenDSN(t, r.dsn, r.clock.Now)
			w2 := r.newWorker(second, r.service(second))
			for range 30 {
				r.clock.Add(15 * time.Second)
				r.say("pricing", negative)
				r.tick(r.worker, w2)
			}
			r.expectCrises("two workers", 1, 1)
		})
	}
}

// TestCrisisIgnoresQuietHoursAndReachesWebhooks: a crisis alert goes out at
// once in the owner's quiet hours, by email and on their webhook.
func TestCrisisIgnoresQuietHoursAndReachesWebhooks(t *testing.T) {
	r := newRig(t, "sqlite")
	hook := newHookReceiver(t)
	prefs := comment.AlertPrefs{TimeZone: "UTC", QuietHours: "09:00-12:00", Email: true, WebhookURL: hook.srv.URL, WebhookFormat: "json"}
	if _, err := r.svc.SetAlertPrefs(t.Context(), r.owner.Actor(), prefs); err != nil {
		t.Fatal(err)
	}
	r.burst("pricing", negative, 10, 5*time.Minute)
	r.expectCrises("in quiet hours", 2, 1) // email and webhook
	evs := hook.received()
	if len(evs) != 1 || evs[0].Kind != "crisis" || len(evs[0].Comments) == 0 || !strings.Contains(evs[0].URL, "thread=") {
		t.Errorf("webhook events %+v, want one crisis with comments and the inbox link", evs)
	}
}

// TestEditRescores: a reader's edit is scored again; staff replies are not
// scored.
func TestEditRescores(t *testing.T) {
	r := newRig(t, "sqlite")
	p, err := r.svc.Post(t.Context(), r.site, comment.Input{URL: "https://blog.example/posts/a/", Author: "Ana",
		Body: "Great post, thanks!", Elapsed: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if p.Comment.Negativity >= tone.Threshold {
		t.Fatalf("calm comment scored %.2f", p.Comment.Negativity)
	}
	c, _, err := r.svc.Edit(t.Context(), r.site, p.Comment.ID, p.EditToken, "Actually this is a scam, I want a refund!")
	if err != nil {
		t.Fatal(err)
	}
	if c.Negativity < tone.Threshold || !r.svc.Negative(c) {
		t.Errorf("edited to a complaint, scored %.2f", c.Negativity)
	}
	reply, _, err := r.svc.StaffReply(t.Context(), r.owner.Actor(), c.ID, "This is terrible news, we are so sorry! Refund sent.")
	if err != nil {
		t.Fatal(err)
	}
	if reply.Negativity != 0 || r.svc.Negative(reply) {
		t.Errorf("a staff reply was scored %.2f", reply.Negativity)
	}
}

// hookReceiver is a webhook endpoint that keeps the events it gets.
type hookReceiver struct {
	mu     sync.Mutex
	events []notify.Event
	srv    *httptest.Server
}

func newHookReceiver(tb testing.TB) *hookReceiver {
	h := &hookReceiver{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var ev notify.Event
		if err := json.Unmarshal(body, &ev); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.events = append(h.events, ev)
		h.mu.Unlock()
	}))
	tb.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) received() []notify.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]notify.Event(nil), h.events...)
}
