package transfer_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/transfer"
)

func TestImportParleyGzip(t *testing.T) {
	plain, err := os.ReadFile("testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	z := gzip.NewWriter(&buf)
	z.Write(plain)
	z.Close()
	st, site := openSite(t, "sqlite")
	r := transfer.NewParleyReader(&buf)
	h, err := r.Header()
	if err != nil || h.Site != "old-blog" || h.Version != 1 || h.Instance != "0123456789abcdef" {
		t.Fatalf("Header = %+v, %v", h, err)
	}
	sum, err := transfer.Import(t.Context(), st, site, r, transfer.Options{Now: clock})
	if err != nil || sum.Comments != 5 {
		t.Errorf("gzipped import = %+v, %v", sum, err)
	}
}

// skipping is a reader that left some records out on purpose.
type skipping struct{ items }

func (skipping) Skipped() map[string]int { return map[string]int{"pingback": 2} }

func TestImportCountsReaderSkips(t *testing.T) {
	st, site := openSite(t, "sqlite")
	r := skipping{items{&transfer.Thread{Key: "t", URL: "/p/"}, &transfer.Comment{Key: "wordpress:1", ThreadKey: "t", Body: "x", CreatedAt: fixedNow}}}
	sum, err := transfer.Import(t.Context(), st, site, &r, transfer.Options{Now: clock})
	if err != nil || sum.Comments != 1 || sum.Skipped != 2 || sum.SkipReasons["pingback"] != 2 {
		t.Errorf("summary = %+v, %v; want the reader's 2 pingbacks counted", sum, err)
	}
}

func TestImportProgressBar(t *testing.T) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	now := start
	clock := func() time.Time { return now }
	read := int64(0)
	tests := []struct {
		name   string
		tty    bool
		size   int64
		after  time.Duration
		read   int64
		p      transfer.Progress
		output string
	}{
		{"terminal, size known", true, 1000, 10 * time.Second, 250,
			transfer.Progress{Records: 20500, Comments: 20000, Threads: 400, Skipped: 100},
			"\r20,000 comments  400 new threads  100 skipped  2,050 records/s   25% 30s left\x1b[K"},
		{"log, size unknown", false, 0, 10 * time.Second, 0,
			transfer.Progress{Records: 1234567, Comments: 1234567},
			"1,234,567 comments  0 new threads  0 skipped  123,456 records/s\n"},
		{"too soon for a log line", false, 0, time.Second, 0, transfer.Progress{Records: 5}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = start
			var out strings.Builder
			bar := transfer.NewProgressBar(&out, tt.tty, tt.size, func() int64 { return read }, clock)
			now, read = start.Add(tt.after), tt.read
			bar.Update(tt.p)
			if out.String() != tt.output {
				t.Errorf("output %q, want %q", out.String(), tt.output)
			}
		})
	}
}
