package alert

import (
	"fmt"
	"slices"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// The steps of a comment's alerts; comment.AlertStep counts the last sent.
const (
	stepNone = iota
	stepNew
	stepReminder
	stepEscalation
	stepDigest
)

var stepKinds = [...]comment.AlertKind{
	stepNew: comment.AlertNew, stepReminder: comment.AlertReminder,
	stepEscalation: comment.AlertEscalation, stepDigest: comment.AlertDigest,
}

// timeline is when each step of one comment is due.
type timeline struct {
	reminder, deadline time.Time
}

func (w *Worker) timeline(site comment.Site, c comment.Comment) timeline {
	target := site.Target()
	tl := timeline{reminder: w.schedule.Add(site, c.CreatedAt, target/2), deadline: c.DueAt}
	if tl.deadline.IsZero() {
		tl.deadline = w.schedule.Add(site, c.CreatedAt, target)
	}
	return tl
}

// next returns the step to send after step and when: the next step still
// in the future, or, when several have already passed (a comment approved
// late, a worker that was down), only the latest of them, at once.
func (w *Worker) next(site comment.Site, tl timeline, step int, now time.Time) (int, time.Time) {
	at := func(s int) time.Time {
		switch s {
		case stepReminder:
			return tl.reminder
		case stepEscalation:
			return tl.deadline
		default: // a digest: the start of the next business day
			from := now
			if tl.deadline.After(now) {
				from = tl.deadline
			}
			return w.schedule.nextDay(site, from)
		}
	}
	if step >= stepEscalation {
		return stepDigest, at(stepDigest)
	}
	s := step + 1
	for s < stepEscalation && !at(s+1).After(now) {
		s++
	}
	if t := at(s); t.After(now) {
		return s, t
	}
	return s, now
}

// plan decides the alerts of the comments due at now: the step each
// reaches, the notifications it sends and when the next is due.
func (w *Worker) plan(people []comment.Recipient, now time.Time) func([]comment.Comment) ([]comment.Notification, map[int64]comment.AlertStep, error) {
	return func(cs []comment.Comment) ([]comment.Notification, map[int64]comment.AlertStep, error) {
		var out []comment.Notification
		steps := make(map[int64]comment.AlertStep, len(cs))
		for _, c := range cs {
			site, ok := w.sites.SiteByID(c.SiteID)
			if !ok {
				steps[c.ID] = comment.AlertStep{Step: c.AlertStep} // the site is gone: stop
				continue
			}
			tl := w.timeline(site, c)
			step := stepNew
			if c.AlertStep != stepNone {
				step, _ = w.next(site, tl, c.AlertStep, now)
			}
			for _, r := range recipients(site, c, step, people) {
				out = append(out, notifications(site, c, step, r, w.schedule.localDate(site, now), now, w.mail != nil)...)
			}
			_, at := w.next(site, tl, step, now)
			steps[c.ID] = comment.AlertStep{Step: step, Next: at}
		}
		return out, steps, nil
	}
}

// recipients says who hears of a comment at a step: its assignee (or the
// site's assignees, or the owners when the site has none), and the owners
// too from the deadline on. People who can no longer see the site are left
// out.
func recipients(site comment.Site, c comment.Comment, step int, people []comment.Recipient) []comment.Recipient {
	ids := site.Assignees
	if c.AssigneeID != 0 {
		ids = []int64{c.AssigneeID}
	}
	var out []comment.Recipient
	for _, p := range people {
		mine := slices.Contains(ids, p.ID)
		owner := p.Owner && (step >= stepEscalation || len(ids) == 0)
		if (mine || owner) && (p.Owner || slices.Contains(p.SiteIDs, site.ID)) {
			out = append(out, p)
		}
	}
	if len(out) == 0 && len(ids) > 0 { // the assignees lost the site: fall back to the owners
		for _, p := range people {
			if p.Owner {
				out = append(out, p)
			}
		}
	}
	return out
}

// notifications are the outbox rows of one step for one person: one per
// channel they use. A digest has one row per person, site and day.
func notifications(site comment.Site, c comment.Comment, step int, r comment.Recipient, day string, now time.Time, mail bool) []comment.Notification {
	var out []comment.Notification
	for _, ch := range channels(r, mail) {
		key := fmt.Sprintf("c%d:%s:u%d:%s", c.ID, stepKinds[step], r.ID, ch)
		n := comment.Notification{DedupKey: key, Kind: stepKinds[step], Channel: ch, SiteID: site.ID,
			UserID: r.ID, CommentID: c.ID, NextAttemptAt: now, CreatedAt: now}
		if step == stepDigest {
			n.DedupKey, n.CommentID = fmt.Sprintf("digest:s%d:u%d:%s:%s", site.ID, r.ID, day, ch), 0
		}
		out = append(out, n)
	}
	return out
}

// channels are the ways a person is alerted: email (when the server can
// send it and they want it) and their webhook.
func channels(r comment.Recipient, mail bool) []comment.Channel {
	var out []comment.Channel
	if r.Prefs.Email && mail {
		out = append(out, comment.ChannelEmail)
	}
	if r.Prefs.WebhookURL != "" {
		out = append(out, comment.ChannelWebhook)
	}
	return out
}
