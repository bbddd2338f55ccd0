package comment

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Filter selects comments for the admin panel. Nil and zero fields select
// everything.
type Filter struct {
	SiteIDs    []int64 // nil: every site; empty: none
	IDs        []int64 // nil: any comment
	ThreadID   int64
	Statuses   []Status
	ReplyState ReplyState
	Official   *bool
	// Query matches the text or the author, case-insensitively.
	Query  string
	Oldest bool // oldest first; newest first otherwise
	// Urgent orders the inbox way: comments scoring at least NegativeAt
	// first, then by due time (the overdue first), then oldest first. It
	// overrides Oldest.
	Urgent     bool
	NegativeAt float64
	Limit      int
	Offset     int
}

// Listed is a comment with the thread it belongs to, for lists.
type Listed struct {
	Comment
	Thread Thread
}

// ThreadSummary is a post with its comment figures.
type ThreadSummary struct {
	Thread
	Comments int       // visible comments
	Open     int       // reader comments still waiting for an official reply
	Latest   time.Time // the newest comment, if any
}

// Detail is a comment with the conversation around it.
type Detail struct {
	Comment   Comment
	Thread    Thread
	Ancestors []Comment // from the top-level comment down to the parent
	Replies   []Comment // direct replies, oldest first
}

// MaxPage bounds the comments one admin query returns.
const MaxPage = 200

func (f *Filter) clamp() {
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = 50
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
}

// InboxQuery selects a page of the inbox.
type InboxQuery struct {
	SiteID   int64 // 0: every site of the actor
	ThreadID int64 // 0: every post
	Limit    int
	Offset   int
}

// Inbox returns the reader comments of the actor's sites (or one of them,
// or one post) that still need an official reply, and how many there are.
// Negative comments come first, then the rest by due time: the overdue
// first, oldest due first. Held comments are included: they need a
// decision too. Errors: NotFound (site).
func (s *Service) Inbox(ctx context.Context, a Actor, q InboxQuery) ([]Listed, int, error) {
	// Only reader comments are ever open (staff replies are ReplyStaff).
	f := Filter{SiteIDs: a.Scope(), ThreadID: q.ThreadID, Statuses: []Status{StatusApproved, StatusPending},
		ReplyState: ReplyOpen, Urgent: true, NegativeAt: s.negativeAt, Limit: q.Limit, Offset: q.Offset}
	if q.SiteID != 0 {
		if !a.CanSee(q.SiteID) {
			return nil, 0, Errorf(NotFound, "There is no such site.")
		}
		f.SiteIDs = []int64{q.SiteID}
	}
	f.clamp()
	return s.store.FindComments(ctx, f)
}

// Comments returns the comments of the actor's sites that match f.
func (s *Service) Comments(ctx context.Context, a Actor, f Filter) ([]Listed, int, error) {
	f.SiteIDs = intersect(a, f.SiteIDs)
	f.clamp()
	return s.store.FindComments(ctx, f)
}

// intersect limits the sites asked for to the ones the actor may see.
func intersect(a Actor, asked []int64) []int64 {
	if asked == nil {
		return a.Scope()
	}
	out := []int64{}
	for _, id := range asked {
		if a.CanSee(id) {
			out = append(out, id)
		}
	}
	return out
}

// CommentDetail returns a comment of the actor's sites with its ancestors
// and direct replies. Errors: NotFound.
func (s *Service) CommentDetail(ctx context.Context, a Actor, id int64) (Detail, error) {
	c, t, err := s.staffComment(ctx, a, id)
	if err != nil {
		return Detail{}, err
	}
	all, err := s.store.FindThreadComments(ctx, t.ID)
	if err != nil {
		return Detail{}, err
	}
	byID := make(map[int64]Comment, len(all))
	for _, x := range all {
		byID[x.ID] = x
	}
	d := Detail{Comment: c, Thread: t}
	for p, ok := byID[c.ParentID]; ok && len(d.Ancestors) < 100; p, ok = byID[p.ParentID] {
		d.Ancestors = append([]Comment{p}, d.Ancestors...)
	}
	for _, x := range all {
		if x.ParentID == c.ID {
			d.Replies = append(d.Replies, x)
		}
	}
	return d, nil
}

// Threads returns the posts of the actor's sites (or one of them), most
// recently commented first.
func (s *Service) Threads(ctx context.Context, a Actor, siteID int64) ([]ThreadSummary, error) {
	ids := a.Scope()
	if siteID != 0 {
		ids = intersect(a, []int64{siteID})
	}
	return s.store.FindThreads(ctx, ids)
}

