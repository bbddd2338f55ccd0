package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/store/storetest"
)

// TestInboxOrder: negative comments first (most urgent due first), then the
// rest by due time, the overdue first; a comment without a due time
// (imported) counts as due when it was posted.
func TestInboxOrder(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
			st := storetest.OpenEngine(t, engine, func() time.Time { return now })
			svc := comment.NewService(comment.Config{Store: st, Renderer: markup.New(), Now: func() time.Time { return now }})
			ctx := t.Context()
			site, err := svc.SaveSite(ctx, comment.Site{Name: "blog", Origins: []string{"https://blog.example"}})
			if err != nil {
				t.Fatal(err)
			}
			th, err := st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: "/p/", CreatedAt: now})
			if err != nil {
				t.Fatal(err)
			}
			other, err := st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: "/q/", CreatedAt: now})
			if err != nil {
				t.Fatal(err)
			}
			mk := func(author string, thread int64, tone float64, created, due time.Duration) comment.Comment {
				c := comment.Comment{SiteID: site.ID, ThreadID: thread, Author: author, Body: author, HTML: author,
					Status: comment.StatusApproved, ReplyState: comment.ReplyOpen, CreatedAt: now.Add(created), Negativity: tone}
				if due != 0 {
					c.DueAt = now.Add(due)
				}
				return c
			}
			err = st.CreateComments(ctx, []comment.Comment{
				mk("calm-due-soon", th.ID, 0.1, -3*time.Hour, time.Hour),
				mk("angry-due-later", th.ID, 0.8, -time.Hour, 3*time.Hour),
				mk("calm-overdue", th.ID, 0.2, -5*time.Hour, -time.Hour),
				mk("cross-due-soon", th.ID, 0.5, -3*time.Hour, time.Hour),
				mk("calm-imported", th.ID, 0, -48*time.Hour, 0),
				mk("almost-negative", th.ID, 0.49, -time.Minute, 4*time.Hour),
				mk("angry-elsewhere", other.ID, 0.9, -time.Minute, 4*time.Hour),
			})
			if err != nil {
				t.Fatal(err)
			}
			owner := comment.Actor{Owner: true}
			names := func(q comment.InboxQuery) []string {
				items, total, err := svc.Inbox(ctx, owner, q)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, it := range items {
					out = append(out, it.Author)
				}
				if q.Limit == 0 && total != len(out) {
					t.Errorf("total %d, listed %d", total, len(out))
				}
				return out
			}
			want := []string{"cross-due-soon", "angry-due-later", "angry-elsewhere", "calm-imported", "calm-overdue",
				"calm-due-soon", "almost-negative"}
			if got := names(comment.InboxQuery{}); !slices.Equal(got, want) {
				t.Errorf("inbox order\n got %v\nwant %v", got, want)
			}
			want = []string{"cross-due-soon", "angry-due-later", "calm-imported", "calm-overdue", "calm-due-soon", "almost-negative"}
			if got := names(comment.InboxQuery{SiteID: site.ID, ThreadID: th.ID}); !slices.Equal(got, want) {
				t.Errorf("one post's inbox\n got %v\nwant %v", got, want)
			}
			if got := names(comment.InboxQuery{ThreadID: th.ID, Limit: 2, Offset: 2}); !slices.Equal(got, []string{"calm-imported", "calm-overdue"}) {
				t.Errorf("second page %v", got)
			}
		})
	}
}
