package bench_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/store/storetest"
)

// errRollback ends a sweep without storing anything, so that every
// iteration finds the same due comments.
var errRollback = errors.New("rollback")

// BenchmarkAlertSweep measures the alert worker's sweep: among 100,000
// open comments whose next alert is spread over the coming 30 days, find
// the 100 that are due now (one batch), on each engine.
//
//	go test ./bench -run '^$' -bench AlertSweep -benchtime 200x -count 5
func BenchmarkAlertSweep(b *testing.B) {
	for _, engine := range storetest.Engines {
		b.Run(engine, func(b *testing.B) {
			now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
			st := storetest.OpenEngine(b, engine, func() time.Time { return now })
			seedOpen(b, st, now, 100_000, 100)
			b.ResetTimer()
			for b.Loop() {
				found := 0
				_, err := st.SweepAlerts(b.Context(), now, 500, func(cs []comment.Comment) ([]comment.Notification, map[int64]comment.AlertStep, error) {
					found = len(cs)
					return nil, nil, errRollback
				})
				if !errors.Is(err, errRollback) || found != 100 {
					b.Fatalf("sweep found %d (%v), want 100", found, err)
				}
			}
		})
	}
}

// seedOpen stores n open, shown reader comments, due of which have their
// next alert in the past and the rest spread over 30 days ahead.
func seedOpen(b *testing.B, st *store.Store, now time.Time, n, due int) {
	b.Helper()
	ctx := b.Context()
	site, err := st.SaveSite(ctx, comment.Site{Name: "blog", Origins: []string{"https://blog.example"}})
	if err != nil {
		b.Fatal(err)
	}
	var batch []comment.Comment
	for i := range n {
		if i%100 == 0 {
			t, err := st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: fmt.Sprintf("/post-%d/", i/100)})
			if err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
			for j := range 100 {
				next := now.Add(time.Duration(1+(i+j)*26) * time.Second)
				if i+j < due {
					next = now.Add(-time.Duration(i+j+1) * time.Minute)
				}
				batch = append(batch, comment.Comment{SiteID: site.ID, ThreadID: t.ID, Author: "Reader",
					Body: "A question", HTML: "<p>A question</p>", Status: comment.StatusApproved,
					ReplyState: comment.ReplyOpen, CreatedAt: now.Add(-time.Hour), DueAt: now.Add(3 * time.Hour),
					NextAlertAt: next, AlertStep: 1})
			}
			if err := st.CreateComments(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := st.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
}
