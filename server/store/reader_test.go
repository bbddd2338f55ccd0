package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/reader"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/store/storetest"
)

func TestReaderSubscriptions(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := t.Context()
			now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
			st := storetest.OpenEngine(t, engine, func() time.Time { return now })
			site, parent := postParent(t, st, now)

			sub, err := st.SaveFollow(ctx, site.ID, "ann@example.com", "de", parent.ID, now)
			if err != nil || sub.Active() || sub.Lang != "de" {
				t.Fatalf("SaveFollow = %+v, %v", sub, err)
			}
			again, err := st.SaveFollow(ctx, site.ID, "ann@example.com", "fr", parent.ID, now)
			if err != nil || again.ID != sub.ID || again.Lang != "fr" {
				t.Fatalf("a second follow = %+v, %v; want the same subscription in fr", again, err)
			}
			m := reader.Mail{DedupKey: "confirm:1", Kind: reader.KindConfirm, SiteID: site.ID, SubscriptionID: sub.ID,
				CommentID: parent.ID, Secret: "tok", NextAttemptAt: now, CreatedAt: now}
			if ok, err := st.StartConfirmation(ctx, sub.ID, "h1", now.Add(time.Hour), now, now.Add(-time.Hour), m); !ok || err != nil {
				t.Fatalf("first confirmation: %v, %v", ok, err)
			}
			m.DedupKey = "confirm:2"
			later := now.Add(30 * time.Minute)
			if ok, err := st.StartConfirmation(ctx, sub.ID, "h2", later.Add(time.Hour), later, later.Add(-time.Hour), m); ok || err != nil {
				t.Fatalf("a second confirmation within the hour: %v, %v", ok, err)
			}
			if got, err := st.FindSubscriptionByConfirmHash(ctx, "h1"); err != nil || got.ID != sub.ID {
				t.Fatalf("by hash: %+v, %v", got, err)
			}

			// Nothing is swept for an unconfirmed follower.
			reply := postReply(t, st, site, parent, "Bob", now)
			if n, err := st.SweepReplies(ctx, now, 10, expectFollowers(t, 0)); n != 1 || err != nil {
				t.Fatalf("sweep = %d, %v", n, err)
			}
			if err := st.ConfirmSubscription(ctx, sub.ID, now); err != nil {
				t.Fatal(err)
			}
			if _, err := st.FindSubscriptionByConfirmHash(ctx, "h1"); comment.CodeOf(err) != comment.NotFound {
				t.Errorf("the token still works after confirming: %v", err)
			}
			if n, _ := st.SweepReplies(ctx, now, 10, expectFollowers(t, 0)); n != 0 {
				t.Errorf("a reply was swept twice")
			}
			reply = postReply(t, st, site, parent, "Cy", now)
			var planned []reader.Mail
			n, err := st.SweepReplies(ctx, now, 10, func(rs []reader.Reply) []reader.Mail {
				if len(rs) != 1 || rs[0].Comment.ID != reply.ID || len(rs[0].Followers) != 1 || rs[0].Followers[0].Email != "ann@example.com" {
					t.Errorf("replies handed to the planner: %+v", rs)
				}
				planned = reader.PlanReplies(rs, now)
				return append(planned, planned...) // the dedup key keeps one
			})
			if n != 1 || err != nil || len(planned) != 1 {
				t.Fatalf("sweep = %d, %v, %d mails", n, err, len(planned))
			}
			mails, err := st.FindReaderMail(ctx, sub.ID)
			if err != nil || len(mails) != 2 || mails[0].Status != comment.NotificationCancelled || mails[0].Secret != "" ||
				mails[1].Kind != reader.KindReply || mails[1].Status != comment.NotificationPending {
				t.Fatalf("outbox (the confirmation is cancelled by confirming, its token forgotten): %+v, %v", mails, err)
			}

			claimed, err := st.ClaimReaderMail(ctx, now, time.Minute, 10)
			if err != nil || len(claimed) != 1 || claimed[0].Attempts != 1 || claimed[0].CommentID != reply.ID {
				t.Fatalf("claim = %+v, %v", claimed, err)
			}
			if again, _ := st.ClaimReaderMail(ctx, now.Add(30*time.Second), time.Minute, 10); len(again) != 0 {
				t.Fatalf("claimed during the lease: %+v", again)
			}
			if err := st.FinishReaderMail(ctx, claimed[0].ID, comment.NotificationSent, time.Time{}, "", now); err != nil {
				t.Fatal(err)
			}
			postReply(t, st, site, parent, "Dee", now)
			if n, _ := st.SweepReplies(ctx, now, 10, func(rs []reader.Reply) []reader.Mail { return reader.PlanReplies(rs, now) }); n != 1 {
				t.Errorf("swept %d", n)
			}
			if err := st.Unsubscribe(ctx, sub.ID, now); err != nil {
				t.Fatal(err)
			}
			mails, _ = st.FindReaderMail(ctx, sub.ID)
			if len(mails) != 3 || mails[1].Status != comment.NotificationSent || mails[2].Status != comment.NotificationCancelled {
				t.Errorf("after sending and unsubscribing: %+v", mails)
			}
			if err := st.Unsubscribe(ctx, 999, now); comment.CodeOf(err) != comment.NotFound {
				t.Errorf("unsubscribing nobody: %v", err)
			}
			postReply(t, st, site, parent, "Eve", now)
			if n, _ := st.SweepReplies(ctx, now, 10, expectFollowers(t, 0)); n != 1 {
				t.Errorf("swept %d", n)
			}
			back, err := st.SaveFollow(ctx, site.ID, "ann@example.com", "en", parent.ID, now)
			if err != nil || back.Active() || !back.UnsubscribedAt.IsZero() || !back.ConfirmedAt.IsZero() {
				t.Errorf("following again after unsubscribing = %+v, %v; want unconfirmed", back, err)
			}
		})
	}
}

func TestReplySweepUsesItsIndex(t *testing.T) {
	st := storetest.Open(t, nil)
	plan, err := st.ReplySweepPlan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "comments_followers_due") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("the reply sweep does not read its index in order:\n%s", plan)
	}
}

func expectFollowers(t *testing.T, want int) func([]reader.Reply) []reader.Mail {
	return func(rs []reader.Reply) []reader.Mail {
		for _, r := range rs {
			if len(r.Followers) != want {
				t.Errorf("reply %d has %d followers, want %d", r.Comment.ID, len(r.Followers), want)
			}
		}
		return nil
	}
}

func postParent(t *testing.T, st *store.Store, now time.Time) (comment.Site, comment.Comment) {
	t.Helper()
	site, err := st.SaveSite(t.Context(), comment.Site{Name: "blog", Origins: []string{"https://a.example"}})
	if err != nil {
		t.Fatal(err)
	}
	th, err := st.EnsureThread(t.Context(), comment.Thread{SiteID: site.ID, Path: "/p/", URL: "https://a.example/p/", CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.CreateComment(t.Context(), comment.Comment{SiteID: site.ID, ThreadID: th.ID, Author: "Ann", Email: "ann@example.com",
		Body: "Q", HTML: "<p>Q</p>", Status: comment.StatusApproved, CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	return site, c
}

func postReply(t *testing.T, st *store.Store, site comment.Site, parent comment.Comment, author string, now time.Time) comment.Comment {
	t.Helper()
	c, err := st.CreateComment(t.Context(), comment.Comment{SiteID: site.ID, ThreadID: parent.ThreadID, ParentID: parent.ID,
		Author: author, Body: "A", HTML: "<p>A</p>", Status: comment.StatusApproved, CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
