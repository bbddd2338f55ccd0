package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/followup"
	"github.com/parleyhq/parley/server/notify"
	"github.com/parleyhq/parley/server/notify/smtptest"
	"github.com/parleyhq/parley/server/staff"
	"github.com/parleyhq/parley/server/store/storetest"
)

// mailFixture is the admin fixture with a real SMTP server behind the
// follow-up.
type mailFixture struct {
	*adminFixture
	smtp *smtptest.Server
}

func newMailFixture(t *testing.T, engine string, perHour int) *mailFixture {
	t.Helper()
	srv := smtptest.Start(t, smtptest.Options{})
	mailer := notify.NewMailer(notify.SMTPConfig{Host: srv.Host(), Port: srv.Port(), TLS: notify.TLSNone, Timeout: 5 * time.Second})
	var h *harness
	if engine == "postgres" {
		h = newHarnessWith(t, engine, harnessOptions{dsn: storetest.NewPostgresDB(t), mailer: mailer, followUpPerHour: perHour})
	} else {
		h = newHarnessWith(t, engine, harnessOptions{mailer: mailer, followUpPerHour: perHour})
	}
	f := &adminFixture{h: h}
	f.owner = h.signIn(h.addUser("owner@acme.example", staff.RoleOwner))
	f.blogA = h.signIn(h.addUser("ana@acme.example", staff.RoleStaff, "blog"))
	f.otherB = h.signIn(h.addUser("bo@acme.example", staff.RoleStaff, "other"))
	title := "Acme Ελλάς"
	blog, _ := h.svc.Site("blog")
	if _, err := h.svc.UpdateSiteSettings(t.Context(), comment.Actor{Owner: true}, blog.ID, comment.SiteUpdate{Title: &title}); err != nil {
		t.Fatal(err)
	}
	f.blogComment = h.mustPost("blog", map[string]any{"url": "/post/", "title": "Rover", "author": "Ζωή Κ.",
		"email": "reader@mail.example", "body": "My Rover arrived **broken**.\nWhat now?"})
	f.otherComment = h.mustPost("other", map[string]any{"url": "/other/", "body": "Question on other"})
	return &mailFixture{adminFixture: f, smtp: srv}
}

func (sc *staffClient) followUp(id int64, fields map[string]any) response {
	sc.h.t.Helper()
	b, _ := json.Marshal(fields)
	return sc.call("POST", fmt.Sprintf("/api/v1/admin/comments/%d/follow-up", id), string(b))
}

func TestFollowUp(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) { testFollowUp(t, newMailFixture(t, engine, 0)) })
	}
}

