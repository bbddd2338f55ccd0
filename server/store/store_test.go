package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/store/storetest"
)

func TestOpenMigratesOnceAndKeepsRows(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testReopen(t, filepath.Join(t.TempDir(), "p.db")) })
	t.Run("postgres", func(t *testing.T) { testReopen(t, storetest.NewPostgresDB(t)) })
}

func testReopen(t *testing.T, path string) {
	ctx := t.Context()
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	site, err := st.SaveSite(ctx, comment.Site{Name: "blog", Origins: []string{"https://a.example", "self"}, EditWindow: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	key1, err := st.Secret(ctx, "client_hash")
	if err != nil || len(key1) != 32 {
		t.Fatalf("Secret = %x, %v", key1, err)
	}
	st.Close()

	st, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer st.Close()
	sites, err := st.FindSites(ctx)
	if err != nil || len(sites) != 1 || sites[0].ID != site.ID || len(sites[0].Origins) != 2 || sites[0].EditWindow != time.Minute {
		t.Fatalf("FindSites after reopen = %+v, %v", sites, err)
	}
	key2, _ := st.Secret(ctx, "client_hash")
	if string(key1) != string(key2) {
		t.Error("client hash key changed across restarts")
	}
}

func TestThreadsAndComments(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) { testThreadsAndComments(t, storetest.OpenEngine(t, engine, nil)) })
	}
}

func testThreadsAndComments(t *testing.T, st *store.Store) {
	ctx := t.Context()
	site, err := st.SaveSite(ctx, comment.Site{Name: "blog", Origins: []string{"https://a.example"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindThread(ctx, site.ID, "/x/"); comment.CodeOf(err) != comment.NotFound {
		t.Fatalf("FindThread of a new page: %v, want not_found", err)
	}
	th, err := st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: "/x/"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: "/x/", Title: "X", URL: "https://a.example/x/"})
	if err != nil || again.ID != th.ID || again.Title != "X" || again.URL != "https://a.example/x/" {
		t.Fatalf("EnsureThread again = %+v, %v; want same id with the late title", again, err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	a, err := st.CreateComment(ctx, comment.Comment{ThreadID: th.ID, Author: "Ana", Email: "a@x.example", Body: "hi",
		HTML: "<p>hi</p>", Status: comment.StatusApproved, CreatedAt: now, Negativity: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.CreateComment(ctx, comment.Comment{ThreadID: th.ID, ParentID: a.ID, Author: "Staff", Body: "yo",
		HTML: "<p>yo</p>", Status: comment.StatusApproved, Official: true, CreatedAt: now.Add(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateComment(ctx, comment.Comment{ThreadID: th.ID, ParentID: 999, Status: comment.StatusApproved, CreatedAt: now}); err == nil {
		t.Error("a comment with a missing parent was stored; the foreign key should refuse it")
	}
	if _, err := st.CreateComment(ctx, comment.Comment{ThreadID: th.ID, Status: "bogus", CreatedAt: now}); err == nil {
		t.Error("a comment with an unknown status was stored; the CHECK should refuse it")
	}

	got, err := st.FindThreadComments(ctx, th.ID)
	if err != nil || len(got) != 2 || got[0].ID != a.ID || got[1].ParentID != a.ID || !got[1].Official {
		t.Fatalf("FindThreadComments = %+v, %v", got, err)
	}
	if !got[0].CreatedAt.Equal(now) || got[0].Email != "a@x.example" || got[0].Negativity != 0.25 {
		t.Errorf("round trip changed the comment: %+v", got[0])
	}
	if replied, err := st.HasOfficialReply(ctx, a.ID); err != nil || !replied {
		t.Errorf("HasOfficialReply(a) = %v, %v", replied, err)
	}
	if replied, _ := st.HasOfficialReply(ctx, b.ID); replied {
		t.Error("HasOfficialReply(b) = true")
	}

	hidden := comment.StatusHidden
	edited := now.Add(time.Minute)
	body := "changed"
	tone := 0.75
	up, err := st.UpdateComment(ctx, a.ID, comment.Update{Status: &hidden, Body: &body, EditedAt: &edited, Negativity: &tone})
	if err != nil || up.Status != hidden || up.Body != "changed" || !up.EditedAt.Equal(edited) || up.HTML != "<p>hi</p>" || up.Negativity != 0.75 {
		t.Fatalf("UpdateComment = %+v, %v", up, err)
	}
	if _, err := st.UpdateComment(ctx, 12345, comment.Update{Body: &body}); comment.CodeOf(err) != comment.NotFound {
		t.Errorf("UpdateComment(missing) = %v, want not_found", err)
	}

	counts, err := st.CountComments(ctx, site.ID, []string{"/x/", "/none/"})
	if err != nil || counts["/x/"] != 1 || counts["/none/"] != 0 {
		t.Errorf("CountComments = %v, %v; want /x/: 1 (the hidden one not counted)", counts, err)
	}
}
