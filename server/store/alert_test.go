package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/staff"
	"github.com/parleyhq/parley/server/store/storetest"
)

func TestSweepUsesItsIndex(t *testing.T) {
	st := storetest.Open(t, nil)
	plan, err := st.SweepPlan(t.Context(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "comments_next_alert") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("the sweep does not read its index in order:\n%s", plan)
	}
}

func TestOutbox(t *testing.T) {
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
			n := comment.Notification{DedupKey: "k1", Kind: comment.AlertDigest, Channel: comment.ChannelEmail,
				SiteID: site.ID, UserID: u.ID, NextAttemptAt: now, CreatedAt: now}
			if err := st.CreateNotifications(ctx, []comment.Notification{n, n}); err != nil {
				t.Fatal(err)
			}
			if err := st.CreateNotifications(ctx, []comment.Notification{n}); err != nil {
				t.Fatalf("a second row with the same key: %v", err)
			}
			got, err := st.ClaimNotifications(ctx, now, time.Minute, 10)
			if err != nil || len(got) != 1 || got[0].Attempts != 1 {
				t.Fatalf("claim = %+v, %v; want one row, first attempt", got, err)
			}
			again, err := st.ClaimNotifications(ctx, now.Add(30*time.Second), time.Minute, 10)
			if err != nil || len(again) != 0 {
				t.Fatalf("claimed during the lease: %+v, %v", again, err)
			}
			if err := st.FinishNotification(ctx, got[0].ID, comment.NotificationPending, now.Add(5*time.Minute), "timeout", now); err != nil {
				t.Fatal(err)
			}
			if early, _ := st.ClaimNotifications(ctx, now.Add(4*time.Minute), time.Minute, 10); len(early) != 0 {
				t.Fatalf("claimed before its retry time: %+v", early)
			}
			retry, err := st.ClaimNotifications(ctx, now.Add(5*time.Minute), time.Minute, 10)
			if err != nil || len(retry) != 1 || retry[0].Attempts != 2 || retry[0].LastError != "timeout" {
				t.Fatalf("retry = %+v, %v", retry, err)
			}
			if err := st.FinishNotification(ctx, retry[0].ID, comment.NotificationSent, time.Time{}, "", now.Add(5*time.Minute)); err != nil {
				t.Fatal(err)
			}
			done, err := st.FindNotificationByID(ctx, retry[0].ID)
			if err != nil || done.Status != comment.NotificationSent || done.SentAt.IsZero() {
				t.Fatalf("after sending: %+v, %v", done, err)
			}
			if later, _ := st.ClaimNotifications(ctx, now.Add(time.Hour), time.Minute, 10); len(later) != 0 {
				t.Fatalf("a sent row was claimed again: %+v", later)
			}
		})
	}
}

func TestFindThreadsFillsThreads(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			st := storetest.OpenEngine(t, engine, nil)
			site, err := st.SaveSite(t.Context(), comment.Site{Name: "blog", Origins: []string{"https://a.example"}})
			if err != nil {
				t.Fatal(err)
			}
			th, err := st.EnsureThread(t.Context(), comment.Thread{SiteID: site.ID, Path: "/p/", Title: "Hello", URL: "https://a.example/p/", Author: "Jana"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := st.FindThreads(t.Context(), nil)
			if err != nil || len(got) != 1 || got[0].ID != th.ID || got[0].Title != "Hello" || got[0].Path != "/p/" ||
				got[0].SiteID != site.ID || got[0].Author != "Jana" {
				t.Fatalf("FindThreads = %+v, %v", got, err)
			}
		})
	}
}
