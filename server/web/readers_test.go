package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/notify"
	"github.com/parleyhq/parley/server/notify/smtptest"
	"github.com/parleyhq/parley/server/reader"
	"github.com/parleyhq/parley/server/store/storetest"
)

// mailRig is a harness with reply emails: a real SMTP server and the
// reader mail worker, ticked by the test.
type mailRig struct {
	*harness
	smtp   *smtptest.Server
	worker *reader.Worker
	seen   int
}

func newMailRig(t *testing.T, engine string) *mailRig {
	t.Helper()
	h := newHarnessWith(t, engine, harnessOptions{readers: true})
	s := smtptest.Start(t, smtptest.Options{})
	m := notify.NewMailer(notify.SMTPConfig{Host: s.Host(), Port: s.Port(), TLS: notify.TLSNone, Timeout: 5 * time.Second})
	w := reader.NewWorker(reader.WorkerConfig{Store: h.st, Service: h.readers, Sites: h.svc, Mailer: m, Now: h.clock,
		PublicURL: h.ts.URL, From: "Acme blog <blog@acme.example>"})
	return &mailRig{harness: h, smtp: s, worker: w}
}

// tick runs the worker once and returns the messages it sent.
func (r *mailRig) tick() []smtptest.Message {
	r.t.Helper()
	if err := r.worker.Tick(r.t.Context()); err != nil {
		r.t.Fatal(err)
	}
	all := r.smtp.Messages()
	out := all[r.seen:]
	r.seen = len(all)
	return out
}

func (r *mailRig) tickOne(to string) smtptest.Message {
	r.t.Helper()
	ms := r.tick()
	if len(ms) != 1 || len(ms[0].To) != 1 || ms[0].To[0] != to {
		r.t.Fatalf("want one mail to %s, got %d: %v", to, len(ms), recipients(ms))
	}
	return ms[0]
}

func (r *mailRig) tickNone(why string) {
	r.t.Helper()
	if ms := r.tick(); len(ms) != 0 {
		r.t.Fatalf("%s: %d mails sent: %v %q", why, len(ms), recipients(ms), ms[0].Subject)
	}
}

func recipients(ms []smtptest.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.To...)
	}
	return out
}

var linkRe = regexp.MustCompile(`https?://[^\s>"]+/r/(confirm|unsubscribe)\?t=[A-Za-z0-9_%-]+`)

// link returns the path and query of the message's confirm or unsubscribe link.
func link(t testing.TB, m smtptest.Message, kind string) string {
	t.Helper()
	for _, l := range linkRe.FindAllString(m.Text, -1) {
		if strings.Contains(l, "/r/"+kind+"?") {
			u, err := url.Parse(l)
			if err != nil {
				t.Fatal(err)
			}
			return u.RequestURI()
		}
	}
	t.Fatalf("no %s link in %q", kind, m.Text)
	return ""
}

func (r *mailRig) form(path string, form url.Values) response {
	r.t.Helper()
	return r.do("POST", path, []byte(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
}

func TestReplyEmails(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) { testReplyEmails(t, engine) })
	}
}

