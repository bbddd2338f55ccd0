package reader

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/notify"
)

// view is what the HTML template of a reader mail shows.
type view struct {
	Lang, Intro, Official, Author string
	// Reply is the reply's HTML, sanitised when it was stored.
	Reply        template.HTML
	YourLabel    string
	Yours        string
	Action, Link string
	Notes        []string
	Footer       string
	Unsubscribe  string
	UnsubURL     string
}

func (w *Worker) confirmMail(ctx context.Context, m Mail, sub Subscription, site comment.Site, followed comment.Comment) (notify.Message, error) {
	tx, siteName := TextOf(sub.Lang), siteName(site)
	title := w.threadTitle(ctx, followed.ThreadID)
	link := w.link("/r/confirm?t=" + url.QueryEscape(m.Secret))
	v := view{Lang: Lang(sub.Lang), Intro: tx.T("confirm_intro", "title", title, "site", siteName),
		Action: tx.T("confirm_action"), Link: link, Notes: []string{tx.T("confirm_ignore")}}
	text := fmt.Sprintf("%s\n\n%s\n%s\n\n%s\n", v.Intro, tx.T("confirm_link"), link, v.Notes[0])
	return w.message(m, sub, tx, siteName, tx.T("confirm_subject", "site", siteName), text, v)
}

func (w *Worker) replyMail(ctx context.Context, m Mail, sub Subscription, site comment.Site, reply comment.Comment) (notify.Message, error) {
	parent, err := w.store.FindCommentByID(ctx, reply.ParentID)
	if err != nil {
		return notify.Message{}, err
	}
	if parent.Status == comment.StatusDeleted {
		return notify.Message{}, errCancel("the followed comment was deleted by its author")
	}
	t, err := w.store.FindThreadByID(ctx, reply.ThreadID)
	if err != nil {
		return notify.Message{}, err
	}
	tx, siteName := TextOf(sub.Lang), siteName(site)
	title, name := cmp.Or(t.Title, t.Path), cmp.Or(reply.Author, "Anonymous")
	subject, intro := tx.T("reply_subject", "site", siteName, "name", name, "title", title), tx.T("reply_intro", "name", name, "title", title)
	v := view{Lang: Lang(sub.Lang), Author: name, Reply: template.HTML(reply.HTML), YourLabel: tx.T("your_comment"),
		Yours: notify.Excerpt(parent.Body, 300), Action: tx.T("view")}
	if reply.Official {
		subject, intro = tx.T("staff_subject", "site", siteName, "name", name, "title", title), tx.T("staff_intro", "name", name, "title", title)
		v.Official = tx.T("official")
	}
	v.Intro = intro
	if t.URL != "" {
		v.Link = t.URL + "#parley-c-" + itoa(reply.ID)
	}
	var text strings.Builder
	fmt.Fprintf(&text, "%s\n\n%s\n", intro, notify.Quote(strings.TrimSpace(reply.Body)))
	if v.Link != "" {
		fmt.Fprintf(&text, "\n%s: %s\n", v.Action, v.Link)
	}
	fmt.Fprintf(&text, "\n%s\n%s\n", v.YourLabel, notify.Quote(v.Yours))
	return w.message(m, sub, tx, siteName, subject, text.String(), v)
}

// message adds the footer, the unsubscribe link and headers (RFC 2369 and
// RFC 8058 one-click) and renders the HTML part.
func (w *Worker) message(m Mail, sub Subscription, tx Text, siteName, subject, text string, v view) (notify.Message, error) {
	unsub := w.link("/r/unsubscribe?t=" + w.svc.UnsubscribeToken(sub.ID))
	v.Footer, v.Unsubscribe, v.UnsubURL = tx.T("footer", "site", siteName), tx.T("unsubscribe"), unsub
	text += fmt.Sprintf("\n-- \n%s\n%s %s\n", v.Footer, tx.T("unsubscribe_line", "site", siteName), unsub)
	var html bytes.Buffer
	if err := mailHTML.Execute(&html, v); err != nil {
		return notify.Message{}, fmt.Errorf("reader: render mail: %w", err)
	}
	host := "parley.invalid"
	if u, err := url.Parse(w.publicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return notify.Message{From: w.from, To: sub.Email, Subject: oneLine(subject), Text: text, HTML: html.String(),
		MessageID: fmt.Sprintf("<reader-%d@%s>", m.ID, host),
		Headers: map[string]string{
			"List-Unsubscribe":      "<" + unsub + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Auto-Submitted":        "auto-generated",
			"X-Parley-Reader-Mail":  string(m.Kind),
		}}, nil
}

func (w *Worker) link(path string) string { return strings.TrimRight(w.publicURL, "/") + path }

func (w *Worker) threadTitle(ctx context.Context, threadID int64) string {
	t, err := w.store.FindThreadByID(ctx, threadID)
	if err != nil {
		return ""
	}
	return cmp.Or(t.Title, t.Path)
}

var mailHTML = template.Must(template.New("mail").Parse(`<!doctype html>
<html lang="{{.Lang}}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328;max-width:640px">
<p>{{.Intro}}</p>
{{if .Reply}}<div style="border-left:3px solid {{if .Official}}#1a7f37{{else}}#0969da{{end}};padding:4px 12px;margin:16px 0">
<p style="margin:0"><b>{{.Author}}</b>{{if .Official}} <span style="background:#dafbe1;color:#1a7f37;border-radius:4px;padding:0 6px;font-size:90%">{{.Official}}</span>{{end}}</p>
<div>{{.Reply}}</div></div>{{end}}
{{if .Link}}<p><a href="{{.Link}}" style="display:inline-block;background:#0969da;color:#fff;padding:8px 14px;border-radius:6px;text-decoration:none">{{.Action}}</a></p>{{end}}
{{if .Yours}}<p style="color:#59636e;margin-bottom:0">{{.YourLabel}}</p>
<p style="color:#59636e;margin-top:0;white-space:pre-wrap">{{.Yours}}</p>{{end}}
{{range .Notes}}<p style="color:#59636e">{{.}}</p>{{end}}
<hr style="border:0;border-top:1px solid #d1d9e0">
<p style="color:#59636e;font-size:90%">{{.Footer}} <a href="{{.UnsubURL}}">{{.Unsubscribe}}</a></p>
</body></html>`))

func siteName(s comment.Site) string { return cmp.Or(s.Title, s.Name) }

// oneLine keeps a header value on one line whatever a reader typed into
// a name or a page title.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)), " ")
}
