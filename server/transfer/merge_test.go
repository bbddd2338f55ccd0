package transfer_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/store/storetest"
	"github.com/parleyhq/parley/server/transfer"
)

func TestImportMergesIntoExistingSite(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			st, site := openSite(t, engine)
			th, native := existing(t, st, site)
			sum, err := importItems(t, st, site, transfer.Options{MapURL: []transfer.URLMap{{Old: "http://old.example", New: "https://blog.example"}}},
				&transfer.Thread{Key: "t1", URL: "http://old.example/rover/?utm=x", Title: "Rover"},
				&transfer.Thread{Key: "t2", URL: "http://OLD.example/new-post/", Title: "New post"},
				&transfer.Comment{Key: "1", ThreadKey: "t1", Author: "Old reader", Body: "<p>from <b>Disqus</b></p>", HTML: true, CreatedAt: fixedNow.Add(-48 * time.Hour)},
				&transfer.Comment{Key: "2", ThreadKey: "t2", Author: "Other", Body: "hello", CreatedAt: fixedNow.Add(-47 * time.Hour)},
			)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Threads != 1 || sum.Comments != 2 {
				t.Errorf("summary = %+v, want the existing thread merged, one new, 2 comments", sum)
			}
			merged := thread(t, st, site, "/rover/")
			if merged.ID != th.ID || merged.Title != "Rover" || merged.URL != "https://blog.example/rover/" {
				t.Errorf("merged thread = %+v, want thread %d keeping its URL and taking the title", merged, th.ID)
			}
			if nt := thread(t, st, site, "/new-post/"); nt.URL != "https://blog.example/new-post/" {
				t.Errorf("new thread URL = %q, want the mapped one", nt.URL)
			}
			cs := siteComments(t, st, site)
			if len(cs) != 3 || cs[2].ID != native.ID || cs[2].Body != "written here" {
				t.Fatalf("comments = %+v, want the native one kept", cs)
			}
			if c := byAuthorBody(t, cs, "Old reader", "from Disqus"); c.ThreadID != th.ID || c.HTML != "<p>from Disqus</p>" {
				t.Errorf("imported HTML comment = %+v", c.Comment)
			}
		})
	}
}

func TestImportRestoresIntoItsOwnDatabase(t *testing.T) {
	// An export of a site imported back into it adds nothing: comments
	// written here are named by this database's instance and their ID.
	st, site := openSite(t, "sqlite")
	existing(t, st, site)
	file := export(t, st, site)
	sum, err := transfer.Import(t.Context(), st, site, transfer.NewParleyReader(bytes.NewReader(file)),
		transfer.Options{Now: clock})
	if err != nil || sum.Comments != 0 || sum.SkipReasons[transfer.SkipImported] != 1 {
		t.Errorf("import into the same site = %+v, %v; want 1 skipped as already there", sum, err)
	}
	// Into another site of the same database it copies, once.
	other, err := st.SaveSite(t.Context(), comment.Site{Name: "other"})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{1, 0} {
		sum, err := transfer.Import(t.Context(), st, other, transfer.NewParleyReader(bytes.NewReader(file)),
			transfer.Options{Now: clock})
		if err != nil || sum.Comments != want {
			t.Errorf("import %d into another site = %+v, %v; want %d comments", i+1, sum, err, want)
		}
	}
}