func testReplyEmails(t *testing.T, engine string) {
	r := newMailRig(t, engine)
	url := blogOrigin + "/post/"
	ann := r.mustPostJSON(map[string]any{"url": url, "author": "Ann", "email": " Ann@Example.com ", "body": "Is it waterproof?",
		"notify_replies": true, "lang": "de-AT"})
	if ann.ReplyEmails != "confirm_sent" {
		t.Fatalf("notify_replies = %q, want confirm_sent", ann.ReplyEmails)
	}
	if th := r.thread("blog", url); !contains(r.do("GET", "/api/v1/threads?site=blog&url="+url, nil).body, `"notify_replies":true`) || th.Thread.Count != 1 {
		t.Error("the thread does not offer reply emails")
	}

	confirm := r.tickOne("ann@example.com")
	if confirm.Subject != "[blog] Benachrichtigungen über Antworten bestätigen" {
		t.Errorf("confirmation subject %q (want German)", confirm.Subject)
	}
	checkUnsubscribeHeaders(t, confirm)

	// Until the link is used, nothing about replies goes out.
	bob := r.mustPostJSON(map[string]any{"url": url, "parent_id": ann.Comment.ID, "author": "Bob", "email": "bob@example.com",
		"body": "Yes, IP67."})
	r.tickNone("a reply before the confirmation")

	// Opening the link (as a mail scanner does) only shows a button.
	page := r.do("GET", link(t, confirm, "confirm"), nil)
	if page.status != http.StatusOK || !contains(page.body, `<form method="post" action="/r/confirm">`) {
		t.Fatalf("confirm page: %d %s", page.status, page.body)
	}
	if page.header.Get("Referrer-Policy") != "no-referrer" {
		t.Error("the confirm page may leak its token in a Referer")
	}
	r.mustPostJSON(map[string]any{"url": url, "parent_id": ann.Comment.ID, "author": "Cy", "body": "Mine too."})
	r.tickNone("a reply after the confirm page was only fetched")

	token, _ := url2token(link(t, confirm, "confirm"))
	if res := r.form("/r/confirm", map[string][]string{"t": {token + "x"}}); res.status != http.StatusNotFound {
		t.Errorf("tampered confirm token: %d", res.status)
	}
	if res := r.form("/r/confirm", map[string][]string{"t": {token}}); res.status != http.StatusOK || !contains(res.body, "ann@example.com") {
		t.Fatalf("confirm: %d %s", res.status, res.body)
	}
	if res := r.form("/r/confirm", map[string][]string{"t": {token}}); res.status != http.StatusNotFound {
		t.Errorf("a used confirm token works again: %d", res.status)
	}

	// Now a reply is mailed, once, with its text and the one-click headers.
	r.mustPostJSON(map[string]any{"url": url, "parent_id": ann.Comment.ID, "author": "Dee", "email": "dee@example.com",
		"body": "Try **rain** <script>alert(1)</script>"})
	reply := r.tickOne("ann@example.com")
	if !strings.Contains(reply.Subject, "Dee") || !strings.Contains(reply.Text, "Try **rain**") ||
		!strings.Contains(reply.HTML, "<strong>rain</strong>") || strings.Contains(reply.HTML, "<script") {
		t.Errorf("reply mail: %q\n%s\n%s", reply.Subject, reply.Text, reply.HTML)
	}
	if !strings.Contains(reply.Text, url+"#parley-c-") {
		t.Errorf("no link to the reply in %q", reply.Text)
	}
	checkUnsubscribeHeaders(t, reply)
	r.tickNone("the same reply again")

	// A staff reply is marked official; Ann's own reply is not mailed to her.
	r.staffReply(ann.Comment.ID, "Thanks for asking!")
	official := r.tickOne("ann@example.com")
	if !strings.Contains(official.Subject, "aus dem Team") || !strings.Contains(official.HTML, "Offizielle Antwort") {
		t.Errorf("staff reply mail: %q %s", official.Subject, official.HTML)
	}
	r.mustPostJSON(map[string]any{"url": url, "parent_id": ann.Comment.ID, "author": "Ann", "email": "ann@EXAMPLE.com", "body": "Thanks all"})
	r.tickNone("Ann's own reply")

	// A held reply is mailed when it is approved, not before.
	held := r.mustPostJSON(map[string]any{"url": url, "parent_id": ann.Comment.ID, "author": "Eve",
		"body": "https://a.example https://b.example https://c.example https://d.example"})
	if held.Comment.Status != "pending" {
		t.Fatalf("the reply with links is %s, want pending", held.Comment.Status)
	}
	r.tickNone("a held reply")
	if _, _, err := r.svc.Moderate(t.Context(), comment.Actor{Name: "Mod", Owner: true}, held.Comment.ID, comment.ActionApprove, ""); err != nil {
		t.Fatal(err)
	}
	if m := r.tickOne("ann@example.com"); !strings.Contains(m.Subject, "Eve") {
		t.Errorf("approved reply mail: %q", m.Subject)
	}

	// Bob followed nothing: replies to him are nobody's business.
	r.mustPostJSON(map[string]any{"url": url, "parent_id": bob.Comment.ID, "author": "Fay", "body": "Bob, are you sure?"})
	r.tickNone("a reply to someone who did not opt in")

	// One click unsubscribes, as mail programs do it (RFC 8058).
	unsub := link(t, reply, "unsubscribe")
	if res := r.do("POST", unsub+"x", nil, "Content-Type", "application/x-www-form-urlencoded"); res.status != http.StatusNotFound {
		t.Errorf("tampered unsubscribe token: %d", res.status)
	}
	if res := r.do("GET", unsub, nil); res.status != http.StatusOK || !contains(res.body, `action="/r/unsubscribe"`) {
		t.Errorf("unsubscribe page: %d %s", res.status, res.body)
	}
	if res := r.oneClick(unsub); res.status != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d %s", res.status, res.body)
	}
	r.mustPostJSON(map[string]any{"url": url, "parent_id": ann.Comment.ID, "author": "Gus", "body": "Anyone?"})
	r.tickNone("a reply after unsubscribing")
	if res := r.oneClick(unsub); res.status != http.StatusOK {
		t.Errorf("unsubscribing twice: %d", res.status)
	}
}