func testFollowUp(t *testing.T, f *mailFixture) {
	h, a := f.h, f.blogA
	id := f.blogComment.Comment.ID
	message := "Dear Zoe,\n\nsorry about the Rover. Could you send us your order number?\n\nAna"
	r := a.followUp(id, map[string]any{"subject": "Your Rover order", "message": message})
	if r.status != 201 {
		t.Fatalf("follow-up: %d %s", r.status, r.body)
	}
	var out struct{ Comment commentAnswer }
	r.json(t, &out)

	// The reader got the email, from the site, answers going to Ana.
	msgs := f.smtp.Wait(t, 1, 5*time.Second)
	m := msgs[0]
	if len(m.To) != 1 || m.To[0] != "reader@mail.example" || m.From != "parley@blog.example" {
		t.Errorf("envelope from %q to %q", m.From, m.To)
	}
	from, _ := m.Header.AddressList("From")
	replyTo, _ := m.Header.AddressList("Reply-To")
	to, _ := m.Header.AddressList("To")
	if len(from) != 1 || from[0].Name != "Acme Ελλάς" || from[0].Address != "parley@blog.example" {
		t.Errorf("From = %v", from)
	}
	if len(replyTo) != 1 || replyTo[0].Address != "ana@acme.example" {
		t.Errorf("Reply-To = %v", replyTo)
	}
	if len(to) != 1 || to[0].Address != "reader@mail.example" || to[0].Name != "Ζωή Κ." {
		t.Errorf("To = %v", to)
	}
	if m.Header.Get("In-Reply-To") != "" || m.Subject != "Your Rover order" {
		t.Errorf("In-Reply-To %q, subject %q", m.Header.Get("In-Reply-To"), m.Subject)
	}
	if !strings.HasPrefix(m.Text, message+"\n") || !strings.Contains(m.Text, "> My Rover arrived **broken**.\n> What now?") {
		t.Errorf("text:\n%s", m.Text)
	}

	// The note is an official reply; the comment stays visible and is answered.
	th := h.thread("blog", "/post/")
	if len(th.Comments) != 1 || len(th.Comments[0].Replies) != 1 {
		t.Fatalf("thread: %+v", th.Comments)
	}
	note := th.Comments[0].Replies[0]
	if !note.Official || !strings.Contains(note.HTML, followup.DefaultNote) || note.ID != out.Comment.ID {
		t.Errorf("note: %+v", note)
	}
	if strings.Contains(fmt.Sprint(th), "reader@mail.example") || strings.Contains(fmt.Sprint(th), "order number") {
		t.Error("the public thread shows the email address or the private message")
	}
	c, _ := h.st.FindCommentByID(t.Context(), id)
	if c.ReplyState != comment.ReplyAnswered || c.Status != comment.StatusApproved {
		t.Errorf("comment %s %s, want approved and answered", c.Status, c.ReplyState)
	}

	// The audit log keeps the whole message; staff of the site read it.
	var audit struct {
		Items []struct{ Action, User, Reason, Detail string }
	}
	r = a.call("GET", fmt.Sprintf("/api/v1/admin/audit?comment=%d", id), "")
	r.json(t, &audit)
	var fu string
	for _, e := range audit.Items {
		if e.Action == string(followup.ActionFollowUp) {
			fu = e.Detail
			if e.Reason != "Your Rover order" || e.User != "ana" {
				t.Errorf("entry %+v", e)
			}
		}
	}
	if !strings.HasPrefix(fu, "To: Ζωή Κ. <reader@mail.example>\nSubject: Your Rover order\n\n") || !strings.Contains(fu, message) {
		t.Errorf("audit detail %q", fu)
	}
	page := a.page(fmt.Sprintf("/admin/comments/%d", id))
	if !strings.Contains(page, "Private message") || !strings.Contains(page, "Could you send us your order number?") {
		t.Errorf("the comment page's history lacks the message")
	}
	if page := a.page("/admin/audit"); !strings.Contains(page, "Could you send us your order number?") {
		t.Errorf("the audit page lacks the message")
	}
	// Staff of another site see none of it.
	if r := f.otherB.call("GET", fmt.Sprintf("/api/v1/admin/audit?comment=%d", id), ""); contains(r.body, "order number") {
		t.Errorf("staff of another site read the follow-up: %s", r.body)
	}
	if r := f.otherB.call("GET", "/admin/audit", ""); contains(r.body, "order number") {
		t.Errorf("the audit page shows another site's follow-up")
	}
	if r := f.otherB.followUp(id, map[string]any{"subject": "x", "message": "x"}); r.status != 404 {
		t.Errorf("follow-up by staff of another site: %d %s", r.status, r.body)
	}

	t.Run("mail server down", func(t *testing.T) {
		q := h.mustPost("blog", map[string]any{"url": "/post/", "email": "second@mail.example", "body": "Also broken"})
		rows := h.countRows()
		f.smtp.Stop()
		r := a.followUp(q.Comment.ID, map[string]any{"subject": "Hi", "message": "Hello", "note": "We wrote to you."})
		f.smtp.Restart()
		if r.status != 502 || r.code() != string(followup.MailFailed) || contains(r.body, "127.0.0.1") {
			t.Errorf("mail down: %d %s", r.status, r.body)
		}
		c, _ := h.st.FindCommentByID(t.Context(), q.Comment.ID)
		if h.countRows() != rows || c.ReplyState != comment.ReplyOpen {
			t.Errorf("something was published: rows %d→%d, state %s", rows, h.countRows(), c.ReplyState)
		}
	})

	t.Run("refused", func(t *testing.T) {
		noEmail := h.mustPost("blog", map[string]any{"url": "/post/", "body": "Anonymous question"})
		for _, tt := range []struct {
			name   string
			id     int64
			fields map[string]any
			status int
			code   string
		}{
			{"no email", noEmail.Comment.ID, map[string]any{"subject": "s", "message": "m"}, 422, string(followup.NoEmail)},
			{"no subject", id, map[string]any{"subject": " ", "message": "m"}, 422, "invalid"},
			{"no message", id, map[string]any{"subject": "s", "message": ""}, 422, "invalid"},
			{"empty note", id, map[string]any{"subject": "s", "message": "m", "note": " "}, 422, "invalid"},
			{"a staff reply", out.Comment.ID, map[string]any{"subject": "s", "message": "m"}, 409, "conflict"},
			{"header injection", id, map[string]any{"subject": "s\r\nBcc: victim@example.com", "message": "m"}, 201, ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r := a.followUp(tt.id, tt.fields)
				if r.status != tt.status || r.code() != tt.code {
					t.Errorf("%d %s", r.status, r.body)
				}
			})
		}
		last := f.smtp.Wait(t, 2, 5*time.Second)[1] // after the first follow-up
		if last.Header.Get("Bcc") != "" || len(last.To) != 1 || last.Subject != "s Bcc: victim@example.com" {
			t.Errorf("header injection: to %v, subject %q", last.To, last.Subject)
		}
		if page := a.page(fmt.Sprintf("/admin/comments/%d", noEmail.Comment.ID)); !strings.Contains(page, "left no email address") {
			t.Errorf("the page does not explain why there is no follow-up form")
		}
	})
}

