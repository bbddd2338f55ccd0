package formats

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/transfer"
)

const (
	approved = comment.StatusApproved
	pending  = comment.StatusPending
	spam     = comment.StatusSpam
	deleted  = comment.StatusDeleted
)

// fixture is one testdata file, read through a format's reader.
type fixture struct {
	name string
	open func(tb testing.TB, data []byte) (transfer.Reader, error)
	data func(tb testing.TB) []byte
}

// fixtures are the testdata files of every format.
func fixtures() []fixture {
	return []fixture{
		{"disqus", byteReader(NewDisqus), file("disqus.xml")},
		{"wordpress", byteReader(NewWordPress), file("wordpress.xml")},
		{"isso", openIssoBytes, issoFile},
		{"remark42", byteReader(NewRemark42), file("remark42.jsonl")},
		{"commento", byteReader(NewCommento), file("commento.json")},
		{"commento commenters first", byteReader(NewCommento), file("commento-commenters-first.json")},
	}
}

func byteReader(newReader func(io.Reader) transfer.Reader) func(testing.TB, []byte) (transfer.Reader, error) {
	return func(_ testing.TB, data []byte) (transfer.Reader, error) { return newReader(bytes.NewReader(data)), nil }
}

func file(name string) func(testing.TB) []byte {
	return func(tb testing.TB) []byte {
		tb.Helper()
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			tb.Fatal(err)
		}
		return data
	}
}

func gzipped(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// readAll reads r to the end and closes it if it is a Closer. The error
// is nil at io.EOF.
func readAll(tb testing.TB, r transfer.Reader) ([]transfer.Item, error) {
	tb.Helper()
	if c, ok := r.(io.Closer); ok {
		tb.Cleanup(func() {
			if err := c.Close(); err != nil {
				tb.Errorf("Close: %v", err)
			}
		})
	}
	var items []transfer.Item
	for range 100_000 {
		item, err := r.Next()
		if errors.Is(err, io.EOF) {
			return items, nil
		}
		if err != nil {
			return items, err
		}
		items = append(items, item)
	}
	tb.Fatal("reader never returned io.EOF")
	return nil, nil
}

// assertItems compares records one by one, so that a failure names the
// first record that differs.
func assertItems(tb testing.TB, got, want []transfer.Item) {
	tb.Helper()
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			tb.Errorf("record %d missing, want %s", i, show(want[i]))
		case i >= len(want):
			tb.Errorf("record %d extra: %s", i, show(got[i]))
		case !reflect.DeepEqual(got[i], want[i]):
			tb.Errorf("record %d\n got %s\nwant %s", i, show(got[i]), show(want[i]))
		}
	}
}

func show(item transfer.Item) string {
	switch v := item.(type) {
	case *transfer.Thread:
		return fmt.Sprintf("Thread%+v", *v)
	case *transfer.Comment:
		return fmt.Sprintf("Comment%+v", *v)
	}
	return fmt.Sprintf("%#v", item)
}

// clock parses RFC 3339 times for expected records, in UTC.
func clock(tb testing.TB) func(string) time.Time {
	return func(s string) time.Time {
		tb.Helper()
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			tb.Fatal(err)
		}
		return t.UTC()
	}
}

func TestReaders(t *testing.T) {
	tests := []struct {
		name    string
		open    func(testing.TB) (transfer.Reader, error)
		want    func(testing.TB) []transfer.Item
		skipped map[string]int
	}{
		{"disqus", openFixture(NewDisqus, "disqus.xml", false), disqusWant, map[string]int{}},
		{"disqus gzipped", openFixture(NewDisqus, "disqus.xml", true), disqusWant, map[string]int{}},
		{"wordpress", openFixture(NewWordPress, "wordpress.xml", false), wordpressWant,
			map[string]int{"pingback": 2, "trackback": 1, "comment on attachment": 1, "comment type review": 1}},
		{"isso", func(tb testing.TB) (transfer.Reader, error) { return NewIsso(buildIsso(tb)) }, issoWant, map[string]int{}},
		{"remark42", openFixture(NewRemark42, "remark42.jsonl", false), remark42Want, map[string]int{}},
		{"remark42 gzipped", openFixture(NewRemark42, "remark42.jsonl", true), remark42Want, map[string]int{}},
		{"commento", openFixture(NewCommento, "commento.json", false), commentoWant, map[string]int{}},
		{"commento gzipped", openFixture(NewCommento, "commento.json", true), commentoWant, map[string]int{}},
		{"commento commenters first", openFixture(NewCommento, "commento-commenters-first.json", false),
			commentoFirstWant, map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.open(t)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, r)
			if err != nil {
				t.Fatalf("after %d records: %v", len(got), err)
			}
			assertItems(t, got, tt.want(t))
			for _, item := range got {
				if c, ok := item.(*transfer.Comment); ok && c.CreatedAt.Location() != time.UTC {
					t.Errorf("%s: CreatedAt in %v, want UTC", c.Key, c.CreatedAt.Location())
				}
			}
			s, ok := r.(interface{ Skipped() map[string]int })
			if !ok {
				t.Fatal("reader has no Skipped method")
			}
			if got := s.Skipped(); !reflect.DeepEqual(got, tt.skipped) {
				t.Errorf("Skipped() = %v, want %v", got, tt.skipped)
			}
			if _, err := r.Next(); !errors.Is(err, io.EOF) {
				t.Errorf("Next after the end = %v, want io.EOF", err)
			}
		})
	}
}

func openFixture(newReader func(io.Reader) transfer.Reader, name string, gz bool) func(testing.TB) (transfer.Reader, error) {
	return func(tb testing.TB) (transfer.Reader, error) {
		tb.Helper()
		data := file(name)(tb)
		if gz {
			data = gzipped(tb, data)
		}
		return newReader(bytes.NewReader(data)), nil
	}
}

// TestTruncated cuts each fixture in the middle: the reader must fail
// with a SourceError, never end quietly.
func TestTruncated(t *testing.T) {
	for _, tt := range fixtures() {
		for _, gz := range []bool{false, true} {
			if gz && tt.name == "isso" {
				continue
			}
			t.Run(fmt.Sprintf("%s gzip=%v", tt.name, gz), func(t *testing.T) {
				data := tt.data(t)
				if gz {
					data = gzipped(t, data)
				}
				cut := len(data) / 2
				for cut < len(data) && (data[cut-1] == '\n' || data[cut] == '\n') {
					cut++ // mid-line, or a line-based format could end cleanly
				}
				r, err := tt.open(t, data[:cut])
				if err == nil {
					_, err = readAll(t, r)
				}
				var se *transfer.SourceError
				if !errors.As(err, &se) {
					t.Fatalf("err = %v, want a *transfer.SourceError", err)
				}
				t.Logf("%v", err)
			})
		}
	}
}
