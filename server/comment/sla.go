package comment

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// DefaultReplyTarget is how much business time an official reply may take
// unless a site says otherwise.
const DefaultReplyTarget = 4 * time.Hour

// The business time of a new site.
const (
	DefaultTimeZone = "UTC"
	DefaultHours    = "mon-fri 09:00-17:00"
)

// Schedule computes in a site's business time (its time zone, hours and
// holidays). main wires package sla's.
type Schedule interface {
	// Check validates a site's time zone, hours and holidays. Errors: Invalid.
	Check(site Site) error
	// Add returns when d of the site's business time has passed after t.
	Add(site Site, t time.Time, d time.Duration) time.Time
	// Elapsed returns the site's business time between from and to.
	Elapsed(site Site, from, to time.Time) time.Duration
	// CheckQuiet validates a staff member's time zone and quiet hours.
	// Errors: Invalid.
	CheckQuiet(timeZone, quiet string) error
}

// wallClock is the Schedule of a service built without one: every hour is
// a business hour.
type wallClock struct{}

func (wallClock) Check(Site) error { return nil }
func (wallClock) Add(_ Site, t time.Time, d time.Duration) time.Time {
	return t.Add(d)
}
func (wallClock) Elapsed(_ Site, from, to time.Time) time.Duration { return max(to.Sub(from), 0) }
func (wallClock) CheckQuiet(string, string) error                  { return nil }

// Assignable is a staff member who may answer a site's comments.
type Assignable struct {
	ID    int64
	Name  string
	Email string
	Owner bool
}

// Target is the site's reply target in force: its own, or the default.
func (site Site) Target() time.Duration {
	if site.ReplyTarget > 0 {
		return site.ReplyTarget
	}
	return DefaultReplyTarget
}

// due fills in who should answer a new reader comment and by when, and
// schedules its first alert for now.
func (s *Service) due(site Site, t Thread, c *Comment) {
	c.DueAt = s.schedule.Add(site, c.CreatedAt, site.Target())
	c.AssigneeID = routeAuthor(site, t.Author)
	c.NextAlertAt = c.CreatedAt
}

// routeAuthor returns the staff member the site maps a post author to, or 0.
func routeAuthor(site Site, author string) int64 {
	author = normalizeAuthor(author)
	if author == "" {
		return 0
	}
	for _, r := range site.Authors {
		if normalizeAuthor(r.Author) == author {
			return r.UserID
		}
	}
	return 0
}

func normalizeAuthor(a string) string { return strings.ToLower(cleanLine(a)) }

// answered is the update that marks a comment answered at now, with the
// business time the answer took.
func (s *Service) answered(site Site, c Comment, now time.Time, u *Update) {
	answered, empty := ReplyAnswered, ""
	took := s.schedule.Elapsed(site, c.CreatedAt, now)
	u.ReplyState, u.AnsweredAt, u.StateReason, u.ReplyTime = &answered, &now, &empty, &took
}

// Assignables lists who may answer the site's comments: its staff and every
// owner. Errors: NotFound.
func (s *Service) Assignables(ctx context.Context, a Actor, siteID int64) ([]Assignable, error) {
	if !a.CanSee(siteID) {
		return nil, Errorf(NotFound, "There is no such site.")
	}
	return s.store.FindAssignables(ctx, siteID)
}

// Reassign gives a reader comment to another staff member (0: back to the
// site's assignees). The new assignee is alerted as if the comment were
// new; the old one hears no more of it. Errors: NotFound, Invalid, Conflict.
func (s *Service) Reassign(ctx context.Context, a Actor, id, userID int64) (Comment, Thread, error) {
	c, t, err := s.staffComment(ctx, a, id)
	if err != nil {
		return Comment{}, Thread{}, err
	}
	if c.Official {
		return Comment{}, Thread{}, Errorf(Conflict, "This is a staff reply; there is nothing to assign.")
	}
	name := "the site's assignees"
	if userID != 0 {
		people, err := s.store.FindAssignables(ctx, c.SiteID)
		if err != nil {
			return Comment{}, Thread{}, err
		}
		i := slices.IndexFunc(people, func(p Assignable) bool { return p.ID == userID })
		if i < 0 {
			return Comment{}, Thread{}, FieldError("assignee_id", "That person cannot see this site.")
		}
		name = people[i].Name
	}
	now, step := s.now().UTC(), 0
	err = s.store.InTx(ctx, func(tx Store) error {
		var err error
		u := Update{AssigneeID: &userID}
		if c.ReplyState == ReplyOpen {
			u.AlertStep, u.NextAlertAt = &step, &now
		}
		if c, err = tx.UpdateComment(ctx, id, u); err != nil {
			return err
		}
		return tx.CreateAudit(ctx, s.audit(a, t.SiteID, ActionAssign, id, "", "to "+name))
	})
	return c, t, err
}

