package formats

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"github.com/parleyhq/parley/server/transfer"
)

// stream is what every reader shares: records decoded ahead of Next, a
// sticky error and the skip counts.
type stream struct {
	queue   []transfer.Item
	head    int
	err     error // io.EOF after the last record; returned again by every later Next
	skipped map[string]int
}

// push queues records for Next, in order.
func (s *stream) push(items ...transfer.Item) { s.queue = append(s.queue, items...) }

// skip counts a comment left out on purpose.
func (s *stream) skip(reason string) {
	if s.skipped == nil {
		s.skipped = make(map[string]int)
	}
	s.skipped[reason]++
}

// Skipped returns how many comments were left out on purpose, by reason.
// It is complete once Next has returned io.EOF.
func (s *stream) Skipped() map[string]int {
	out := make(map[string]int, len(s.skipped))
	for k, v := range s.skipped {
		out[k] = v
	}
	return out
}

// next runs step until it queues a record or fails. Once it has failed,
// io.EOF included, every call returns the same error.
func (s *stream) next(step func() error) (transfer.Item, error) {
	for s.head == len(s.queue) {
		if s.err != nil {
			return nil, s.err
		}
		s.queue, s.head = s.queue[:0], 0
		s.err = step()
	}
	item := s.queue[s.head]
	s.queue[s.head] = nil
	s.head++
	return item, nil
}

// decompressed returns r, gunzipped if it starts with gzip's magic number.
func decompressed(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, &transfer.SourceError{Where: "line 1", Err: err}
	}
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &transfer.SourceError{Where: "gzip header", Err: err}
		}
		return zr, nil
	}
	return br, nil
}

// lineCounter turns a json.Decoder's input offsets into line numbers.
// The decoder reads ahead, so it keeps the bytes read since the last
// question; asked at every record, that is a record and a buffer.
type lineCounter struct {
	r    io.Reader
	kept []byte // read but not yet counted; kept[0] is at offset base
	base int64
	line int // the line at base, from 1
}

// Read reads from the source and keeps a copy for lineAt.
func (l *lineCounter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.kept = append(l.kept, p[:n]...)
	return n, err
}

// lineAt returns the line of offset off. Offsets must not go backwards.
// With value set, it first steps over white space and one comma, so that
// an offset between two array elements gives the second one's line.
func (l *lineCounter) lineAt(off int64, value bool) int {
	k := int(min(max(off-l.base, 0), int64(len(l.kept))))
	if value {
		k = skipSpace(l.kept, k)
		if k < len(l.kept) && l.kept[k] == ',' {
			k = skipSpace(l.kept, k+1)
		}
	}
	l.line += bytes.Count(l.kept[:k], []byte{'\n'})
	l.kept = l.kept[:copy(l.kept, l.kept[k:])]
	l.base += int64(k)
	return l.line
}

// skipSpace returns the index of the first byte from i on that is not JSON white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// atLine builds a SourceError at a line, naming the record if known.
func atLine(line int, record string, err error) *transfer.SourceError {
	where := fmt.Sprintf("line %d", line)
	if record != "" {
		where += " (" + record + ")"
	}
	return &transfer.SourceError{Where: where, Err: err}
}
