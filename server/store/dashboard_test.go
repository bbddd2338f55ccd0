package store_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/staff"
	"github.com/parleyhq/parley/server/store/storetest"
)

// TestDashboardFacts checks what the response dashboard reads: the reply
// facts carry each reader comment's tone, and the backlog is counted per
// assignee.
func TestDashboardFacts(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := t.Context()
			now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
			st := storetest.OpenEngine(t, engine, func() time.Time { return now })
			site, err := st.SaveSite(ctx, comment.Site{Name: "blog", Origins: []string{"https://a.example"}})
			if err != nil {
				t.Fatal(err)
			}
			u, err := st.CreateUser(ctx, staff.User{Email: "a@b.example", Name: "A", Role: staff.RoleOwner, CreatedAt: now}, "h")
			if err != nil {
				t.Fatal(err)
			}
			th, err := st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: "/x/"})
			if err != nil {
				t.Fatal(err)
			}
			add := func(c comment.Comment) {
				t.Helper()
				c.ThreadID, c.SiteID, c.Body, c.HTML, c.Status = th.ID, site.ID, "b", "<p>b</p>", comment.StatusApproved
				if c.ReplyState == "" {
					c.ReplyState = comment.ReplyOpen
				}
				if _, err := st.CreateComment(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			add(comment.Comment{CreatedAt: now.Add(-30 * time.Minute), Negativity: 0.75, AssigneeID: u.ID})
			add(comment.Comment{CreatedAt: now.Add(-2 * time.Hour), Negativity: 0.1, DueAt: now.Add(-time.Minute)})
			add(comment.Comment{CreatedAt: now.Add(-3 * time.Hour), Negativity: 0.2, AssigneeID: u.ID,
				ReplyState: comment.ReplyAnswered, AnsweredAt: now.Add(-time.Hour), ReplyTime: 2 * time.Hour})
			add(comment.Comment{CreatedAt: now.Add(-48 * time.Hour), Negativity: 0.9, AssigneeID: u.ID})

			facts, err := st.FindReplyFacts(ctx, []int64{site.ID}, now.Add(-24*time.Hour))
			if err != nil || len(facts) != 3 {
				t.Fatalf("facts = %+v, %v", facts, err)
			}
			// PostgreSQL keeps the tone as a REAL (float4).
			tones := map[float64]bool{}
			for _, f := range facts {
				if !f.Scored {
					t.Errorf("fact %+v is not scored", f)
				}
				tones[math.Round(f.Negativity*1e4)/1e4] = true
			}
			if !tones[0.75] || !tones[0.1] || !tones[0.2] {
				t.Errorf("tones %v", tones)
			}

			bs, err := st.CountBacklogByAssignee(ctx, site.ID, now)
			if err != nil || len(bs) != 2 {
				t.Fatalf("backlog = %+v, %v", bs, err)
			}
			common, theirs := bs[0], bs[1]
			if common.AssigneeID != 0 || common.Buckets != [6]int{0, 1, 0, 0, 0, 0} || common.Overdue != 1 {
				t.Errorf("the site's assignees' backlog %+v", common)
			}
			if theirs.AssigneeID != u.ID || theirs.Buckets != [6]int{1, 0, 0, 1, 0, 0} || theirs.Overdue != 0 {
				t.Errorf("A's backlog %+v", theirs)
			}
			all, err := st.CountBacklog(ctx, nil, now)
			if err != nil || len(all) != 1 || all[0].Total() != 3 || all[0].AssigneeID != 0 {
				t.Errorf("CountBacklog = %+v, %v", all, err)
			}
		})
	}
}

func TestReplyFactsUseTheirIndex(t *testing.T) {
	st := storetest.Open(t, nil)
	plan, err := st.ReplyFactsPlan(t.Context(), 1, time.Now().AddDate(0, 0, -90))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "comments_site_created") {
		t.Errorf("the dashboard's facts are not read through the site and date index:\n%s", plan)
	}
}
