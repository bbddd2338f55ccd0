package transfer_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/store/storetest"
	"github.com/parleyhq/parley/server/transfer"
)

func TestImportParleyFile(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			st, site := openSite(t, engine)
			sum, err := importFile(t, st, site, "small.jsonl", transfer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Threads != 2 || sum.Comments != 5 || sum.Skipped != 0 {
				t.Fatalf("summary = %+v, want 2 threads, 5 comments, none skipped", sum)
			}
			if th := thread(t, st, site, "/empty/"); th.Title != "Nobody commented" || th.URL != "https://old.example/empty/" {
				t.Errorf("the thread without comments = %+v", th)
			}
			if th := thread(t, st, site, "/rover/"); th.Author != "Ana" || !th.CreatedAt.Equal(time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)) {
				t.Errorf("thread = %+v, want its author and creation time kept", th)
			}
			cs := siteComments(t, st, site)
			q := byAuthorBody(t, cs, "Bo", "Does it work in the **cold**?")
			staff := byAuthorBody(t, cs, "Acme team", "Yes, down to -30 °C.")
			thanks := byAuthorBody(t, cs, "Bo", "Thanks!")
			if q.Email != "bo@example.com" || q.Website != "https://bo.example" || q.ReplyState != comment.ReplyAnswered ||
				q.ReplyTime != time.Hour || !q.NextAlertAt.IsZero() || q.AlertStep != 0 {
				t.Errorf("question = %+v", q.Comment)
			}
			if staff.ParentID != q.ID || !staff.Official || staff.ReplyState != comment.ReplyStaff {
				t.Errorf("staff reply = %+v, want official under %d", staff.Comment, q.ID)
			}
			if thanks.ParentID != staff.ID || thanks.HTML != "<p>Thanks!</p>" {
				t.Errorf("reply to staff = %+v, want under %d with the script sanitised away", thanks.Comment, staff.ID)
			}
			for _, c := range cs {
				if (c.Status == comment.StatusDeleted || c.Status == comment.StatusSpam) && c.Visible() {
					t.Errorf("%s comment is visible", c.Status)
				}
			}
			if spam := byAuthorBody(t, cs, "Spammer", "buy now"); spam.Status != comment.StatusSpam || spam.FlagReason != "blocklist" {
				t.Errorf("spam = %+v", spam.Comment)
			}
		})
	}
}

func TestImportTwiceAddsNothing(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			st, site := openSite(t, engine)
			if _, err := importFile(t, st, site, "small.jsonl", transfer.Options{}); err != nil {
				t.Fatal(err)
			}
			before := export(t, st, site)
			sum, err := importFile(t, st, site, "small.jsonl", transfer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Threads != 0 || sum.Comments != 0 || sum.Skipped != 5 || sum.SkipReasons[transfer.SkipImported] != 5 {
				t.Errorf("second import = %+v, want nothing added and 5 skipped as already imported", sum)
			}
			if after := export(t, st, site); !bytes.Equal(before, after) {
				t.Errorf("the second import changed the site:\n%s\nthen\n%s", before, after)
			}
		})
	}
}

func TestImportBadRecordChangesNothing(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			st, site := openSite(t, engine)
			// Some comments the site already had, and one import.
			existing(t, st, site)
			if _, err := importItems(t, st, site, transfer.Options{},
				&transfer.Thread{Key: "t", URL: "https://blog.example/earlier/"},
				&transfer.Comment{Key: "1", ThreadKey: "t", Body: "earlier import", CreatedAt: fixedNow}); err != nil {
				t.Fatal(err)
			}
			before := export(t, st, site)
			tests := []struct{ file, want string }{
				{"bad-middle.jsonl", `line 6: comment "parley:0123456789abcdef:99": unknown status "published"`},
				{"truncated.jsonl", "line 7: not a JSON object"},
			}
			for _, tt := range tests {
				_, err := importFile(t, st, site, tt.file, transfer.Options{})
				var se *transfer.SourceError
				if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s: error %v, want a SourceError with %q", tt.file, err, tt.want)
				}
				if after := export(t, st, site); !bytes.Equal(before, after) {
					t.Errorf("%s: the failed import changed the database:\n%s\nthen\n%s", tt.file, before, after)
				}
			}
		})
	}
}

func TestImportErrors(t *testing.T) {
	st, site := openSite(t, "sqlite")
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "line 1: the file is empty"},
		{"not parley", `{"disqus":1}`, "line 1: not a Parley export"},
		{"newer version", `{"format":"parley","version":9}`, "version 9"},
		{"no end record", `{"format":"parley","version":1}` + "\n" + `{"type":"thread","key":"1","url":"/a/"}` + "\n", "line 3: the file ends without its end record"},
		{"end record miscounts", `{"format":"parley","version":1}` + "\n" + `{"type":"end","threads":1}`, "line 2: the end record counts 1 threads"},
		{"after the end", `{"format":"parley","version":1}` + "\n" + `{"type":"end"}` + "\n" + `{"type":"end"}`, "line 3: more data after the end record"},
		{"unknown type", `{"format":"parley","version":1}` + "\n\n" + `{"type":"vote"}`, `line 3: unknown record type "vote"`},
		{"comment without key", `{"format":"parley","version":1}` + "\n" + `{"type":"comment","thread":"1","status":"approved"}`, "line 2: comment without a key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := transfer.Import(t.Context(), st, site, transfer.NewParleyReader(strings.NewReader(tt.file)),
				transfer.Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	if cs := siteComments(t, st, site); len(cs) != 0 {
		t.Errorf("%d comments stored by failed imports", len(cs))
	}
}

// existing gives the site a thread with a comment and a staff reply,
// written the way the server writes them.
func existing(tb testing.TB, st interface {
	EnsureThread(ctx context.Context, t comment.Thread) (comment.Thread, error)
	CreateComment(ctx context.Context, c comment.Comment) (comment.Comment, error)
}, site comment.Site) (comment.Thread, comment.Comment) {
	tb.Helper()
	ctx := tb.Context()
	th, err := st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: "/rover/", URL: "https://blog.example/rover/"})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := st.CreateComment(ctx, comment.Comment{SiteID: site.ID, ThreadID: th.ID, Author: "Native", Body: "written here",
		HTML: "<p>written here</p>\n", Status: comment.StatusApproved, CreatedAt: fixedNow.Add(-time.Hour)})
	if err != nil {
		tb.Fatal(err)
	}
	return th, c
}
