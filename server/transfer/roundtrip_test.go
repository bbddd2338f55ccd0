package transfer_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/transfer"
)

func TestExportImportRoundTrip(t *testing.T) {
	for _, pair := range [][2]string{{"sqlite", "sqlite"}, {"postgres", "postgres"}, {"sqlite", "postgres"}, {"postgres", "sqlite"}} {
		t.Run(pair[0]+"_to_"+pair[1], func(t *testing.T) {
			src, srcSite := openSite(t, pair[0])
			dst, dstSite := openSite(t, pair[1])
			seed(t, src, srcSite)
			file := export(t, src, srcSite)
			sum, err := transfer.Import(t.Context(), dst, dstSite, transfer.NewParleyReader(bytes.NewReader(file)),
				transfer.Options{Now: clock})
			if err != nil {
				t.Fatal(err)
			}
			want, got := siteComments(t, src, srcSite), siteComments(t, dst, dstSite)
			if sum.Comments != len(want) || sum.Threads != 3 || sum.Skipped != 0 || len(sum.Changed) != 0 {
				t.Errorf("summary = %+v, want %d comments in 3 threads, nothing skipped or changed", sum, len(want))
			}
			compareSites(t, want, got)
			for _, path := range []string{"/rover/", "/plain/", "/quiet/"} {
				a, b := thread(t, src, srcSite, path), thread(t, dst, dstSite, path)
				if a.URL != b.URL || a.Title != b.Title || a.Author != b.Author || !a.CreatedAt.Equal(b.CreatedAt) {
					t.Errorf("thread %s: %+v, then %+v", path, a, b)
				}
			}
			// The copy exports to the same comments under the same keys.
			again := export(t, dst, dstSite)
			if n := bytes.Count(again, []byte("\n")); n != bytes.Count(file, []byte("\n")) {
				t.Errorf("the copy exports %d lines, the original %d", n, bytes.Count(file, []byte("\n")))
			}
			sum, err = transfer.Import(t.Context(), dst, dstSite, transfer.NewParleyReader(bytes.NewReader(again)),
				transfer.Options{Now: clock})
			if err != nil || sum.Comments != 0 {
				t.Errorf("importing the copy's export into the copy: %+v, %v; want nothing added", sum, err)
			}
		})
	}
}

// compareSites checks two sites hold the same comments, field by field,
// paired by creation order, with the same parent structure.
func compareSites(tb testing.TB, want, got []comment.Listed) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%d comments, want %d", len(got), len(want))
	}
	ids := map[int64]int64{}
	for i := range want {
		ids[want[i].ID] = got[i].ID
	}
	for i, w := range want {
		g := got[i]
		if g.ParentID != ids[w.ParentID] {
			tb.Errorf("comment %d (%q): parent %d, want %d", i, w.Body, g.ParentID, ids[w.ParentID])
		}
		if g.Thread.URL != w.Thread.URL || g.Thread.Title != w.Thread.Title || g.Thread.Path != w.Thread.Path {
			tb.Errorf("comment %d: thread %+v, want %+v", i, g.Thread, w.Thread)
		}
		type fields struct {
			Author, Email, Website, Body, HTML     string
			Status                                 comment.Status
			Official                               bool
			ReplyState                             comment.ReplyState
			StateReason, ModerationReason, FlagRsn string
			ReplyTime                              time.Duration
		}
		fw := fields{w.Author, w.Email, w.Website, w.Body, w.HTML, w.Status, w.Official, w.ReplyState, w.StateReason, w.ModerationReason, w.FlagReason, w.ReplyTime}
		fg := fields{g.Author, g.Email, g.Website, g.Body, g.HTML, g.Status, g.Official, g.ReplyState, g.StateReason, g.ModerationReason, g.FlagReason, g.ReplyTime}
		if fg != fw {
			tb.Errorf("comment %d:\n got %+v\nwant %+v", i, fg, fw)
		}
		for _, tt := range []struct {
			name      string
			got, want time.Time
		}{{"created_at", g.CreatedAt, w.CreatedAt}, {"answered_at", g.AnsweredAt, w.AnsweredAt},
			{"edited_at", g.EditedAt, w.EditedAt}, {"due_at", g.DueAt, w.DueAt}} {
			if !tt.got.Equal(tt.want) {
				tb.Errorf("comment %d (%q): %s %v, want %v", i, w.Body, tt.name, tt.got, tt.want)
			}
		}
		if !g.NextAlertAt.IsZero() || g.AlertStep != 0 {
			tb.Errorf("comment %d: imported with alerts (next %v, step %d)", i, g.NextAlertAt, g.AlertStep)
		}
	}
}