// checkRouting validates a site's assignees and author routes against the
// people who may see it.
func (s *Service) checkRouting(ctx context.Context, site Site) error {
	if site.Assignees == nil && site.Authors == nil {
		return nil
	}
	people, err := s.store.FindAssignables(ctx, site.ID)
	if err != nil {
		return err
	}
	may := func(id int64) bool {
		return slices.ContainsFunc(people, func(p Assignable) bool { return p.ID == id })
	}
	for _, id := range site.Assignees {
		if !may(id) {
			return FieldError("assignees", "An assignee cannot see this site.")
		}
	}
	seen := map[string]bool{}
	for _, r := range site.Authors {
		key := normalizeAuthor(r.Author)
		if key == "" || len(key) > MaxAuthorLength*2 {
			return FieldError("authors", "Each author route needs an author name of at most %d characters.", MaxAuthorLength*2)
		}
		if seen[key] {
			return FieldError("authors", "The author %q is routed twice.", r.Author)
		}
		seen[key] = true
		if !may(r.UserID) {
			return FieldError("authors", "The person for %q cannot see this site.", r.Author)
		}
	}
	return nil
}

// AlertPrefs returns how the actor is alerted. Errors: NotFound.
func (s *Service) AlertPrefs(ctx context.Context, a Actor) (AlertPrefs, error) {
	r, err := s.store.FindRecipient(ctx, a.UserID)
	return r.Prefs, err
}

// SetAlertPrefs changes how the actor is alerted. A webhook gets a signing
// secret the first time one is set. Errors: Invalid.
func (s *Service) SetAlertPrefs(ctx context.Context, a Actor, p AlertPrefs) (AlertPrefs, error) {
	old, err := s.AlertPrefs(ctx, a)
	if err != nil {
		return AlertPrefs{}, err
	}
	p.TimeZone, p.QuietHours = cmp.Or(strings.TrimSpace(p.TimeZone), DefaultTimeZone), strings.TrimSpace(p.QuietHours)
	p.WebhookURL = strings.TrimSpace(p.WebhookURL)
	if err := s.schedule.CheckQuiet(p.TimeZone, p.QuietHours); err != nil {
		return AlertPrefs{}, err
	}
	switch p.WebhookFormat {
	case "":
		p.WebhookFormat = "json"
	case "json", "slack", "discord":
	default:
		return AlertPrefs{}, FieldError("webhook_format", "The webhook format is json, slack or discord.")
	}
	if p.WebhookURL != "" {
		u, err := url.Parse(p.WebhookURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(p.WebhookURL) > 2000 {
			return AlertPrefs{}, FieldError("webhook_url", "The webhook must be an http or https address.")
		}
	}
	p.WebhookSecret = old.WebhookSecret
	if p.WebhookSecret == "" && p.WebhookURL != "" {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return AlertPrefs{}, fmt.Errorf("comment: webhook secret: %w", err)
		}
		p.WebhookSecret = "whsec_" + hex.EncodeToString(b)
	}
	return p, s.store.UpdateAlertPrefs(ctx, a.UserID, p)
}

// CommentAlerts returns the alerts planned or sent about a comment, newest
// first. Errors: NotFound.
func (s *Service) CommentAlerts(ctx context.Context, a Actor, id int64) ([]Notification, error) {
	if _, _, err := s.staffComment(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.FindNotifications(ctx, nil, id, 200)
}
