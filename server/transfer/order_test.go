package transfer_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/markup/markuptest"
	"github.com/parleyhq/parley/server/store/storetest"
	"github.com/parleyhq/parley/server/transfer"
)

func TestImportParentsAfterReplies(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			st, site := openSite(t, engine)
			at := func(m int) time.Time { return fixedNow.Add(time.Duration(m) * time.Minute) }
			sum, err := importItems(t, st, site, transfer.Options{},
				// Newest first, as some exports list them; the thread is
				// named by its address.
				&transfer.Comment{Key: "c", ThreadKey: "https://blog.example/p/", ParentKey: "b", Body: "grandchild", CreatedAt: at(3)},
				&transfer.Comment{Key: "b", ThreadKey: "https://blog.example/p/", ParentKey: "a", Body: "staff answer", Official: true, CreatedAt: at(2)},
				&transfer.Comment{Key: "orphan", ThreadKey: "https://blog.example/p/", ParentKey: "gone", Body: "orphan", CreatedAt: at(4)},
				&transfer.Comment{Key: "x", ThreadKey: "https://blog.example/p/", ParentKey: "y", Body: "cycle x", CreatedAt: at(5)},
				&transfer.Comment{Key: "y", ThreadKey: "https://blog.example/p/", ParentKey: "x", Body: "cycle y", CreatedAt: at(6)},
				&transfer.Comment{Key: "self", ThreadKey: "https://blog.example/p/", ParentKey: "self", Body: "own parent", CreatedAt: at(7)},
				&transfer.Comment{Key: "a", ThreadKey: "https://blog.example/p/", Body: "question", CreatedAt: at(1)},
				&transfer.Comment{Key: "dup", ThreadKey: "https://blog.example/p/", Body: "first", CreatedAt: at(8)},
				&transfer.Comment{Key: "dup", ThreadKey: "https://blog.example/p/", Body: "second", CreatedAt: at(9)},
				&transfer.Comment{Key: "lost", ThreadKey: "no-such-thread", Body: "lost", CreatedAt: at(9)},
				&transfer.Thread{Key: "bad", URL: "ftp://x.example/"},
			)
			if err != nil {
				t.Fatal(err)
			}
			wantSum := transfer.Summary{Threads: 1, Comments: 8, Skipped: 3,
				SkipReasons: map[string]int{transfer.SkipDuplicate: 1, transfer.SkipThreadUnknown: 1, transfer.SkipThreadInvalid: 1},
				Changed:     map[string]int{transfer.ChangeParentMissing: 1, transfer.ChangeParentCycle: 2}}
			if js(sum) != js(wantSum) {
				t.Errorf("summary = %s, want %s", js(sum), js(wantSum))
			}
			cs := siteComments(t, st, site)
			id := map[string]comment.Comment{}
			for _, c := range cs {
				id[c.Body] = c.Comment
			}
			for child, parent := range map[string]string{"grandchild": "staff answer", "staff answer": "question",
				"question": "", "orphan": "", "cycle x": "cycle y", "cycle y": "", "own parent": "", "first": ""} {
				if got := id[child].ParentID; got != id[parent].ID {
					t.Errorf("%q: parent %d, want %q (%d)", child, got, parent, id[parent].ID)
				}
			}
			if q := id["question"]; q.ReplyState != comment.ReplyAnswered || !q.AnsweredAt.Equal(at(2)) {
				t.Errorf("question = %+v, want answered at the staff reply's time", q)
			}
			// An export lists parents before replies although the replies
			// were stored first.
			seen := map[string]bool{}
			for _, line := range strings.Split(strings.TrimSpace(string(export(t, st, site))), "\n")[1:] {
				var rec struct{ Type, Key, Parent string }
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatal(err)
				}
				if rec.Parent != "" && !seen[rec.Parent] {
					t.Errorf("export: %s comes before its parent %s", rec.Key, rec.Parent)
				}
				seen[rec.Key] = true
			}
		})
	}
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestImportCleansRecords(t *testing.T) {
	st, site := openSite(t, "sqlite")
	long := strings.Repeat("ж", comment.MaxBodyLength+10)
	sum, err := importItems(t, st, site, transfer.Options{},
		&transfer.Thread{Key: "1", URL: "https://blog.example/a/", Title: "A\x00 title\n"},
		&transfer.Comment{Key: "long", ThreadKey: "1", Author: "Long", Body: long, CreatedAt: fixedNow},
		&transfer.Comment{Key: "bad-utf8", ThreadKey: "1", Author: "Bad\xff", Body: "caf\xe9", CreatedAt: fixedNow},
		&transfer.Comment{Key: "fields", ThreadKey: "1", Author: "<b>Ev  il</b>", Email: "not an email", Website: "javascript:alert(1)", Body: "x", CreatedAt: fixedNow},
		&transfer.Comment{Key: "bare", ThreadKey: "1", Author: "Bare", Website: "bare.example", Email: "Me@Example.COM", Body: "y"},
	)
	if err != nil {
		t.Fatal(err)
	}
	wantChanged := map[string]int{transfer.ChangeTruncated: 1, transfer.ChangeUTF8: 1, transfer.ChangeEmail: 1,
		transfer.ChangeWebsite: 1, transfer.ChangeTime: 1}
	if js(sum.Changed) != js(wantChanged) || sum.Comments != 4 {
		t.Errorf("summary = %+v, want changed %v", sum, wantChanged)
	}
	cs := siteComments(t, st, site)
	c := byAuthorBody(t, cs, "Long", strings.Repeat("ж", comment.MaxBodyLength))
	if c.HTML != "<p>"+strings.Repeat("ж", comment.MaxBodyLength)+"</p>\n" {
		t.Errorf("truncated comment's HTML is not its cut text rendered")
	}
	byAuthorBody(t, cs, "Bad\uFFFD", "caf\uFFFD")
	if e := byAuthorBody(t, cs, "bEv il/b", "x"); e.Email != "" || e.Website != "" {
		t.Errorf("invalid email and website kept: %+v", e.Comment)
	}
	if b := byAuthorBody(t, cs, "Bare", "y"); b.Website != "https://bare.example" || b.Email != "Me@example.com" || !b.CreatedAt.Equal(fixedNow) {
		t.Errorf("bare = %+v", b.Comment)
	}
	if th := thread(t, st, site, "/a/"); th.Title != "A title" {
		t.Errorf("title = %q", th.Title)
	}
}

