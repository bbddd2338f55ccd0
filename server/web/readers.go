package web

import (
	"bytes"
	"cmp"
	"html/template"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/reader"
)

// replyEmailsKey holds, in the echo context, what an opt-in to reply
// emails did, for the answer to the new comment.
const replyEmailsKey = "parley.notify_replies"

// followReplies makes the author of a new comment follow its replies when
// they asked to. The comment is stored either way: a failure here is
// logged, not answered. Comments taken for spam opt nobody in, so that
// spam cannot send confirmation mails to strangers.
func (s *Server) followReplies(c echo.Context, req commentRequest, cm comment.Comment) {
	if !req.NotifyReplies || s.readers == nil || cm.Email == "" || cm.Status == comment.StatusSpam {
		return
	}
	res, err := s.readers.OptIn(c.Request().Context(), cm, req.Lang)
	if err != nil {
		s.log.Error("reply emails opt-in", "comment_id", cm.ID, "err", err)
		return
	}
	c.Set(replyEmailsKey, string(res))
}

func replyEmailsOf(c echo.Context) string {
	v, _ := c.Get(replyEmailsKey).(string)
	return v
}

// readerPage is one of the small pages the links in reader mails open.
type readerPage struct {
	Lang, Title, Text string
	// Action and Token make a form that POSTs back: the GET that a mail
	// scanner prefetches changes nothing.
	Action, Button, Token string
	Back, BackText        string
}

// handleConfirmPage answers GET /r/confirm?t=TOKEN with a button that
// confirms.
func (s *Server) handleConfirmPage(c echo.Context) error {
	token := c.QueryParam("t")
	sub, err := s.readerCall(func() (reader.Subscription, error) {
		return s.readers.PendingConfirmation(c.Request().Context(), token)
	})
	if err != nil {
		return s.readerError(c, err)
	}
	tx, site := reader.TextOf(sub.Lang), s.readerSite(sub)
	return s.renderReader(c, http.StatusOK, sub.Lang, site, readerPage{Title: tx.T("page_confirm"),
		Text:   tx.T("page_confirm_p", "email", sub.Email, "site", cmp.Or(site.Title, site.Name)),
		Action: "/r/confirm", Button: tx.T("confirm_action"), Token: token})
}

// handleConfirm answers POST /r/confirm (t=TOKEN): the address is confirmed.
func (s *Server) handleConfirm(c echo.Context) error {
	sub, err := s.readerCall(func() (reader.Subscription, error) { return s.readers.Confirm(c.Request().Context(), c.FormValue("t")) })
	if err != nil {
		return s.readerError(c, err)
	}
	tx, site := reader.TextOf(sub.Lang), s.readerSite(sub)
	return s.renderReader(c, http.StatusOK, sub.Lang, site, readerPage{Title: tx.T("page_confirmed"),
		Text: tx.T("page_confirmed_p", "email", sub.Email, "site", cmp.Or(site.Title, site.Name))})
}

// handleUnsubscribePage answers GET /r/unsubscribe?t=TOKEN with a button
// that unsubscribes.
func (s *Server) handleUnsubscribePage(c echo.Context) error {
	token := c.QueryParam("t")
	sub, err := s.readerCall(func() (reader.Subscription, error) { return s.readers.Subscription(c.Request().Context(), token) })
	if err != nil {
		return s.readerError(c, err)
	}
	if !sub.UnsubscribedAt.IsZero() {
		return s.unsubscribed(c, sub)
	}
	tx, site := reader.TextOf(sub.Lang), s.readerSite(sub)
	return s.renderReader(c, http.StatusOK, sub.Lang, site, readerPage{Title: tx.T("page_unsub"),
		Text:   tx.T("page_unsub_p", "email", sub.Email, "site", cmp.Or(site.Title, site.Name)),
		Action: "/r/unsubscribe", Button: tx.T("unsubscribe"), Token: token})
}

