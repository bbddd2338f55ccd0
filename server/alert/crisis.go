package alert

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/crisis"
)

// watch looks for a crisis: a new one is stored with one alert per owner
// and channel, which send delivers in the same tick.
func (w *Worker) watch(ctx context.Context, people []comment.Recipient) error {
	if w.crises == nil {
		return nil
	}
	now := w.now().UTC()
	return w.crises.Check(ctx, now, func(c crisis.Crisis) []comment.Notification {
		return crisisAlerts(c, people, now, w.mail != nil)
	})
}

// crisisAlerts are the outbox rows of a new crisis: one per owner and
// channel, keyed by the crisis so that nobody hears of it twice.
func crisisAlerts(c crisis.Crisis, people []comment.Recipient, now time.Time, mail bool) []comment.Notification {
	var out []comment.Notification
	for _, r := range people {
		if !r.Owner {
			continue
		}
		for _, ch := range channels(r, mail) {
			out = append(out, comment.Notification{DedupKey: fmt.Sprintf("crisis:k%d:u%d:%s", c.ID, r.ID, ch),
				Kind: comment.AlertCrisis, Channel: ch, SiteID: c.Scope.SiteID, UserID: r.ID, CrisisID: c.ID,
				NextAttemptAt: now, CreatedAt: now})
		}
	}
	return out
}

// composeCrisis writes a crisis alert: what happened where, against the
// usual, with the most negative comments and a link to the inbox of the
// post (or site), where negative comments come first.
func (w *Worker) composeCrisis(ctx context.Context, m message, n comment.Notification, site comment.Site, r comment.Recipient, siteName string) (message, error) {
	if w.crises == nil { // a worker built without crisis warnings
		return m, errNothingToSay
	}
	rep, err := w.crises.Report(ctx, n.CrisisID)
	if comment.CodeOf(err) == comment.NotFound {
		return m, errNothingToSay
	}
	if err != nil {
		return m, err
	}
	c := rep.Crisis
	loc := location(r.Prefs.TimeZone)
	for _, l := range rep.Comments {
		m.items = append(m.items, w.item(l, loc))
	}
	inbox := "/admin/?site=" + url.QueryEscape(site.Name)
	if c.Scope.ThreadID != 0 {
		title := cmp.Or(rep.Thread.Title, rep.Thread.Path)
		m.subject = fmt.Sprintf("[%s] Possible crisis on “%s”: %s in %s", siteName, title, rep.What(), rep.Span())
		m.intro = fmt.Sprintf("“%s” (%s) got %s in %s; %s. Please look now: the most negative are below.",
			title, rep.Thread.URL, rep.What(), rep.Span(), rep.Usual())
		inbox += fmt.Sprintf("&thread=%d", c.Scope.ThreadID)
	} else {
		m.subject = fmt.Sprintf("[%s] Possible crisis: %s across the site in %s", siteName, rep.What(), rep.Span())
		m.intro = fmt.Sprintf("%s got %s across its posts in %s; %s. Please look now: the most negative are below.",
			siteName, rep.What(), rep.Span(), rep.Usual())
	}
	m.link = w.adminURL(inbox)
	return m, nil
}
