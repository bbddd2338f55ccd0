package transfer_test

import (
	"bytes"
	"cmp"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/store/storetest"
	"github.com/parleyhq/parley/server/transfer"
)

// fixedNow is the clock of every test.
var fixedNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// openSite returns a migrated store of the engine with one site, "blog".
func openSite(tb testing.TB, engine string) (*store.Store, comment.Site) {
	tb.Helper()
	st := storetest.OpenEngine(tb, engine, clock)
	site, err := st.SaveSite(tb.Context(), comment.Site{Name: "blog", Origins: []string{"https://blog.example"}})
	if err != nil {
		tb.Fatal(err)
	}
	return st, site
}

// importFile imports a file of testdata in Parley's format.
func importFile(tb testing.TB, st *store.Store, site comment.Site, name string, opt transfer.Options) (transfer.Summary, error) {
	tb.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	opt.Now = clock
	return transfer.Import(tb.Context(), st, site, transfer.NewParleyReader(f), opt)
}

// items is a Reader over records in memory.
type items []transfer.Item

func (s *items) Next() (transfer.Item, error) {
	if len(*s) == 0 {
		return nil, io.EOF
	}
	it := (*s)[0]
	*s = (*s)[1:]
	return it, nil
}

// importItems imports records in memory.
func importItems(tb testing.TB, st *store.Store, site comment.Site, opt transfer.Options, its ...transfer.Item) (transfer.Summary, error) {
	tb.Helper()
	r := items(its)
	opt.Now = clock
	return transfer.Import(tb.Context(), st, site, &r, opt)
}

// siteComments returns every comment of the site with its thread, oldest
// first.
func siteComments(tb testing.TB, st *store.Store, site comment.Site) []comment.Listed {
	tb.Helper()
	var out []comment.Listed
	for {
		page, _, err := st.FindComments(tb.Context(), comment.Filter{SiteIDs: []int64{site.ID}, Oldest: true,
			Limit: comment.MaxPage, Offset: len(out)})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, page...)
		if len(page) < comment.MaxPage {
			break
		}
	}
	slices.SortStableFunc(out, func(a, b comment.Listed) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// thread returns the site's thread of a path.
func thread(tb testing.TB, st *store.Store, site comment.Site, path string) comment.Thread {
	tb.Helper()
	th, err := st.FindThread(tb.Context(), site.ID, path)
	if err != nil {
		tb.Fatalf("thread %s: %v", path, err)
	}
	return th
}

// export returns the site's export, written at fixedNow.
func export(tb testing.TB, st *store.Store, site comment.Site) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := transfer.Export(tb.Context(), st, site, &buf, fixedNow); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// byAuthorBody finds a comment by its author and body.
func byAuthorBody(tb testing.TB, cs []comment.Listed, author, body string) comment.Listed {
	tb.Helper()
	for _, c := range cs {
		if c.Author == author && c.Body == body {
			return c
		}
	}
	tb.Fatalf("no comment by %q saying %q", author, body)
	return comment.Listed{}
}
