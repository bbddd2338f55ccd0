package comment

import (
	"context"
	"slices"
	"time"
)

// ReplyFact is what the response figures need of one reader comment.
type ReplyFact struct {
	SiteID     int64
	AssigneeID int64
	CreatedAt  time.Time
	DueAt      time.Time
	AnsweredAt time.Time
	ReplyTime  time.Duration
	State      ReplyState
	// Negativity is the comment's tone, 0 to 1, when Scored.
	Negativity float64
	Scored     bool
}

// BacklogAges are the upper bounds of the open-backlog age buckets; the
// last bucket has none. Like BacklogLabels, a table never written to.
var BacklogAges = [...]time.Duration{time.Hour, 4 * time.Hour, 24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour}

// BacklogLabels name the buckets of BacklogAges, and the one past them.
var BacklogLabels = [...]string{"1h", "4h", "1d", "3d", "7d", "older"}

// Backlog counts a site's open comments by age (those of one assignee,
// when counted by assignee).
type Backlog struct {
	SiteID     int64
	AssigneeID int64
	Buckets    [len(BacklogAges) + 1]int
	Overdue    int
}

// Total is the whole backlog.
func (b Backlog) Total() int {
	n := 0
	for _, x := range b.Buckets {
		n += x
	}
	return n
}

// ReplyStats are the response figures of a site (or of one assignee on it)
// over a window.
type ReplyStats struct {
	Window   time.Duration
	Comments int // reader comments posted in the window (not counting those marked no reply needed)
	Answered int
	// Due counts the comments whose deadline has passed or that were
	// answered; WithinTarget those answered within the target.
	Due          int
	WithinTarget int
	Median, P90  time.Duration // business time to the first official reply
}

// ShareWithinTarget is WithinTarget/Due, or 1 when nothing was due.
func (r ReplyStats) ShareWithinTarget() float64 {
	if r.Due == 0 {
		return 1
	}
	return float64(r.WithinTarget) / float64(r.Due)
}

// SiteReport holds a site's response figures.
type SiteReport struct {
	Site       Site
	Windows    []ReplyStats // 7 and 30 days
	ByAssignee []AssigneeReport
	Backlog    Backlog
}

// AssigneeReport holds one assignee's figures on a site (ID 0: the site's
// assignees in common).
type AssigneeReport struct {
	AssigneeID int64
	Name       string
	Windows    []ReplyStats
}

// reportWindows are the periods the response figures cover.
func reportWindows() [2]time.Duration {
	return [...]time.Duration{7 * 24 * time.Hour, 30 * 24 * time.Hour}
}

// ResponseReport returns the response figures of the actor's sites.
func (s *Service) ResponseReport(ctx context.Context, a Actor) ([]SiteReport, error) {
	now := s.now().UTC()
	scope := a.Scope()
	facts, err := s.store.FindReplyFacts(ctx, scope, now.Add(-reportWindows()[1]))
	if err != nil {
		return nil, err
	}
	backlogs, err := s.store.CountBacklog(ctx, scope, now)
	if err != nil {
		return nil, err
	}
	var out []SiteReport
	for _, site := range s.Sites() {
		if !a.CanSee(site.ID) {
			continue
		}
		mine := slices.DeleteFunc(slices.Clone(facts), func(f ReplyFact) bool { return f.SiteID != site.ID })
		r := SiteReport{Site: site, Windows: windows(site, mine, now), Backlog: Backlog{SiteID: site.ID}}
		for _, b := range backlogs {
			if b.SiteID == site.ID {
				r.Backlog = b
			}
		}
		people, err := s.store.FindAssignables(ctx, site.ID)
		if err != nil {
			return nil, err
		}
		for _, id := range assigneesOf(mine) {
			ar := AssigneeReport{AssigneeID: id, Name: "Site assignees"}
			if i := slices.IndexFunc(people, func(p Assignable) bool { return p.ID == id }); i >= 0 {
				ar.Name = people[i].Name
			} else if id != 0 {
				ar.Name = "Former staff"
			}
			theirs := slices.DeleteFunc(slices.Clone(mine), func(f ReplyFact) bool { return f.AssigneeID != id })
			ar.Windows = windows(site, theirs, now)
			r.ByAssignee = append(r.ByAssignee, ar)
		}
		out = append(out, r)
	}
	return out, nil
}

// DashboardFacts returns the facts of the site's reader comments posted
// since since, and its open comments by assignee and age at now: what the
// response dashboard is computed from. NotFound when the actor may not see
// the site.
func (s *Service) DashboardFacts(ctx context.Context, a Actor, siteID int64, since time.Time) ([]ReplyFact, []Backlog, error) {
	if !a.CanSee(siteID) {
		return nil, nil, Errorf(NotFound, "There is no such site.")
	}
	facts, err := s.store.FindReplyFacts(ctx, []int64{siteID}, since)
	if err != nil {
		return nil, nil, err
	}
	backlogs, err := s.store.CountBacklogByAssignee(ctx, siteID, s.now())
	return facts, backlogs, err
}

func assigneesOf(facts []ReplyFact) []int64 {
	var ids []int64
	for _, f := range facts {
		if !slices.Contains(ids, f.AssigneeID) {
			ids = append(ids, f.AssigneeID)
		}
	}
	slices.Sort(ids)
	return ids
}

func windows(site Site, facts []ReplyFact, now time.Time) []ReplyStats {
	out := make([]ReplyStats, len(reportWindows()))
	for i, w := range reportWindows() {
		out[i] = replyStats(site, facts, now.Add(-w), now)
		out[i].Window = w
	}
	return out
}

// replyStats computes the figures of the comments posted since from.
func replyStats(site Site, facts []ReplyFact, from, now time.Time) ReplyStats {
	var st ReplyStats
	var took []time.Duration
	target := site.Target()
	for _, f := range facts {
		if f.CreatedAt.Before(from) || f.State == ReplyNotNeeded {
			continue
		}
		st.Comments++
		if f.State == ReplyAnswered && !f.AnsweredAt.IsZero() {
			st.Answered++
			st.Due++
			took = append(took, f.ReplyTime)
			if f.ReplyTime <= target {
				st.WithinTarget++
			}
		} else if !f.DueAt.IsZero() && !f.DueAt.After(now) {
			st.Due++
		}
	}
	st.Median, st.P90 = Percentile(took, 0.5), Percentile(took, 0.9)
	return st
}

// Percentile returns the p-th percentile (nearest rank) of ds, 0 for none.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}