// handleUnsubscribe answers POST /r/unsubscribe?t=TOKEN: the button of the
// page, and the one-click unsubscribe of mail programs (RFC 8058), which
// post List-Unsubscribe=One-Click to the List-Unsubscribe address. Either
// way it takes no further step.
func (s *Server) handleUnsubscribe(c echo.Context) error {
	sub, err := s.readerCall(func() (reader.Subscription, error) {
		return s.readers.Unsubscribe(c.Request().Context(), c.FormValue("t"))
	})
	if err != nil {
		return s.readerError(c, err)
	}
	return s.unsubscribed(c, sub)
}

func (s *Server) unsubscribed(c echo.Context, sub reader.Subscription) error {
	tx, site := reader.TextOf(sub.Lang), s.readerSite(sub)
	return s.renderReader(c, http.StatusOK, sub.Lang, site, readerPage{Title: tx.T("page_unsubbed"),
		Text: tx.T("page_unsubbed_p", "email", sub.Email, "site", cmp.Or(site.Title, site.Name))})
}

// readerCall runs fn when reply emails are set up.
func (s *Server) readerCall(fn func() (reader.Subscription, error)) (reader.Subscription, error) {
	if s.readers == nil {
		return reader.Subscription{}, comment.Errorf(comment.NotFound, "Reply emails are not set up here.")
	}
	return fn()
}

// readerError answers a link that does not work with a page in the
// reader's language (as their browser says), with the error's status.
func (s *Server) readerError(c echo.Context, err error) error {
	status, ok := statusOf[comment.CodeOf(err)]
	if !ok || status >= 500 {
		return err
	}
	lang := reader.Lang(c.Request().Header.Get("Accept-Language"))
	tx := reader.TextOf(lang)
	return s.renderReader(c, status, lang, comment.Site{}, readerPage{Title: tx.T("page_bad"), Text: tx.T("page_bad_p")})
}

func (s *Server) readerSite(sub reader.Subscription) comment.Site {
	site, _ := s.svc.SiteByID(sub.SiteID)
	return site
}

// renderReader writes a reader page. The token is in the address, so the
// page sends no Referer and is not cached.
func (s *Server) renderReader(c echo.Context, status int, lang string, site comment.Site, p readerPage) error {
	p.Lang = reader.Lang(lang)
	for _, o := range site.Origins {
		if u, err := url.Parse(o); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
			p.Back, p.BackText = o+"/", reader.TextOf(lang).T("back", "site", cmp.Or(site.Title, site.Name))
			break
		}
	}
	var b bytes.Buffer
	if err := readerHTML.Execute(&b, p); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex")
	return c.HTMLBlob(status, b.Bytes())
}

var readerHTML = template.Must(template.New("reader").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>{{.Title}}</title>
<style>
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#f6f8fa;--card:#fff;--line:#d1d9e0;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--card:#151b23;--line:#3d444d;--accent:#4493f8}}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,sans-serif}
main{box-sizing:border-box;width:min(30rem,100% - 2rem);margin:1rem;padding:2rem;background:var(--card);border:1px solid var(--line);border-radius:12px}
h1{margin:0 0 .75rem;font-size:1.4rem;line-height:1.25}p{margin:0 0 1.25rem;overflow-wrap:anywhere}
button{font:inherit;font-weight:600;color:#fff;background:var(--accent);border:0;border-radius:8px;padding:.65rem 1.2rem;cursor:pointer;width:100%}
button:focus-visible{outline:3px solid var(--fg);outline-offset:2px}
a{color:var(--accent)}.back{font-size:.95rem;color:var(--muted);margin:1.25rem 0 0}
</style></head>
<body><main>
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
{{if .Action}}<form method="post" action="{{.Action}}"><input type="hidden" name="t" value="{{.Token}}"><button>{{.Button}}</button></form>{{end}}
{{if .Back}}<p class="back"><a href="{{.Back}}">{{.BackText}}</a></p>{{end}}
</main></body></html>`))
