package alert_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/alert"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/notify"
	"github.com/parleyhq/parley/server/notify/smtptest"
	"github.com/parleyhq/parley/server/staff"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/store/storetest"
)

// clock is a controllable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// rig is a store, a service and a worker wired as main does, with a real
// SMTP server and a webhook receiver.
type rig struct {
	t      testing.TB
	clock  *clock
	st     *store.Store
	svc    *comment.Service
	worker *alert.Worker
	smtp   *smtptest.Server
	hooks  *hookReceiver
	site   comment.Site
	owner  staff.User
	jane   staff.User // routed the posts of "Jane Doe"
	athens *time.Location
	dsn    string
}

type hookReceiver struct {
	mu     sync.Mutex
	events []notify.Event
	srv    *httptest.Server
}

func newHookReceiver(tb testing.TB, secret string) *hookReceiver {
	h := &hookReceiver{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := notify.Verify(secret, r.Header.Get("X-Parley-Signature"), body, time.Now(), time.Hour*24*365*10); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
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

func (h *hookReceiver) kinds() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, e := range h.events {
		out = append(out, e.Kind)
	}
	return out
}

// monday10 is Monday 23 November 2026, 10:00 in Athens.
func newRig(t *testing.T, engine string) *rig {
	t.Helper()
	athens, err := time.LoadLocation("Europe/Athens")
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, clock: &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, athens)}, athens: athens}
	r.dsn = storetest.NewDSN(t, engine)
	r.st = storetest.OpenDSN(t, r.dsn, r.clock.Now)
	schedule := alert.NewSchedule()
	r.svc = comment.NewService(comment.Config{Store: r.st, Renderer: markup.New(), Now: r.clock.Now,
		ClientKey: []byte("k"), Schedule: schedule})
	ctx := t.Context()
	site, err := r.svc.SaveSite(ctx, comment.Site{Name: "blog", Title: "Acme blog", Origins: []string{"https://blog.example"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.svc.LoadSites(ctx); err != nil {
		t.Fatal(err)
	}
	r.owner = r.user("owner@acme.example", "Olga Owner", staff.RoleOwner, nil)
	r.jane = r.user("jane@acme.example", "Jane Doe", staff.RoleStaff, []int64{site.ID})
	tz, hours, target := "Europe/Athens", "mon-fri 09:00-17:00", 4*time.Hour
	r.site, err = r.svc.UpdateSiteSettings(ctx, r.owner.Actor(), site.ID, comment.SiteUpdate{TimeZone: &tz, Hours: &hours,
		ReplyTarget: &target, Authors: []comment.AuthorRoute{{Author: "Jane Doe", UserID: r.jane.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	r.smtp = smtptest.Start(t, smtptest.Options{})
	mailer := notify.NewMailer(notify.SMTPConfig{Host: r.smtp.Host(), Port: r.smtp.Port(), TLS: "none", Timeout: 5 * time.Second})
	prefs, err := r.svc.SetAlertPrefs(ctx, r.jane.Actor(), comment.AlertPrefs{TimeZone: "Europe/Athens", Email: true,
		WebhookURL: "http://placeholder.invalid/", WebhookFormat: "json"})
	if err != nil {
		t.Fatal(err)
	}
	r.hooks = newHookReceiver(t, prefs.WebhookSecret)
	prefs.WebhookURL = r.hooks.srv.URL
	if _, err := r.svc.SetAlertPrefs(ctx, r.jane.Actor(), prefs); err != nil {
		t.Fatal(err)
	}
	r.worker = alert.New(alert.Config{Store: r.st, Sites: r.svc, Schedule: schedule, Mailer: mailer, Now: r.clock.Now,
		PublicURL: "https://comments.acme.example", From: "Parley <parley@acme.example>",
		ReplyDomain: "reply.acme.example", ReplyKey: []byte("reply key")})
	return r
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

func (r *rig) post(author, body string) comment.Comment {
	r.t.Helper()
	p, err := r.svc.Post(r.t.Context(), r.site, comment.Input{URL: "https://blog.example/posts/pricing/", Title: "New pricing",
		Author: author, Body: body, AuthorHint: "Jane Doe", Elapsed: time.Minute})
	if err != nil {
		r.t.Fatal(err)
	}
	if p.Comment.Status != comment.StatusApproved {
		r.t.Fatalf("comment %q is %s (%s), want approved", body, p.Comment.Status, p.Comment.FlagReason)
	}
	return p.Comment
}

// at sets the clock to a time in Athens and runs the worker once.
func (r *rig) at(day, hour, minute int) {
	r.t.Helper()
	r.clock.Set(time.Date(2026, 11, day, hour, minute, 0, 0, r.athens))
	if err := r.worker.Tick(r.t.Context()); err != nil {
		r.t.Fatal(err)
	}
}

// mail is what each address received: the X-Parley-Alert header of each message.
func (r *rig) mail() map[string][]string {
	out := map[string][]string{}
	for _, m := range r.smtp.Messages() {
		for _, to := range m.To {
			out[to] = append(out[to], m.Header.Get("X-Parley-Alert"))
		}
	}
	return out
}

func (r *rig) expectMail(step string, want map[string][]string) {
	r.t.Helper()
	got := r.mail()
	for addr, kinds := range want {
		if !slices.Equal(got[addr], kinds) {
			r.t.Errorf("%s: %s received %v, want %v", step, addr, got[addr], kinds)
		}
	}
	for addr := range got {
		if _, ok := want[addr]; !ok {
			r.t.Errorf("%s: %s received %v, want nothing", step, addr, got[addr])
		}
	}
}

func TestAlertTimeline(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			r := newRig(t, engine)
			jane, olga := r.jane.Email, r.owner.Email
			c := r.post("Maria", "Why did the price go up without notice?")
			if c.AssigneeID != r.jane.ID {
				t.Fatalf("assignee = %d, want Jane (%d)", c.AssigneeID, r.jane.ID)
			}
			// Monday 10:00 + 4 business hours = Monday 14:00 Athens.
			if want := time.Date(2026, 11, 23, 14, 0, 0, 0, r.athens); !c.DueAt.Equal(want) {
				t.Fatalf("due %s, want %s", c.DueAt.In(r.athens), want)
			}
			r.at(23, 10, 0)
			r.expectMail("at once", map[string][]string{jane: {"new_comment"}})
			r.at(23, 11, 59)
			r.expectMail("before the reminder", map[string][]string{jane: {"new_comment"}})
			r.at(23, 12, 0)
			r.expectMail("half the target", map[string][]string{jane: {"new_comment", "reminder"}})
			r.at(23, 14, 0)
			r.expectMail("deadline", map[string][]string{jane: {"new_comment", "reminder", "escalation"}, olga: {"escalation"}})
			r.at(23, 20, 0)
			r.at(24, 8, 59)
			r.expectMail("overnight", map[string][]string{jane: {"new_comment", "reminder", "escalation"}, olga: {"escalation"}})
			r.at(24, 9, 0)
			r.at(24, 9, 5)
			r.expectMail("first digest", map[string][]string{jane: {"new_comment", "reminder", "escalation", "digest"},
				olga: {"escalation", "digest"}})
			r.at(25, 9, 0)
			r.expectMail("second digest", map[string][]string{jane: {"new_comment", "reminder", "escalation", "digest", "digest"},
				olga: {"escalation", "digest", "digest"}})
			if _, _, err := r.svc.StaffReply(t.Context(), r.jane.Actor(), c.ID, "Hi Maria, the old price stays for current plans."); err != nil {
				t.Fatal(err)
			}
			for day := 26; day <= 30; day++ {
				r.at(day, 9, 0)
			}
			r.expectMail("after the reply", map[string][]string{jane: {"new_comment", "reminder", "escalation", "digest", "digest"},
				olga: {"escalation", "digest", "digest"}})
			want := []string{"new_comment", "reminder", "escalation", "digest", "digest"}
			if got := r.hooks.kinds(); !slices.Equal(got, want) {
				t.Errorf("webhooks %v, want %v", got, want)
			}
			answered, err := r.st.FindCommentByID(t.Context(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			// Monday 10:00 to Wednesday 09:00 is 7 + 8 business hours.
			if answered.ReplyTime != 15*time.Hour {
				t.Errorf("reply time %s, want 15h", answered.ReplyTime)
			}
		})
	}
}

func TestAlertsSkipSpamHiddenAndAnswered(t *testing.T) {
	r := newRig(t, "sqlite")
	answered := r.post("Ana", "Great post, thanks!")
	hidden := r.post("Ivo", "This company is a joke, I want my money back")
	if _, _, err := r.svc.StaffReply(t.Context(), r.owner.Actor(), answered.ID, "Thank you, Ana!"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.svc.Moderate(t.Context(), r.owner.Actor(), hidden.ID, comment.ActionHide, "insults"); err != nil {
		t.Fatal(err)
	}
	held, err := r.svc.Post(t.Context(), r.site, comment.Input{URL: "https://blog.example/posts/pricing/", Author: "Bot",
		Body: "cheap pills", Honeypot: "filled", Elapsed: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if held.Comment.Status == comment.StatusApproved {
		t.Fatalf("honeypot comment is approved")
	}
	for day := 23; day <= 26; day++ {
		r.at(day, 10, 0)
		r.at(day, 18, 0)
	}
	r.expectMail("nothing open", map[string][]string{})
	if got := r.hooks.kinds(); len(got) != 0 {
		t.Errorf("webhooks %v, want none", got)
	}
}

func TestAlertsSurviveMailOutage(t *testing.T) {
	r := newRig(t, "sqlite")
	var ids []int64
	for i := range 20 {
		ids = append(ids, r.post("Reader", "Question number "+strings.Repeat("x", i+1)+" about the pricing page").ID)
	}
	r.smtp.Stop()
	r.at(23, 10, 0) // every send fails; the rows wait for a retry
	if n := len(r.smtp.Messages()); n != 0 {
		t.Fatalf("%d messages while the server was down", n)
	}
	r.at(23, 10, 1)
	r.at(23, 10, 3)
	r.smtp.Restart()
	r.smtp.FailNext(3, 451) // and a few temporary refusals after it comes back
	for m := 5; m <= 59; m += 2 {
		r.at(23, 10, m)
	}
	got := r.mail()[r.jane.Email]
	if len(got) != len(ids) {
		t.Fatalf("Jane received %d alerts, want %d (one per comment)", len(got), len(ids))
	}
	seen := map[string]bool{}
	for _, m := range r.smtp.Messages() {
		id := m.Header.Get("Message-Id")
		if seen[id] {
			t.Errorf("message %s delivered twice", id)
		}
		seen[id] = true
	}
	r.at(23, 11, 30)
	if n := len(r.mail()[r.jane.Email]); n != len(ids) {
		t.Errorf("after the outage Jane has %d messages, want %d", n, len(ids))
	}
}

func TestQuietHoursDelay(t *testing.T) {
	r := newRig(t, "sqlite")
	p, err := r.svc.AlertPrefs(t.Context(), r.jane.Actor())
	if err != nil {
		t.Fatal(err)
	}
	p.QuietHours = "09:30-11:00"
	if _, err := r.svc.SetAlertPrefs(t.Context(), r.jane.Actor(), p); err != nil {
		t.Fatal(err)
	}
	r.clock.Set(time.Date(2026, 11, 23, 9, 45, 0, 0, r.athens))
	r.post("Nikos", "Is there a student discount?")
	r.at(23, 9, 45)
	r.at(23, 10, 59)
	r.expectMail("quiet", map[string][]string{})
	r.at(23, 11, 0)
	r.expectMail("after quiet hours", map[string][]string{r.jane.Email: {"new_comment"}})
}

func TestReassignAlertsTheNewAssignee(t *testing.T) {
	r := newRig(t, "sqlite")
	petar := r.user("petar@acme.example", "Petar", staff.RoleStaff, []int64{r.site.ID})
	c := r.post("Ewa", "Czy będzie wersja po polsku?")
	r.at(23, 10, 0)
	if _, _, err := r.svc.Reassign(t.Context(), r.jane.Actor(), c.ID, petar.ID); err != nil {
		t.Fatal(err)
	}
	r.at(23, 10, 1)
	r.at(23, 12, 30)
	r.expectMail("reassigned", map[string][]string{r.jane.Email: {"new_comment"}, petar.Email: {"new_comment", "reminder"}})
	other := r.user("outsider@acme.example", "Out", staff.RoleStaff, nil)
	if _, _, err := r.svc.Reassign(t.Context(), r.jane.Actor(), c.ID, other.ID); comment.CodeOf(err) != comment.Invalid {
		t.Errorf("assigning to someone without the site: %v, want invalid", err)
	}
}

// TestTwoWorkersDeliverOnce runs two workers, each with its own handle on
// one database (two replicas), at the same time over 1,000 comments: every
// alert reaches the SMTP server exactly once, and a reply made through one
// replica stops the reminders of both.
func TestTwoWorkersDeliverOnce(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			r := newRig(t, engine)
			second := storetest.OpenDSN(t, r.dsn, r.clock.Now)
			svc2 := comment.NewService(comment.Config{Store: second, Renderer: markup.New(), Now: r.clock.Now,
				ClientKey: []byte("k"), Schedule: alert.NewSchedule()})
			if err := svc2.LoadSites(t.Context()); err != nil {
				t.Fatal(err)
			}
			mailer := notify.NewMailer(notify.SMTPConfig{Host: r.smtp.Host(), Port: r.smtp.Port(), TLS: "none", Timeout: 5 * time.Second})
			w2 := alert.New(alert.Config{Store: second, Sites: svc2, Schedule: alert.NewSchedule(), Mailer: mailer, Now: r.clock.Now,
				PublicURL: "https://comments.acme.example", From: "parley@acme.example"})
			first := r.post("Seed", "The first question of many")
			now := r.clock.Now().UTC()
			var batch []comment.Comment
			for i := range 999 {
				batch = append(batch, comment.Comment{SiteID: r.site.ID, ThreadID: first.ThreadID, Author: "Reader",
					Body: fmt.Sprintf("Question %d", i), HTML: "<p>Question</p>", Status: comment.StatusApproved,
					ReplyState: comment.ReplyOpen, CreatedAt: now, DueAt: now.Add(4 * time.Hour), AssigneeID: r.jane.ID,
					NextAlertAt: now})
			}
			if err := r.st.CreateComments(t.Context(), batch); err != nil {
				t.Fatal(err)
			}
			both := func(hour, minute int) {
				r.clock.Set(time.Date(2026, 11, 23, hour, minute, 0, 0, r.athens))
				var wg sync.WaitGroup
				for _, w := range []*alert.Worker{r.worker, w2} {
					wg.Go(func() {
						if err := w.Tick(t.Context()); err != nil {
							t.Error(err)
						}
					})
				}
				wg.Wait()
			}
			both(10, 0)
			both(10, 1)
			if _, _, err := svc2.StaffReply(t.Context(), r.jane.Actor(), first.ID, "Answered on the second replica."); err != nil {
				t.Fatal(err)
			}
			both(12, 0)
			both(12, 1)
			kinds := map[string]int{}
			seen := map[string]bool{}
			for _, m := range r.smtp.Messages() {
				kinds[m.Header.Get("X-Parley-Alert")]++
				id := m.Header.Get("Message-Id")
				if seen[id] {
					t.Errorf("%s delivered twice", id)
				}
				seen[id] = true
			}
			if kinds["new_comment"] != 1000 || kinds["reminder"] != 999 || len(kinds) != 2 {
				t.Errorf("delivered %v, want 1000 new_comment and 999 reminder", kinds)
			}
		})
	}
}