// Audit returns audit entries, newest first: of every site for owners, of
// their own sites for staff.
func (s *Service) Audit(ctx context.Context, a Actor, f AuditFilter) ([]AuditEntry, int, error) {
	if !a.Owner {
		// Staff read the log of their own sites: what colleagues did there,
		// and the private follow-ups sent to its readers.
		f.SiteIDs = intersect(a, f.SiteIDs)
	}
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = 100
	}
	return s.store.FindAudit(ctx, f)
}

// SiteUpdate changes a site's settings; nil fields stay as they are.
type SiteUpdate struct {
	Title      *string
	Origins    []string // nil: unchanged
	EditWindow *time.Duration
	Moderation *Moderation
	Blocklist  []string // nil: unchanged
	MaxLinks   *int

	TimeZone    *string
	Hours       *string
	Holidays    *string
	ReplyTarget *time.Duration
	Assignees   []int64       // nil: unchanged
	Authors     []AuthorRoute // nil: unchanged
	// AckTexts replaces the acknowledgement wordings (nil: unchanged).
	AckTexts map[string]string
}

// UpdateSiteSettings changes a site's settings. Only owners may. Errors:
// NotFound, Forbidden, Invalid.
func (s *Service) UpdateSiteSettings(ctx context.Context, a Actor, siteID int64, u SiteUpdate) (Site, error) {
	if !a.CanSee(siteID) {
		return Site{}, Errorf(NotFound, "There is no such site.")
	}
	if !a.Owner {
		return Site{}, ownerOnly()
	}
	site, ok := s.SiteByID(siteID)
	if !ok {
		return Site{}, Errorf(NotFound, "There is no such site.")
	}
	if u.Title != nil {
		site.Title = truncate(cleanLine(*u.Title), MaxTitleLength)
	}
	if u.Origins != nil {
		site.Origins = u.Origins
	}
	if u.EditWindow != nil {
		site.EditWindow = *u.EditWindow
	}
	if u.Moderation != nil {
		site.Moderation = *u.Moderation
	}
	if u.Blocklist != nil {
		site.Blocklist = u.Blocklist
	}
	if u.MaxLinks != nil {
		site.MaxLinks = *u.MaxLinks
	}
	u.applySLA(&site)
	if err := ValidateSite(site); err != nil {
		return Site{}, err
	}
	if err := s.schedule.Check(site); err != nil {
		return Site{}, err
	}
	if err := s.checkRouting(ctx, site); err != nil {
		return Site{}, err
	}
	if site.EditWindow > 7*24*time.Hour {
		return Site{}, FieldError("edit_window", "The edit window can be at most 7 days.")
	}
	var saved Site
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if saved, err = tx.UpdateSite(ctx, site); err != nil {
			return err
		}
		return tx.CreateAudit(ctx, s.audit(a, siteID, ActionSettings, 0, "", describeSite(site)))
	})
	if err != nil {
		return Site{}, err
	}
	return saved, s.LoadSites(ctx)
}

func (u SiteUpdate) applySLA(site *Site) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(strings.ReplaceAll(*v, "\r\n", "\n"))
		}
	}
	set(&site.TimeZone, u.TimeZone)
	set(&site.Hours, u.Hours)
	set(&site.Holidays, u.Holidays)
	if u.ReplyTarget != nil {
		site.ReplyTarget = *u.ReplyTarget
	}
	if u.Assignees != nil {
		site.Assignees = u.Assignees
	}
	if u.Authors != nil {
		site.Authors = u.Authors
	}
	if u.AckTexts != nil {
		site.AckTexts = u.AckTexts
	}
}

func describeSite(s Site) string {
	return fmt.Sprintf("title=%s origins=%s edit_window=%s moderation=%s max_links=%d blocklist=%d patterns "+
		"time_zone=%s hours=%q holidays=%d lines reply_target=%s assignees=%d authors=%d ack_texts=%d",
		s.Title, strings.Join(s.Origins, ","), s.EditWindow, s.Moderation, s.MaxLinks, len(s.Blocklist),
		s.TimeZone, s.Hours, len(splitNonEmpty(s.Holidays)), s.Target(), len(s.Assignees), len(s.Authors), len(s.AckTexts))
}

func splitNonEmpty(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' })
}
