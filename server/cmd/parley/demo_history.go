package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/staff"
)

// historyStore is what the demo's history needs of the store.
type historyStore interface {
	FindThread(ctx context.Context, siteID int64, path string) (comment.Thread, error)
	EnsureThread(ctx context.Context, t comment.Thread) (comment.Thread, error)
	CreateComment(ctx context.Context, c comment.Comment) (comment.Comment, error)
}

// demoArchive are older posts of the demo blog that the history's comments
// are on, and who their comments are routed to: the owner (0), the second
// staff member (1) or the site's assignees (2).
var demoArchive = [...]struct {
	path, title string
	who         int
}{
	{"/demo/archive/rover-firmware-3/", "Rover firmware 3.0 is out", 0},
	{"/demo/archive/pricing-2027/", "New pricing for 2027", 0},
	{"/demo/archive/warehouse-tour/", "A tour of our Zagreb warehouse", 1},
	{"/demo/archive/battery-recall/", "Battery recall: what you need to know", 1},
	{"/demo/archive/api-v2/", "Fleet API v2 preview", 2},
	{"/demo/archive/hiring/", "We are hiring robot technicians", 2},
}

var demoQuestions = [...]string{
	"Does the update also fix the docking issue we had last week?",
	"Will older units get this too, or only the 2026 models?",
	"Thanks, this is really helpful!",
	"How long does the battery last after the firmware update?",
	"Our Rover stopped after the update. Who can help us today?",
	"Is there an on-premise option for the fleet dashboard?",
	"This is the third time the delivery date slipped. Very disappointing.",
	"Can we join the beta for the API?",
	"Great write-up, the photos are lovely.",
	"Is the recall covering units sold in Poland?",
	"Why was nobody told about this earlier? We had to find out from a supplier.",
	"Do you ship spare parts to Greece?",
}

var demoReaders = [...]string{"Maria K.", "Tomasz", "Eleni", "Luis", "Ana P.", "Jonas", "Chloé", "Marek", "Ivana", "Sam"}

// seedDemoHistory gives the demo blog a month of older comments (answered
// within varying times, some marked no reply needed, some in an irritated
// tone), so that the dashboard shows something. It runs once: the first
// archive post's thread marks it done. Every comment is answered or closed,
// so the inbox shows only what is posted meanwhile.
func seedDemoHistory(ctx context.Context, st historyStore, svc *comment.Service, people *staff.Service, now time.Time) error {
	site, err := svc.Site(demoSite)
	if err != nil {
		return err
	}
	if _, err := st.FindThread(ctx, site.ID, demoArchive[0].path); comment.CodeOf(err) != comment.NotFound {
		return err
	}
	owner, err := people.UserByEmail(ctx, demoEmail)
	if err != nil {
		return err
	}
	luka, err := demoColleague(ctx, people, site.ID)
	if err != nil {
		return err
	}
	assignees := [...]int64{owner.ID, luka.ID, 0}
	threads := make([]comment.Thread, len(demoArchive))
	for i, a := range demoArchive {
		if threads[i], err = st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: a.path, Title: a.title}); err != nil {
			return err
		}
	}
	r := mrand.New(mrand.NewPCG(8, 2026))
	for day := 30; day >= 1; day-- {
		date := now.AddDate(0, 0, -day)
		n := 3 + r.IntN(6)
		if wd := date.Weekday(); wd == time.Saturday || wd == time.Sunday {
			n = r.IntN(3)
		}
		for range n {
			post := r.IntN(len(demoArchive))
			c := demoComment(r, date, day, assignees[demoArchive[post].who])
			c.ThreadID, c.SiteID = threads[post].ID, site.ID
			if err := createWithAnswer(ctx, st, c, owner.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoColleague is the demo's second staff member, who answers some posts.
func demoColleague(ctx context.Context, people *staff.Service, siteID int64) (staff.User, error) {
	const email = "luka@parley.example"
	u, err := people.UserByEmail(ctx, email)
	if comment.CodeOf(err) != comment.NotFound {
		return u, err
	}
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return staff.User{}, err
	}
	return people.CreateUser(ctx, email, "Luka from Acme", staff.RoleStaff, base64.RawURLEncoding.EncodeToString(b), []int64{siteID})
}

// demoComment is a reader comment posted on date, days ago, answered after
// a time that varies around an hour (longer for the site's assignees in
// common), in a tone that sours over the last ten days.
func demoComment(r *mrand.Rand, date time.Time, daysAgo int, assignee int64) comment.Comment {
	at := time.Date(date.Year(), date.Month(), date.Day(), 7+r.IntN(13), r.IntN(60), 0, 0, time.UTC)
	q := r.IntN(len(demoQuestions))
	tone := math.Min(1, math.Max(0, 0.12+0.1*r.NormFloat64()))
	if q == 4 || q == 6 || q == 10 || (daysAgo <= 10 && r.IntN(4) == 0) {
		tone = 0.5 + 0.4*r.Float64()
	}
	c := comment.Comment{Author: demoReaders[r.IntN(len(demoReaders))], Body: demoQuestions[q], Status: comment.StatusApproved,
		CreatedAt: at, AssigneeID: assignee, Negativity: math.Round(tone*100) / 100, ReplyState: comment.ReplyAnswered,
		DueAt: at.Add(comment.DefaultReplyTarget)}
	if q == 2 || q == 8 {
		c.ReplyState, c.StateReason = comment.ReplyNotNeeded, "a thank-you note"
		return c
	}
	mu := 4.0
	if assignee == 0 {
		mu = 4.8
	}
	took := time.Duration(math.Exp(mu+0.8*r.NormFloat64())) * time.Minute
	c.AnsweredAt, c.ReplyTime = at.Add(took), took
	return c
}

// createWithAnswer stores a reader comment and, when it was answered, the
// staff answer.
func createWithAnswer(ctx context.Context, st historyStore, c comment.Comment, staffID int64) error {
	c.HTML = "<p>" + c.Body + "</p>"
	posted, err := st.CreateComment(ctx, c)
	if err != nil || c.ReplyState != comment.ReplyAnswered {
		return err
	}
	body := fmt.Sprintf("Thanks %s, good question! We have answered this in the FAQ and sent you the details.", c.Author)
	_, err = st.CreateComment(ctx, comment.Comment{ThreadID: c.ThreadID, SiteID: c.SiteID, ParentID: posted.ID, Author: "Acme team",
		Body: body, HTML: "<p>" + body + "</p>", Status: comment.StatusApproved, Official: true, StaffID: staffID, CreatedAt: c.AnsweredAt})
	return err
}
