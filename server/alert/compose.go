package alert

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/notify"
	"github.com/parleyhq/parley/server/sla"
)

// errNothingToSay: the comment was answered, hidden or withdrawn (or a
// digest has nothing left in it) before the alert went out.
var errNothingToSay = errors.New("alert: nothing left to say")

// message is one alert, ready for either channel.
type message struct {
	kind     comment.AlertKind
	site     comment.Site
	subject  string
	intro    string
	items    []item
	link     string // the admin page to act on
	replyTo  string // the reply-by-email address, if any
	greeting string
}

type item struct {
	ID                  int64
	Author, Excerpt     string
	PostTitle, PostURL  string
	AdminURL            string
	Posted, Due         time.Time
	PostedText, DueText string
}

// digestLimit bounds the comments one digest lists.
const digestLimit = 50

func (w *Worker) compose(ctx context.Context, n comment.Notification, site comment.Site, r comment.Recipient, now time.Time) (message, error) {
	m := message{kind: n.Kind, site: site, greeting: "Hello " + r.Name + ","}
	siteName := cmp.Or(site.Title, site.Name)
	switch n.Kind {
	case comment.AlertDigest:
		return w.composeDigest(ctx, m, n, site, r, now, siteName)
	case comment.AlertCrisis:
		return w.composeCrisis(ctx, m, n, site, r, siteName)
	}
	c, err := w.store.FindCommentByID(ctx, n.CommentID)
	if comment.CodeOf(err) == comment.NotFound {
		return m, errNothingToSay
	}
	if err != nil {
		return m, err
	}
	if c.ReplyState != comment.ReplyOpen || c.Status != comment.StatusApproved {
		return m, errNothingToSay
	}
	t, err := w.store.FindThreadByID(ctx, c.ThreadID)
	if err != nil {
		return m, err
	}
	it := w.item(comment.Listed{Comment: c, Thread: t}, location(r.Prefs.TimeZone))
	m.items, m.link = []item{it}, it.AdminURL
	title := cmp.Or(t.Title, t.Path)
	switch n.Kind {
	case comment.AlertNew:
		m.subject = fmt.Sprintf("[%s] New comment on “%s” from %s", siteName, title, it.Author)
		m.intro = fmt.Sprintf("%s commented on “%s”. Please answer by %s.", it.Author, title, it.DueText)
	case comment.AlertReminder:
		m.subject = fmt.Sprintf("[%s] Reminder: %s is waiting for an answer on “%s”", siteName, it.Author, title)
		m.intro = fmt.Sprintf("Half of the reply time has passed. %s's comment on “%s” is due by %s.", it.Author, title, it.DueText)
	case comment.AlertEscalation:
		m.subject = fmt.Sprintf("[%s] Overdue: %s's comment on “%s” has no answer", siteName, it.Author, title)
		m.intro = fmt.Sprintf("The reply to %s's comment on “%s” was due at %s and nobody has answered yet.", it.Author, title, it.DueText)
	}
	if w.replyDomain != "" && n.Channel == comment.ChannelEmail {
		m.replyTo = replyAddress(w.replyKey, n.ID, w.replyDomain)
	}
	return m, nil
}

func (w *Worker) composeDigest(ctx context.Context, m message, n comment.Notification, site comment.Site, r comment.Recipient, now time.Time, siteName string) (message, error) {
	overdue, err := w.store.FindOverdue(ctx, site.ID, now, 1000)
	if err != nil {
		return m, err
	}
	loc := location(r.Prefs.TimeZone) // reads the zone's file: once per digest
	for _, l := range overdue {
		if len(m.items) == digestLimit {
			break
		}
		if r.Owner || l.AssigneeID == r.ID || (l.AssigneeID == 0 && containsID(site.Assignees, r.ID)) {
			m.items = append(m.items, w.item(l, loc))
		}
	}
	if len(m.items) == 0 {
		return m, errNothingToSay
	}
	m.subject = fmt.Sprintf("[%s] %d %s still %s an answer", siteName, len(m.items),
		plural(len(m.items), "comment", "comments"), plural(len(m.items), "needs", "need"))
	m.intro = fmt.Sprintf("These comments on %s are past their reply time. Each reader is waiting.", siteName)
	m.link = w.adminURL("/admin/inbox?site=" + url.QueryEscape(site.Name))
	return m, nil
}

// item is one comment of an alert, its times in loc (the recipient's zone).
func (w *Worker) item(l comment.Listed, loc *time.Location) item {
	it := item{ID: l.ID, Author: cmp.Or(l.Author, "Anonymous"), Excerpt: notify.Excerpt(l.Body, 300),
		PostTitle: cmp.Or(l.Thread.Title, l.Thread.Path), PostURL: l.Thread.URL,
		AdminURL: w.adminURL(fmt.Sprintf("/admin/comments/%d", l.ID)), Posted: l.CreatedAt, Due: l.DueAt}
	it.PostedText = l.CreatedAt.In(loc).Format("Mon 2 Jan 15:04 MST")
	it.DueText = l.DueAt.In(loc).Format("Mon 2 Jan 15:04 MST")
	return it
}