// seed writes a site the way the server would: rendered Markdown with
// links, code and entities, replies three deep, official answers, and
// every status and reply state.
func seed(tb testing.TB, st *store.Store, site comment.Site) {
	tb.Helper()
	ctx, md := tb.Context(), markup.New()
	rover, err := st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: "/rover/", URL: "https://blog.example/rover/",
		Title: "Meet Rover & friends", Author: "Ana"})
	if err != nil {
		tb.Fatal(err)
	}
	plain, err := st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: "/plain/"})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: "/quiet/", URL: "https://blog.example/quiet/", Title: "No comments"}); err != nil {
		tb.Fatal(err)
	}
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	add := func(th comment.Thread, parent int64, c comment.Comment) comment.Comment {
		tb.Helper()
		at = at.Add(time.Minute)
		c.SiteID, c.ThreadID, c.ParentID, c.CreatedAt = site.ID, th.ID, parent, at
		if c.HTML == "" && c.Body != "" {
			c.HTML = md.Render(c.Body)
		}
		if c.Status == "" {
			c.Status = comment.StatusApproved
		}
		out, err := st.CreateComment(ctx, c)
		if err != nil {
			tb.Fatal(err)
		}
		return out
	}
	q := add(rover, 0, comment.Comment{Author: "Bo Ström", Email: "bo@example.com", Website: "https://bo.example/",
		Body:       "Does it work in the **cold**? See [the specs](https://acme.example/specs?a=1&b=2) & <this>.\n\n```go\nx := 1 < 2\n```",
		ReplyState: comment.ReplyAnswered, AnsweredAt: at.Add(2 * time.Minute), ReplyTime: 90 * time.Second,
		EditedAt: at.Add(30 * time.Second), DueAt: at.Add(4 * time.Hour)})
	a := add(rover, q.ID, comment.Comment{Author: "Acme team", Body: "Yes — down to -30 °C. \"Quoted\" 'text' 👍",
		Official: true, ReplyState: comment.ReplyStaff})
	add(rover, a.ID, comment.Comment{Author: "Bo Ström", Body: "Thanks!\n\n- one\n- two", ReplyState: comment.ReplyOpen})
	add(rover, 0, comment.Comment{Author: "Cy", Body: "Nice post", ReplyState: comment.ReplyNotNeeded, StateReason: "just thanks"})
	add(rover, 0, comment.Comment{Author: "Troll", Body: "rude words", Status: comment.StatusHidden,
		ModerationReason: "rude", ReplyState: comment.ReplyOpen})
	add(rover, 0, comment.Comment{Author: "Spammer", Email: "s@spam.example", Body: "buy now http://spam.example",
		Status: comment.StatusSpam, FlagReason: "blocklist: spam.example", ReplyState: comment.ReplyOpen})
	held := add(plain, 0, comment.Comment{Author: "New", Body: "first post, held", Status: comment.StatusPending, ReplyState: comment.ReplyOpen})
	add(plain, held.ID, comment.Comment{Author: "", Body: "", Status: comment.StatusDeleted, ReplyState: comment.ReplyOpen})
	add(plain, 0, comment.Comment{Author: "Anon", Body: "unanswered", ReplyState: comment.ReplyOpen, DueAt: at.Add(5 * time.Hour)})
}
