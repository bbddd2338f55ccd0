package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/reader"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/store/storetest"
	"github.com/parleyhq/parley/server/transfer"
)

func TestStoreImportTx(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) { testImportTx(t, storetest.OpenEngine(t, engine, nil)) })
	}
}

func testImportTx(t *testing.T, st *store.Store) {
	ctx := t.Context()
	site, err := st.SaveSite(ctx, comment.Site{Name: "blog"})
	if err != nil {
		t.Fatal(err)
	}
	old, err := st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: "/old/"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	rec := func(key string, thread, parent int64) transfer.Record {
		return transfer.Record{Key: key, Comment: comment.Comment{SiteID: site.ID, ThreadID: thread, ParentID: parent,
			Body: key, HTML: "<p>" + key + "</p>", Status: comment.StatusApproved, ReplyState: comment.ReplyOpen, CreatedAt: at}}
	}
	create := func(tx transfer.ImportTx, rs []transfer.Record) error {
		ids, err := tx.ReserveIDs(ctx, len(rs))
		if err != nil || len(ids) != len(rs) {
			t.Fatalf("ReserveIDs = %v, %v", ids, err)
		}
		for i := range rs {
			rs[i].ID = ids[i]
		}
		return tx.CreateRecords(ctx, rs)
	}
	var a, c int64
	err = st.InImport(ctx, func(tx transfer.ImportTx) error {
		ids, created, err := tx.EnsureThreads(ctx, []comment.Thread{
			{SiteID: site.ID, Path: "/old/", URL: "https://blog.example/old/", Title: "Old"},
			{SiteID: site.ID, Path: "/new/", Title: "New", CreatedAt: at}})
		if err != nil || created != 1 || ids[0] != old.ID || ids[1] == 0 {
			t.Fatalf("EnsureThreads = %v, %d, %v; want the old thread and one new", ids, created, err)
		}
		rs := []transfer.Record{rec("disqus:1", ids[0], 0), rec("disqus:2", ids[1], 0)}
		if err := create(tx, rs); err != nil {
			t.Fatal(err)
		}
		a = rs[0].ID
		kids := []transfer.Record{rec("disqus:3", ids[0], a)}
		if err := create(tx, kids); err != nil {
			t.Fatal(err)
		}
		c = kids[0].ID
		if c <= a {
			t.Errorf("reserved IDs %d then %d, want increasing", a, c)
		}
		keys, err := tx.FindKeys(ctx, site.ID, []string{"disqus:1", "disqus:3", "disqus:9"})
		if err != nil || len(keys) != 2 || keys["disqus:1"] != a || keys["disqus:3"] != c {
			t.Errorf("FindKeys = %v, %v", keys, err)
		}
		if found, err := tx.FindIDs(ctx, site.ID, []int64{a, 999}); err != nil || !found[a] || found[999] {
			t.Errorf("FindIDs = %v, %v", found, err)
		}
		if err := create(tx, []transfer.Record{rec("disqus:1", ids[0], 0)}); comment.CodeOf(err) != comment.Conflict {
			t.Errorf("a taken key: %v, want conflict", err)
		}
		return errors.New("roll back")
	})
	if err == nil || err.Error() != "roll back" {
		t.Fatalf("InImport = %v", err)
	}
	if _, err := st.FindCommentByID(ctx, a); comment.CodeOf(err) != comment.NotFound {
		t.Errorf("a comment of a rolled back import is there: %v", err)
	}
	if _, err := st.FindThread(ctx, site.ID, "/new/"); comment.CodeOf(err) != comment.NotFound {
		t.Errorf("a thread of a rolled back import is there: %v", err)
	}

	// Cycles, parents and answers, committed this time.
	err = st.InImport(ctx, func(tx transfer.ImportTx) error {
		rs := []transfer.Record{rec("x", old.ID, 0), rec("y", old.ID, 0), rec("z", old.ID, 0)}
		if err := create(tx, rs); err != nil {
			return err
		}
		x, y, z := rs[0].ID, rs[1].ID, rs[2].ID
		if err := tx.SetParents(ctx, []transfer.Link{{ID: x, ParentID: y}, {ID: y, ParentID: x}, {ID: z, ParentID: x}}); err != nil {
			return err
		}
		cycles, err := tx.FindCycles(ctx, []int64{x, z})
		if err != nil {
			return err
		}
		if slices.Sort(cycles); !slices.Equal(cycles, []int64{x}) {
			t.Errorf("FindCycles = %v, want [%d] (z hangs below the cycle but is not in it)", cycles, x)
		}
		if err := tx.SetParents(ctx, []transfer.Link{{ID: x}}); err != nil {
			return err
		}
		cs, err := tx.FindComments(ctx, []int64{y})
		if err != nil || len(cs) != 1 {
			t.Fatalf("FindComments = %v, %v", cs, err)
		}
		cs[0].ReplyState, cs[0].AnsweredAt, cs[0].ReplyTime = comment.ReplyAnswered, at.Add(time.Hour), time.Hour
		return tx.MarkAnswered(ctx, cs)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.FindThreadComments(ctx, old.ID)
	if err != nil || len(got) != 3 {
		t.Fatalf("comments = %v, %v", got, err)
	}
	if got[0].ParentID != 0 || got[1].ParentID != got[0].ID || got[1].ReplyState != comment.ReplyAnswered ||
		!got[1].AnsweredAt.Equal(at.Add(time.Hour)) || got[1].ReplyTime != time.Hour {
		t.Errorf("after the import: %+v", got)
	}

	// Imported replies are old news: the reader mail worker never sees
	// them, while a reply written in Parley is its to sweep.
	swept := func() int {
		n, err := st.SweepReplies(ctx, at, 100, func([]reader.Reply) []reader.Mail { return nil })
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := swept(); n != 0 {
		t.Errorf("the reader mail sweep took %d imported replies, want none", n)
	}
	if _, err := st.CreateComment(ctx, comment.Comment{ThreadID: old.ID, ParentID: got[0].ID, Body: "new", HTML: "<p>new</p>",
		Status: comment.StatusApproved, CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	if n := swept(); n != 1 {
		t.Errorf("the reader mail sweep took %d replies after a new one, want 1", n)
	}
}

func TestStoreSnapshot(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			st := storetest.OpenEngine(t, engine, nil)
			ctx := t.Context()
			site, _ := st.SaveSite(ctx, comment.Site{Name: "blog"})
			other, _ := st.SaveSite(ctx, comment.Site{Name: "other"})
			var last comment.Comment
			for i, s := range []comment.Site{site, other, site, site} {
				th, err := st.EnsureThread(ctx, comment.Thread{SiteID: s.ID, Path: "/p" + string(rune('a'+i)) + "/"})
				if err != nil {
					t.Fatal(err)
				}
				last, err = st.CreateComment(ctx, comment.Comment{SiteID: s.ID, ThreadID: th.ID, ParentID: 0,
					Body: "b", Status: comment.StatusApproved, CreatedAt: time.Now()})
				if err != nil {
					t.Fatal(err)
				}
			}
			reply, err := st.CreateComment(ctx, comment.Comment{SiteID: site.ID, ThreadID: last.ThreadID, ParentID: last.ID,
				Body: "r", Status: comment.StatusApproved, CreatedAt: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			err = st.InSnapshot(ctx, func(v transfer.View) error {
				ts, err := v.ThreadsAfter(ctx, site.ID, 0, 2)
				if err != nil || len(ts) != 2 {
					t.Fatalf("first page of threads = %v, %v", ts, err)
				}
				rest, err := v.ThreadsAfter(ctx, site.ID, ts[1].ID, 2)
				if err != nil || len(rest) != 1 || rest[0].ID <= ts[1].ID {
					t.Errorf("second page of threads = %v, %v", rest, err)
				}
				rs, err := v.RecordsAfter(ctx, site.ID, 0, 10)
				if err != nil || len(rs) != 4 || rs[3].ID != reply.ID || rs[3].ParentID != last.ID || rs[3].Body != "r" {
					t.Errorf("records = %+v, %v", rs, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			inst, err := st.Instance(ctx)
			if again, _ := st.Instance(ctx); err != nil || len(inst) != 16 || again != inst {
				t.Errorf("Instance = %q then %q, %v", inst, again, err)
			}
		})
	}
}

func TestStoreBackup(t *testing.T) {
	t.Run("sqlite", testBackupSQLite)
	t.Run("postgres", func(t *testing.T) {
		pg := storetest.OpenEngine(t, "postgres", nil)
		if err := pg.Backup(context.Background(), filepath.Join(t.TempDir(), "pg.db")); err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Errorf("PostgreSQL backup: %v, want a pointer to pg_dump", err)
		}
	})
}

func testBackupSQLite(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	st := storetest.OpenDSN(t, filepath.Join(dir, "live.db"), nil)
	site, err := st.SaveSite(ctx, comment.Site{Name: "blog"})
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "copy.db")
	if err := st.Backup(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	if err := st.Backup(ctx, copyPath); err == nil {
		t.Error("a backup overwrote a file")
	}
	cp := storetest.OpenDSN(t, copyPath, nil)
	if sites, err := cp.FindSites(ctx); err != nil || len(sites) != 1 || sites[0].ID != site.ID {
		t.Errorf("the copy's sites = %v, %v", sites, err)
	}
}