func (w *Worker) adminURL(path string) string {
	return strings.TrimRight(w.publicURL, "/") + path
}

// post delivers a composed alert on the notification's channel.
func (w *Worker) post(ctx context.Context, n comment.Notification, r comment.Recipient, m message) error {
	switch n.Channel {
	case comment.ChannelEmail:
		if w.mail == nil {
			return fmt.Errorf("alert: email is not set up: %w", errNoChannel)
		}
		return w.mail.Send(ctx, w.email(n, r, m))
	case comment.ChannelWebhook:
		if r.Prefs.WebhookURL == "" {
			return fmt.Errorf("alert: no webhook: %w", errNoChannel)
		}
		hook := notify.Webhook{URL: r.Prefs.WebhookURL, Format: notify.Format(r.Prefs.WebhookFormat), Secret: r.Prefs.WebhookSecret}
		return w.hooks.Post(ctx, hook, w.event(m))
	}
	return fmt.Errorf("alert: channel %q: %w", n.Channel, errNoChannel)
}

var errNoChannel = errors.New("channel not available")

func (w *Worker) email(n comment.Notification, r comment.Recipient, m message) notify.Message {
	var text strings.Builder
	fmt.Fprintf(&text, "%s\n\n%s\n", m.greeting, m.intro)
	for _, it := range m.items {
		fmt.Fprintf(&text, "\n%s on “%s” (%s), due %s:\n%s\nAnswer: %s\n", it.Author, it.PostTitle, it.PostedText,
			it.DueText, notify.Quote(it.Excerpt), it.AdminURL)
	}
	if m.replyTo != "" {
		text.WriteString("\nReply to this email to answer on the blog: your reply is posted as the team's official answer.\n")
	}
	fmt.Fprintf(&text, "\nOpen in Parley: %s\n", m.link)
	var html bytes.Buffer
	view := map[string]any{"Greeting": m.greeting, "Intro": m.intro, "Items": m.items, "ReplyTo": m.replyTo != "", "Link": m.link}
	if err := emailHTML.Execute(&html, view); err != nil {
		html.Reset() // plain text alone still tells everything
	}
	host := "parley.invalid"
	if u, err := url.Parse(w.publicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return notify.Message{From: w.from, To: r.Email, ReplyTo: m.replyTo, Subject: m.subject,
		Text: text.String(), HTML: html.String(),
		MessageID: fmt.Sprintf("<alert-%d@%s>", n.ID, host),
		Headers: map[string]string{"X-Parley-Alert": string(n.Kind), "Auto-Submitted": "auto-generated",
			"X-Auto-Response-Suppress": "All"}}
}

func (w *Worker) event(m message) notify.Event {
	ev := notify.Event{Kind: string(m.kind), Site: m.site.Name, Title: m.subject, Text: m.intro, URL: m.link, SentAt: w.now().UTC()}
	for _, it := range m.items {
		ev.Comments = append(ev.Comments, notify.EventComment{ID: it.ID, Author: it.Author, Excerpt: it.Excerpt,
			PostTitle: it.PostTitle, PostURL: it.PostURL, AdminURL: it.AdminURL, DueAt: it.Due})
	}
	return ev
}

var emailHTML = template.Must(template.New("email").Parse(`<!doctype html>
<html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328;max-width:640px">
<p>{{.Greeting}}</p><p>{{.Intro}}</p>
{{range .Items}}<div style="border-left:3px solid #0969da;padding:4px 12px;margin:16px 0">
<p style="margin:0;color:#59636e"><b style="color:#1f2328">{{.Author}}</b> on <a href="{{.PostURL}}">{{.PostTitle}}</a> · {{.PostedText}} · due {{.DueText}}</p>
<p style="margin:6px 0;white-space:pre-wrap">{{.Excerpt}}</p>
<p style="margin:0"><a href="{{.AdminURL}}">Answer in Parley</a></p></div>{{end}}
{{if .ReplyTo}}<p style="color:#59636e">Reply to this email to answer on the blog: your reply is posted as the team's official answer.</p>{{end}}
<p><a href="{{.Link}}">Open in Parley</a></p>
</body></html>`))

// quietUntil reports whether now falls in the person's quiet hours and
// when they end.
func quietUntil(r comment.Recipient, now time.Time) (time.Time, bool) {
	if r.Prefs.QuietHours == "" {
		return time.Time{}, false
	}
	q, err := sla.ParseQuiet(r.Prefs.QuietHours, location(r.Prefs.TimeZone))
	if err != nil {
		return time.Time{}, false
	}
	return q.Until(now)
}

func location(tz string) *time.Location {
	if loc, err := time.LoadLocation(tz); err == nil && tz != "" {
		return loc
	}
	return time.UTC
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