func TestImportXSSCorpus(t *testing.T) {
	// Every attack string, as the HTML body of an imported comment and as
	// the HTML Parley's own format carries, is stored harmless.
	st, site := openSite(t, "sqlite")
	lines := markuptest.Corpus(t, "xss-payloads.txt")
	r := items{&transfer.Thread{Key: "t", URL: "/xss/"}}
	for i, line := range lines {
		r = append(r, &transfer.Comment{Key: "h" + strconv.Itoa(i), ThreadKey: "t", Body: line, HTML: true, CreatedAt: fixedNow},
			&transfer.Comment{Key: "r" + strconv.Itoa(i), ThreadKey: "t", Body: "x", Rendered: line, Website: line, CreatedAt: fixedNow})
	}
	if _, err := transfer.Import(t.Context(), st, site, &r, transfer.Options{Now: clock}); err != nil {
		t.Fatal(err)
	}
	cs := siteComments(t, st, site)
	if len(cs) != 2*len(lines) {
		t.Fatalf("%d comments stored, want %d", len(cs), 2*len(lines))
	}
	for _, c := range cs {
		if why := markuptest.Unsafe(c.HTML); why != "" {
			t.Errorf("stored HTML %q: %s", c.HTML, why)
		}
		if c.Website != "" && !strings.HasPrefix(c.Website, "http") {
			t.Errorf("website %q kept", c.Website)
		}
	}
}

func TestImportSanitizeKeepsRenderedHTML(t *testing.T) {
	// Parley's own export carries rendered HTML, sanitised again on import:
	// that must not change it, or a round trip would.
	md := markup.New()
	for _, src := range []string{"**b** _i_ ~~s~~ `c` & < > \" '", "[l](https://x.example/?a=1&b=\"2\")", "> q\n\n1. a\n2. b",
		"```js\nif (a < b && c) {}\n```", "# H\n\n---\n\nmailto:a@b.example https://auto.example", "ünïcödé 👍 &amp; &nbsp;"} {
		h := md.Render(src)
		if got := md.Sanitize(h); got != h {
			t.Errorf("Sanitize(Render(%q)):\n got %q\nwant %q", src, got, h)
		}
	}
}

func TestImportCycleAcrossBatches(t *testing.T) {
	// x waits for y, which comes more than a batch later naming x: linking
	// x would close a circle, so x stays at the top.
	st, site := openSite(t, "sqlite")
	r := items{&transfer.Thread{Key: "t", URL: "/c/"},
		&transfer.Comment{Key: "x", ThreadKey: "t", ParentKey: "y", Body: "x", CreatedAt: fixedNow}}
	for i := range 1500 {
		r = append(r, &transfer.Comment{Key: strconv.Itoa(i), ThreadKey: "t", Body: "filler", CreatedAt: fixedNow})
	}
	r = append(r, &transfer.Comment{Key: "y", ThreadKey: "t", ParentKey: "x", Body: "y", CreatedAt: fixedNow})
	sum, err := transfer.Import(t.Context(), st, site, &r, transfer.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Comments != 1502 || sum.Changed[transfer.ChangeParentCycle] != 1 {
		t.Errorf("summary = %+v, want 1502 comments, one cycle broken", sum)
	}
	cs := siteComments(t, st, site)
	x, y := byAuthorBody(t, cs, "", "x"), byAuthorBody(t, cs, "", "y")
	if x.ParentID != 0 || y.ParentID != x.ID {
		t.Errorf("x's parent %d, y's %d; want x at the top and y under it", x.ParentID, y.ParentID)
	}
}
