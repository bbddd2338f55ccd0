package formats

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// spooled is a comment waiting in the spool, with where it was read.
type spooled struct {
	Line, N int
	C       commentoComment
}

// finish reads the end of the document, after the closing brace, and
// starts the replay if comments were spooled.
func (r *commento) finish() error {
	if err := r.js.end(); err != nil {
		return atLine(r.js.line(), "", err)
	}
	if r.spool == nil {
		return io.EOF
	}
	if err := r.spoolW.Flush(); err != nil {
		return fmt.Errorf("formats: commento: write spool: %w", err)
	}
	if _, err := r.spool.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("formats: commento: rewind spool: %w", err)
	}
	r.spoolDec, r.state = json.NewDecoder(bufio.NewReader(r.spool)), commentoReplay
	return nil
}

// spoolComments writes every comment to the temporary file, in order.
func (r *commento) spoolComments() error {
	f, err := os.CreateTemp(r.tempDir, "parley-commento-*.jsonl")
	if err != nil {
		return fmt.Errorf("formats: commento: create spool: %w", err)
	}
	r.spool, r.spoolW = f, bufio.NewWriter(f)
	enc := json.NewEncoder(r.spoolW)
	for r.js.dec.More() {
		line, cc, err := r.readComment()
		if err != nil {
			return err
		}
		if err := enc.Encode(spooled{Line: line, N: r.n, C: cc}); err != nil {
			return fmt.Errorf("formats: commento: write spool: %w", err)
		}
	}
	return r.endComments()
}

// replay emits the next spooled comment, now that the commenters are known.
func (r *commento) replay() error {
	var s spooled
	if err := r.spoolDec.Decode(&s); errors.Is(err, io.EOF) {
		return io.EOF
	} else if err != nil {
		return fmt.Errorf("formats: commento: read spool: %w", err)
	}
	return r.emit(s.Line, s.N, s.C)
}

// removeSpool closes and deletes the temporary file, if any.
func (r *commento) removeSpool() error {
	if r.spool == nil {
		return nil
	}
	name := r.spool.Name()
	err := errors.Join(r.spool.Close(), os.Remove(name))
	r.spool, r.spoolW, r.spoolDec = nil, nil, nil
	if err != nil {
		return fmt.Errorf("formats: commento: remove spool: %w", err)
	}
	return nil
}
