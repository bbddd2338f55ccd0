// Package report computes the response dashboard: per day, in the site's
// time zone, the reader comments posted, the share answered, the median and
// 90th-percentile business time to the first reply and the tone, with the
// open backlog by age and a split by assignee; and it writes the same
// figures as CSV. It imports comment and the standard library only; the
// facts come from comment.Service.DashboardFacts.
package report

import (
	"slices"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// Everyone in Query.Assignee means all assignees together.
const Everyone int64 = -1

// NegativeAt is the negativity from which a comment counts as negative.
const NegativeAt = 0.5

// Periods are the lengths, in days, a dashboard may cover.
var Periods = [...]int{7, 30, 90}

// Query says which dashboard to compute.
type Query struct {
	Site   comment.Site
	Period int // days, one of Periods
	// Assignee limits the figures to the comments routed to one staff
	// member (0: to the site's assignees in common); Everyone for all.
	Assignee int64
	Now      time.Time
}

// Location is the site's time zone, UTC when it has none or an unknown one.
func (q Query) Location() *time.Location {
	if loc, err := time.LoadLocation(q.Site.TimeZone); err == nil && q.Site.TimeZone != "" {
		return loc
	}
	return time.UTC
}

// Since is the start of the period: midnight in the site's time zone,
// Period-1 days before today.
func (q Query) Since() time.Time {
	t := q.Now.In(q.Location())
	return time.Date(t.Year(), t.Month(), t.Day()-(q.Period-1), 0, 0, 0, 0, t.Location())
}

// Figures are the response figures of a set of reader comments.
type Figures struct {
	Comments  int // reader comments posted
	Answered  int // of them, answered by staff
	NotNeeded int // marked no reply needed
	Open      int // still waiting for a reply
	// Median and P90 are the business time to the first official reply of
	// the answered comments; Replies says whether there was any.
	Median, P90 time.Duration
	Replies     int
	// Scored counts the comments whose tone is known, Negative those of
	// them at NegativeAt or above, and MeanNegativity is their mean tone.
	Scored, Negative int
	MeanNegativity   float64
}

// NeedReply is how many of the comments want an answer.
func (f Figures) NeedReply() int { return f.Comments - f.NotNeeded }

// ShareAnswered is Answered/NeedReply; ok is false when none needed one.
func (f Figures) ShareAnswered() (share float64, ok bool) {
	if f.NeedReply() == 0 {
		return 0, false
	}
	return float64(f.Answered) / float64(f.NeedReply()), true
}

// ShareNegative is Negative/Scored; ok is false when none was scored.
func (f Figures) ShareNegative() (share float64, ok bool) {
	if f.Scored == 0 {
		return 0, false
	}
	return float64(f.Negative) / float64(f.Scored), true
}

// Day holds the figures of the comments posted on one day.
type Day struct {
	Date time.Time // midnight, in the site's time zone
	Figures
}

// Person holds one assignee's figures over the period.
type Person struct {
	AssigneeID int64
	Name       string // filled by the caller
	Figures
	Days    []Day
	Backlog comment.Backlog
}

// Dashboard is what the dashboard shows.
type Dashboard struct {
	Query
	// AssigneeName names Query.Assignee; filled by the caller.
	AssigneeName string
	Days         []Day
	Total        Figures
	Backlog      comment.Backlog // open comments now, by age
	People       []Person        // by assignee, when Query.Assignee is Everyone
}

// Build computes the dashboard from the facts of the site's comments posted
// since q.Since() and its backlog by assignee.
func Build(q Query, facts []comment.ReplyFact, backlogs []comment.Backlog) Dashboard {
	facts = slices.DeleteFunc(slices.Clone(facts), func(f comment.ReplyFact) bool {
		return f.SiteID != q.Site.ID || f.CreatedAt.Before(q.Since()) || (q.Assignee != Everyone && f.AssigneeID != q.Assignee)
	})
	d := Dashboard{Query: q, Total: figures(facts), Backlog: comment.Backlog{SiteID: q.Site.ID, AssigneeID: q.Assignee}}
	d.Days = days(q, facts)
	for _, b := range backlogs {
		if b.SiteID == q.Site.ID && (q.Assignee == Everyone || b.AssigneeID == q.Assignee) {
			d.Backlog = addBacklog(d.Backlog, b)
		}
	}
	if q.Assignee == Everyone {
		d.People = people(q, facts, backlogs)
	}
	return d
}

// days splits the facts by the day, in the site's time zone, they were
// posted on.
func days(q Query, facts []comment.ReplyFact) []Day {
	loc, start := q.Location(), q.Since()
	index := map[string]int{}
	out := make([]Day, q.Period)
	for i := range out {
		out[i].Date = time.Date(start.Year(), start.Month(), start.Day()+i, 0, 0, 0, 0, loc)
		index[out[i].Date.Format(time.DateOnly)] = i
	}
	byDay := make([][]comment.ReplyFact, q.Period)
	for _, f := range facts {
		if i, ok := index[f.CreatedAt.In(loc).Format(time.DateOnly)]; ok {
			byDay[i] = append(byDay[i], f)
		}
	}
	for i := range out {
		out[i].Figures = figures(byDay[i])
	}
	return out
}

// figures counts the facts. The reply times are those the response page
// uses: comment.ReplyFact.ReplyTime, business time.
func figures(facts []comment.ReplyFact) Figures {
	var f Figures
	var took []time.Duration
	var tone float64
	for _, x := range facts {
		f.Comments++
		switch {
		case x.State == comment.ReplyNotNeeded:
			f.NotNeeded++
		case x.State == comment.ReplyAnswered && !x.AnsweredAt.IsZero():
			f.Answered++
			took = append(took, x.ReplyTime)
		default:
			f.Open++
		}
		if x.Scored {
			f.Scored++
			tone += x.Negativity
			if x.Negativity >= NegativeAt {
				f.Negative++
			}
		}
	}
	f.Replies = len(took)
	f.Median, f.P90 = comment.Percentile(took, 0.5), comment.Percentile(took, 0.9)
	if f.Scored > 0 {
		f.MeanNegativity = tone / float64(f.Scored)
	}
	return f
}

// people splits the facts and the backlog by assignee, in ID order.
func people(q Query, facts []comment.ReplyFact, backlogs []comment.Backlog) []Person {
	var ids []int64
	for _, f := range facts {
		ids = append(ids, f.AssigneeID)
	}
	for _, b := range backlogs {
		ids = append(ids, b.AssigneeID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make([]Person, len(ids))
	for i, id := range ids {
		theirs := slices.DeleteFunc(slices.Clone(facts), func(f comment.ReplyFact) bool { return f.AssigneeID != id })
		out[i] = Person{AssigneeID: id, Figures: figures(theirs), Days: days(q, theirs), Backlog: comment.Backlog{AssigneeID: id}}
		for _, b := range backlogs {
			if b.AssigneeID == id {
				out[i].Backlog = addBacklog(out[i].Backlog, b)
			}
		}
	}
	return out
}

func addBacklog(a, b comment.Backlog) comment.Backlog {
	for i := range a.Buckets {
		a.Buckets[i] += b.Buckets[i]
	}
	a.Overdue += b.Overdue
	return a
}
