package transfer

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// ProgressBar shows an import's progress: on a terminal one line redrawn
// in place (at most five times a second), elsewhere (a log) one line every
// five seconds. Its Update is an Options.Progress.
type ProgressBar struct {
	w     io.Writer
	tty   bool
	size  int64        // bytes in the source; 0 if unknown
	read  func() int64 // bytes read so far; nil if unknown
	now   func() time.Time
	start time.Time
	last  time.Time
	drawn bool
	p     Progress
}

// NewProgressBar writes progress to w, a terminal if tty. size and read
// (which must be safe to call from another goroutine) give the share of
// the source read and so the time left; without them the bar shows counts
// and the rate only.
func NewProgressBar(w io.Writer, tty bool, size int64, read func() int64, now func() time.Time) *ProgressBar {
	t := now()
	return &ProgressBar{w: w, tty: tty, size: size, read: read, now: now, start: t, last: t}
}

// Update records the progress and redraws the bar when it is time.
func (b *ProgressBar) Update(p Progress) {
	b.p = p
	every := 5 * time.Second
	if b.tty {
		every = 200 * time.Millisecond
	}
	if t := b.now(); t.Sub(b.last) >= every {
		b.last = t
		b.draw()
	}
}

// Done draws the final state and ends the line.
func (b *ProgressBar) Done() {
	if b.drawn || b.p.Records > 0 {
		b.draw()
		if b.tty {
			fmt.Fprintln(b.w)
		}
	}
}

func (b *ProgressBar) draw() {
	b.drawn = true
	if b.tty {
		fmt.Fprintf(b.w, "\r%s\x1b[K", b.Line())
		return
	}
	fmt.Fprintln(b.w, b.Line())
}

// Line is the bar's text: counts, the rate, and the share done and time
// left when the size of the source is known.
func (b *ProgressBar) Line() string {
	elapsed := b.now().Sub(b.start)
	parts := []string{
		thousands(b.p.Comments) + " comments", thousands(b.p.Threads) + " new threads",
		thousands(b.p.Skipped) + " skipped",
	}
	if s := elapsed.Seconds(); s > 0 {
		parts = append(parts, thousands(int(float64(b.p.Records)/s))+" records/s")
	}
	if b.size > 0 && b.read != nil {
		done := min(float64(b.read())/float64(b.size), 1)
		part := fmt.Sprintf("%3.0f%%", 100*done)
		if done > 0 && done < 1 {
			left := time.Duration(float64(elapsed) * (1 - done) / done)
			part += " " + left.Round(time.Second).String() + " left"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "  ")
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// CountingReader counts the bytes read through it, for a ProgressBar (which
// reads the count from another goroutine).
type CountingReader struct {
	R io.Reader
	n atomic.Int64
}

func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Count is how many bytes have been read.
func (c *CountingReader) Count() int64 { return c.n.Load() }
