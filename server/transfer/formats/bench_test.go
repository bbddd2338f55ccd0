package formats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
)

// disqusExport generates a Disqus export of about size bytes: threads of
// twenty posts each, every other post a reply, with non-ASCII text.
func disqusExport(tb testing.TB, size int) []byte {
	tb.Helper()
	var b bytes.Buffer
	b.WriteString(disqusHead)
	for t := 0; b.Len() < size; t++ {
		fmt.Fprintf(&b, `  <thread dsq:id="%d">
    <id />
    <forum>bench</forum>
    <link>https://example.com/%d/</link>
    <title>Post %d: Kraków, Θεσσαλονίκη &amp; Split</title>
    <createdAt>2013-09-12T15:04:05Z</createdAt>
    <isClosed>false</isClosed>
    <isDeleted>false</isDeleted>
  </thread>
`, t, t, t)
		for p := range 20 {
			id := t*20 + p
			parent := ""
			if p%2 == 1 {
				parent = fmt.Sprintf(`<parent dsq:id="%d" />`, id-1)
			}
			fmt.Fprintf(&b, `  <post dsq:id="%d">
    <id />
    <message><![CDATA[<p>Comment %d. Zażółć gęślą jaźń — Ξεσκεπάζω την ψυχοφθόρα βδελυγμία — Gojazni đačić s biciklom drži hmelj i finu vatu u džepu nošnje.</p><p>Second paragraph with a <a href="https://example.org/%d">link</a>.</p>]]></message>
    <createdAt>2013-09-12T15:%02d:%02dZ</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>false</isSpam>
    <author>
      <email>reader%d@example.com</email>
      <name>Reader %d</name>
      <isAnonymous>false</isAnonymous>
      <username>reader%d</username>
    </author>
    <ipAddress>198.51.100.%d</ipAddress>
    <thread dsq:id="%d" />
    %s
  </post>
`, id, id, id, p, id%60, id%1000, id%1000, id%1000, id%256, t, parent)
		}
	}
	b.WriteString("</disqus>\n")
	return b.Bytes()
}

// BenchmarkDisqus reads a 10 MB export; allocs/op and B/op are per file.
func BenchmarkDisqus(b *testing.B) {
	data := disqusExport(b, 10<<20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var records int
	for b.Loop() {
		records = 0
		r := NewDisqus(bytes.NewReader(data))
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			records++
		}
	}
	b.ReportMetric(float64(records), "records/op")
}

// TestDisqusExport checks the benchmark's generated file reads cleanly.
func TestDisqusExport(t *testing.T) {
	items, err := readAll(t, NewDisqus(bytes.NewReader(disqusExport(t, 64<<10))))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) < 100 {
		t.Errorf("%d records, want over 100", len(items))
	}
}
