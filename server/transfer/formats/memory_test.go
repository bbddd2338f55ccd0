package formats

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/parleyhq/parley/server/transfer"
)

// repeated reads head, then body n times, then tail, holding nothing more.
type repeated struct {
	head, body, tail string
	n                int    // bodies still to read
	rest             string // the unread part of the current piece
	piece            int    // 0 head, 1 bodies, 2 tail, 3 done
}

func (r *repeated) Read(p []byte) (int, error) {
	for r.rest == "" {
		switch {
		case r.piece == 0:
			r.rest, r.piece = r.head, 1
		case r.piece == 1 && r.n > 0:
			r.rest, r.n = r.body, r.n-1
		case r.piece == 1:
			r.rest, r.piece = r.tail, 2
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}

// TestBoundedMemory streams 8 MB through each byte-stream reader that could
// be tempted to hold a file, and checks that the live heap stays far below.
func TestBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 8 MB per format")
	}
	const size = 8 << 20
	disqusBlock := string(bytes.TrimPrefix(disqusExport(t, 8<<10), []byte(disqusHead)))
	disqusBlock = strings.TrimSuffix(disqusBlock, "</disqus>\n")
	remarkLine := `{"id":"x","pid":"","text":"<p>` + strings.Repeat("Zażółć gęślą jaźń. ", 20) + `</p>","user":{"name":"Ana","id":"github_1"},"locator":{"site":"s","url":"https://example.com/a/"},"time":"2019-01-09T11:08:01Z"}` + "\n"
	commentoItem := commentoJSON("ab", `,"markdown":"`+strings.Repeat("Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. ", 10)+`"`) + ","
	wxrItem := "<item><link>https://example.com/a/</link><wp:post_id>9</wp:post_id>\n" +
		strings.Repeat(wxrComment("<wp:comment_date_gmt>2013-09-12 15:04:05</wp:comment_date_gmt>"+
			"<wp:comment_approved>1</wp:comment_approved><wp:comment_content><![CDATA["+
			strings.Repeat("Gojazni đačić s biciklom drži hmelj. ", 10)+"]]></wp:comment_content>")+"\n", 10) + "</item>\n"
	tests := []struct {
		name string
		open func() transfer.Reader
	}{
		{"disqus", func() transfer.Reader {
			return NewDisqus(&repeated{head: disqusHead, body: disqusBlock, tail: "</disqus>\n", n: size / len(disqusBlock)})
		}},
		{"wordpress", func() transfer.Reader {
			return NewWordPress(&repeated{head: wxrHead, body: wxrItem, tail: "</channel></rss>", n: size / len(wxrItem)})
		}},
		{"remark42", func() transfer.Reader {
			return NewRemark42(&repeated{head: `{"version":1}` + "\n", body: remarkLine, n: size / len(remarkLine)})
		}},
		{"commento, spooled", func() transfer.Reader {
			return newCommento(&repeated{head: `{"version":1,"comments":[`, body: commentoItem,
				tail: commentoJSON("cd", "") + `],"commenters":[]}`, n: size / len(commentoItem)}, t.TempDir())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.open()
			var peak uint64
			var ms runtime.MemStats
			for n := 0; ; n++ {
				_, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if n%2000 == 0 {
					runtime.GC() // live memory, not garbage not yet collected
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapAlloc)
				}
			}
			t.Logf("peak live heap %.1f MB", float64(peak)/(1<<20))
			if peak > size/8 {
				t.Errorf("peak live heap %d bytes for a %d-byte input", peak, size)
			}
		})
	}
}