func (r *mailRig) mustPostJSON(fields map[string]any) postedWithEmails {
	r.t.Helper()
	resp := r.post("blog", fields)
	if resp.status != http.StatusCreated {
		r.t.Fatalf("post %v: %d %s", fields, resp.status, resp.body)
	}
	var p postedWithEmails
	resp.json(r.t, &p)
	return p
}

type postedWithEmails struct {
	postedAnswer
	ReplyEmails string `json:"notify_replies"`
}

// oneClick posts as RFC 8058 says mail programs do.
func (r *mailRig) oneClick(path string) response {
	r.t.Helper()
	req, err := http.NewRequestWithContext(r.t.Context(), "POST", r.ts.URL+path, strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := r.ts.Client().Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	resp.Body.Close()
	return response{status: resp.StatusCode, header: resp.Header}
}

func checkUnsubscribeHeaders(t *testing.T, m smtptest.Message) {
	t.Helper()
	lu := m.Header.Get("List-Unsubscribe")
	if !strings.HasPrefix(lu, "<http") || !strings.Contains(lu, "/r/unsubscribe?t=") || !strings.HasSuffix(lu, ">") {
		t.Errorf("List-Unsubscribe: %q", lu)
	}
	if got := m.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post: %q", got)
	}
	if !strings.Contains(m.Text, strings.Trim(lu, "<>")) {
		t.Errorf("the text has no unsubscribe link %s", lu)
	}
}

func url2token(pathQuery string) (string, error) {
	u, err := url.Parse(pathQuery)
	if err != nil {
		return "", err
	}
	return u.Query().Get("t"), nil
}

// TestReplyEmailsOff: without a mail server the embed is offered no box,
// and an opt-in sent anyway does nothing.
func TestReplyEmailsOff(t *testing.T) {
	h := newHarness(t)
	r := h.post("blog", map[string]any{"url": "/post/", "email": "ann@example.com", "body": "hi", "notify_replies": true})
	if r.status != http.StatusCreated || contains(r.body, "notify_replies") {
		t.Errorf("post: %d %s", r.status, r.body)
	}
	if th := h.do("GET", "/api/v1/threads?site=blog&url=/post/", nil); !contains(th.body, `"notify_replies":false`) {
		t.Errorf("thread: %s", th.body)
	}
	if res := h.do("GET", "/r/confirm?t=abc", nil); res.status != http.StatusNotFound {
		t.Errorf("confirm page without reply emails: %d", res.status)
	}
}

// TestReplyEmailsSpam: a comment taken for spam opts nobody in, so spam
// cannot make Parley mail strangers.
func TestReplyEmailsSpam(t *testing.T) {
	r := newMailRig(t, "sqlite")
	p := r.mustPostJSON(map[string]any{"url": "/post/", "email": "stranger@example.com", "body": "spam", "hp": "filled by a bot",
		"notify_replies": true})
	if p.ReplyEmails != "" {
		t.Errorf("notify_replies = %q for a spam comment", p.ReplyEmails)
	}
	r.tickNone("a spam comment's opt-in")
}