func TestFollowUpForm(t *testing.T) {
	f := newMailFixture(t, "sqlite", 2)
	h, a := f.h, f.blogA
	id := f.blogComment.Comment.ID
	page := a.page(fmt.Sprintf("/admin/comments/%d", id))
	for _, want := range []string{"Follow up privately", `value="Your comment on “Rover”"`, followup.DefaultNote, "reader@mail.example", "ana@acme.example", "“Acme Ελλάς”"} {
		if !strings.Contains(page, want) {
			t.Errorf("the form lacks %q: %s", want, between(page, `id="follow-up"`, "</section>"))
		}
	}
	// Mail server down: the page comes back with the draft and the reason.
	f.smtp.Stop()
	form := url.Values{"subject": {"About your Rover"}, "message": {"Kept <b>text</b>"}, "note": {"We wrote to you."}}
	r := a.form(fmt.Sprintf("/admin/comments/%d/follow-up", id), form)
	f.smtp.Restart()
	if r.status != 502 || !contains(r.body, "nothing was published") || !contains(r.body, "Kept &lt;b&gt;text&lt;/b&gt;") || !contains(r.body, "<details class=\"adm-fold\" open>") {
		t.Fatalf("mail down: %d %s", r.status, between(string(r.body), `id="follow-up"`, "</section>"))
	}
	// Sent: back on the page, which says so.
	r = a.form(fmt.Sprintf("/admin/comments/%d/follow-up", id), form)
	if r.status != 303 || !strings.Contains(r.header.Get("Location"), "done=followed_up") {
		t.Fatalf("send: %d %s", r.status, r.body)
	}
	if got := f.smtp.Wait(t, 1, 5*time.Second)[0].Text; !strings.HasPrefix(got, "Kept <b>text</b>\n") {
		t.Errorf("text %q", got)
	}
	if th := h.thread("blog", "/post/"); len(th.Comments[0].Replies) != 1 || !strings.Contains(th.Comments[0].Replies[0].HTML, "We wrote to you.") {
		t.Errorf("thread %+v", th.Comments)
	}
	// Without CSRF token: refused.
	form.Del("csrf") // form put it in
	r = h.do("POST", fmt.Sprintf("/admin/comments/%d/follow-up", id), []byte(form.Encode()), "Cookie", "parley_session="+a.cookie,
		"Content-Type", "application/x-www-form-urlencoded")
	if r.status != 403 {
		t.Errorf("without CSRF token: %d", r.status)
	}
	// Two an hour in this fixture: the third waits.
	q := h.mustPost("blog", map[string]any{"url": "/post/", "email": "x@mail.example", "body": "Me too"})
	if r := a.followUp(q.Comment.ID, map[string]any{"subject": "s", "message": "m"}); r.status != 201 {
		t.Fatalf("second: %d %s", r.status, r.body)
	}
	q2 := h.mustPost("blog", map[string]any{"url": "/post/", "email": "y@mail.example", "body": "Me three"})
	r = a.followUp(q2.Comment.ID, map[string]any{"subject": "s", "message": "m"})
	if r.status != 429 || r.code() != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Errorf("third within the hour: %d %s", r.status, r.body)
	}
	if n := len(f.smtp.Messages()); n != 2 {
		t.Errorf("%d emails sent, want 2", n)
	}
	h.advance(time.Hour)
	if r := h.signIn(a.user).followUp(q2.Comment.ID, map[string]any{"subject": "s", "message": "m"}); r.status != 201 {
		t.Errorf("an hour later: %d %s", r.status, r.body)
	}
}

func TestFollowUpWithoutMailServer(t *testing.T) {
	f := newAdminFixture(t, "sqlite")
	id := f.blogComment.Comment.ID
	r := f.blogA.followUp(id, map[string]any{"subject": "s", "message": "m"})
	if r.status != 503 || r.code() != string(followup.MailOff) {
		t.Errorf("without SMTP: %d %s", r.status, r.body)
	}
	if page := f.blogA.page(fmt.Sprintf("/admin/comments/%d", id)); !strings.Contains(page, "no outgoing mail server") || strings.Contains(page, `action="/admin/comments/`+fmt.Sprint(id)+`/follow-up"`) {
		t.Errorf("the page should explain that follow-up needs SMTP: %s", between(page, `id="follow-up"`, "</section>"))
	}
	if th := f.h.thread("blog", "/post/"); len(th.Comments[0].Replies) != 0 {
		t.Error("a note was published without an email")
	}
}