func TestImportAlertUnansweredSince(t *testing.T) {
	since := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	records := func() []transfer.Item {
		return []transfer.Item{
			&transfer.Thread{Key: "t", URL: "/post/"},
			&transfer.Comment{Key: "old", ThreadKey: "t", Body: "before the date", CreatedAt: since.Add(-time.Hour)},
			&transfer.Comment{Key: "new", ThreadKey: "t", Body: "open since", CreatedAt: since.Add(time.Hour)},
			&transfer.Comment{Key: "held", ThreadKey: "t", Body: "pending", Status: comment.StatusPending, CreatedAt: since.Add(time.Hour)},
			&transfer.Comment{Key: "q", ThreadKey: "t", Body: "answered", CreatedAt: since.Add(2 * time.Hour)},
			&transfer.Comment{Key: "a", ThreadKey: "t", ParentKey: "q", Body: "staff answer", Official: true, CreatedAt: since.Add(3 * time.Hour)},
		}
	}
	tests := []struct {
		name  string
		since time.Time
		alert map[string]bool // body → has a due time and an alert
	}{
		{"without the flag", time.Time{}, map[string]bool{}},
		{"with the flag", since, map[string]bool{"open since": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, site := openSite(t, "sqlite")
			if _, err := importItems(t, st, site, transfer.Options{AlertSince: tt.since}, records()...); err != nil {
				t.Fatal(err)
			}
			for _, c := range siteComments(t, st, site) {
				want := tt.alert[c.Body]
				if got := !c.NextAlertAt.IsZero(); got != want || c.AlertStep != 0 {
					t.Errorf("%q: next alert %v (step %d), want one: %v", c.Body, c.NextAlertAt, c.AlertStep, want)
				}
				if want && (!c.NextAlertAt.Equal(fixedNow) || !c.DueAt.Equal(c.CreatedAt.Add(comment.DefaultReplyTarget))) {
					t.Errorf("%q: next alert %v, due %v; want now and created + the reply target", c.Body, c.NextAlertAt, c.DueAt)
				}
				if c.Body == "answered" && (c.ReplyState != comment.ReplyAnswered || !c.AnsweredAt.Equal(since.Add(3*time.Hour)) || c.ReplyTime != time.Hour) {
					t.Errorf("answered comment = %+v", c.Comment)
				}
			}
		})
	}
}

func TestImportFailsWholeAfterBatches(t *testing.T) {
	// The bad record comes after several batches went into the database:
	// they are rolled back with it.
	st, site := openSite(t, "sqlite")
	existing(t, st, site)
	before := export(t, st, site)
	var b strings.Builder
	b.WriteString(`{"format":"parley","version":1}` + "\n" + `{"type":"thread","key":"1","url":"/big/"}` + "\n")
	for i := range 3500 {
		status := "approved"
		if i == 3000 {
			status = "bogus"
		}
		fmt.Fprintf(&b, `{"type":"comment","key":"k%d","thread":"1","body":"c%d","status":%q,"created_at":"2026-10-01T10:00:00Z"}`+"\n", i, i, status)
	}
	b.WriteString(`{"type":"end","threads":1,"comments":3500}` + "\n")
	_, err := transfer.Import(t.Context(), st, site, transfer.NewParleyReader(strings.NewReader(b.String())),
		transfer.Options{Now: clock})
	if err == nil || !strings.Contains(err.Error(), `line 3003: comment "k3000": unknown status "bogus"`) {
		t.Fatalf("error %v, want one naming line 3003", err)
	}
	if after := export(t, st, site); !bytes.Equal(before, after) {
		t.Errorf("the failed import left rows behind:\n%.2000s", after)
	}
}

func TestImportCancelled(t *testing.T) {
	st, site := openSite(t, "sqlite")
	ctx, cancel := context.WithCancel(t.Context())
	var progress int
	r := items{&transfer.Thread{Key: "t", URL: "/x/"}}
	for i := range 5000 {
		r = append(r, &transfer.Comment{Key: fmt.Sprint(i), ThreadKey: "t", Body: "x", CreatedAt: fixedNow})
	}
	_, err := transfer.Import(ctx, st, site, &r, transfer.Options{Progress: func(p transfer.Progress) {
		if progress++; progress == 2 {
			cancel()
		}
	}})
	if err == nil || len(siteComments(t, st, site)) != 0 {
		t.Errorf("cancelled import: %v, %d comments; want an error and none", err, len(siteComments(t, st, site)))
	}
}
