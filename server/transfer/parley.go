package transfer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// ParleyVersion is the version of Parley's export format this Parley
// writes, and the newest it reads. docs/export.md describes the format.
const ParleyVersion = 1

// maxLine bounds one line of a Parley export.
const maxLine = 64 << 20

// Header is the first line of a Parley export.
type Header struct {
	Format  string `json:"format"` // always "parley"
	Version int    `json:"version"`
	Site    string `json:"site"` // the site exported
	// Instance names the database exported from; its comments' keys
	// start with "parley:<instance>:".
	Instance   string    `json:"instance,omitempty"`
	ExportedAt time.Time `json:"exported_at,omitzero"`
}

// record is one line after the header: a thread, a comment, or the end.
type record struct {
	Type string `json:"type"` // thread, comment or end
	Key  string `json:"key,omitempty"`

	URL    string `json:"url,omitempty"`
	Path   string `json:"path,omitempty"`
	Title  string `json:"title,omitempty"`
	Thread string `json:"thread,omitempty"`
	Parent string `json:"parent,omitempty"`

	Author           string    `json:"author,omitempty"`
	Email            string    `json:"email,omitempty"`
	Website          string    `json:"website,omitempty"`
	Body             string    `json:"body,omitempty"`
	HTML             string    `json:"html,omitempty"`
	Status           string    `json:"status,omitempty"`
	Official         bool      `json:"official,omitempty"`
	CreatedAt        time.Time `json:"created_at,omitzero"`
	EditedAt         time.Time `json:"edited_at,omitzero"`
	ReplyState       string    `json:"reply_state,omitempty"`
	AnsweredAt       time.Time `json:"answered_at,omitzero"`
	ReplySeconds     int64     `json:"reply_seconds,omitempty"`
	StateReason      string    `json:"state_reason,omitempty"`
	ModerationReason string    `json:"moderation_reason,omitempty"`
	FlagReason       string    `json:"flag_reason,omitempty"`
	DueAt            time.Time `json:"due_at,omitzero"`

	Threads  int `json:"threads,omitempty"`  // end: how many thread records came before
	Comments int `json:"comments,omitempty"` // end: how many comment records
}

// ParleyReader reads Parley's export format: JSON, one object per line.
type ParleyReader struct {
	r        *bufio.Reader
	line     int
	header   *Header
	ended    bool
	threads  int
	comments int
}

// NewParleyReader reads an export from r, plain or gzipped.
func NewParleyReader(r io.Reader) *ParleyReader {
	return &ParleyReader{r: bufio.NewReaderSize(r, 1<<20)}
}

// gunzip switches to reading through gzip if the input starts with its
// magic number.
func (p *ParleyReader) gunzip() error {
	if magic, _ := p.r.Peek(2); !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return nil
	}
	z, err := gzip.NewReader(p.r)
	if err != nil {
		return p.fail(err)
	}
	p.r = bufio.NewReaderSize(z, 1<<20)
	return nil
}

// Header returns the export's header, reading it if Next has not yet.
func (p *ParleyReader) Header() (Header, error) {
	if p.header != nil {
		return *p.header, nil
	}
	if p.line == 0 {
		if err := p.gunzip(); err != nil {
			return Header{}, err
		}
	}
	line, err := p.nextLine()
	if err != nil {
		if err == io.EOF {
			err = p.fail(errors.New("the file is empty"))
		}
		return Header{}, err
	}
	var h Header
	if jerr := json.Unmarshal(line, &h); jerr != nil || h.Format != FormatParley {
		return Header{}, p.fail(errors.New(`not a Parley export: the first line must be {"format":"parley",…}`))
	}
	if h.Version < 1 || h.Version > ParleyVersion {
		return Header{}, p.fail(fmt.Errorf("version %d of the format is not one this Parley reads (1 to %d)", h.Version, ParleyVersion))
	}
	p.header = &h
	return h, nil
}

// Next returns the next thread or comment, or io.EOF after the end record.
// A file that stops before its end record is truncated: an error.
func (p *ParleyReader) Next() (Item, error) {
	if _, err := p.Header(); err != nil {
		return nil, err
	}
	for {
		line, err := p.nextLine()
		if err == io.EOF {
			if !p.ended {
				return nil, p.fail(errors.New("the file ends without its end record: it is truncated"))
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		if p.ended {
			return nil, p.fail(errors.New("more data after the end record"))
		}
		var rec record
		if err := json.Unmarshal(line, &rec); err != nil {
			return nil, p.fail(fmt.Errorf("not a JSON object (%w); a file cut short ends like this", err))
		}
		switch rec.Type {
		case "thread":
			p.threads++
			return p.thread(rec)
		case "comment":
			p.comments++
			return p.comment(rec)
		case "end":
			if rec.Threads != p.threads || rec.Comments != p.comments {
				return nil, p.fail(fmt.Errorf("the end record counts %d threads and %d comments, the file holds %d and %d",
					rec.Threads, rec.Comments, p.threads, p.comments))
			}
			p.ended = true
		default:
			return nil, p.fail(fmt.Errorf("unknown record type %q", rec.Type))
		}
	}
}

func (p *ParleyReader) thread(rec record) (Item, error) {
	if rec.Key == "" {
		return nil, p.fail(errors.New("thread without a key"))
	}
	u := rec.URL
	if u == "" {
		u = rec.Path
	}
	return &Thread{Key: rec.Key, URL: u, Title: rec.Title, Author: rec.Author, CreatedAt: rec.CreatedAt}, nil
}

func (p *ParleyReader) comment(rec record) (Item, error) {
	if rec.Key == "" || rec.Thread == "" {
		return nil, p.fail(errors.New("comment without a key or thread"))
	}
	switch comment.Status(rec.Status) {
	case comment.StatusApproved, comment.StatusPending, comment.StatusSpam, comment.StatusHidden, comment.StatusDeleted:
	default:
		return nil, p.fail(fmt.Errorf("comment %q: unknown status %q", rec.Key, rec.Status))
	}
	switch comment.ReplyState(rec.ReplyState) {
	case "", comment.ReplyOpen, comment.ReplyAnswered, comment.ReplyNotNeeded, comment.ReplyStaff:
	default:
		return nil, p.fail(fmt.Errorf("comment %q: unknown reply state %q", rec.Key, rec.ReplyState))
	}
	return &Comment{Key: rec.Key, ThreadKey: rec.Thread, ParentKey: rec.Parent, Author: rec.Author,
		Email: rec.Email, Website: rec.Website, Body: rec.Body, Rendered: rec.HTML,
		Status: comment.Status(rec.Status), Official: rec.Official, CreatedAt: rec.CreatedAt,
		EditedAt: rec.EditedAt, ReplyState: comment.ReplyState(rec.ReplyState), AnsweredAt: rec.AnsweredAt,
		ReplyTime: time.Duration(rec.ReplySeconds) * time.Second, StateReason: rec.StateReason,
		ModerationReason: rec.ModerationReason, FlagReason: rec.FlagReason, DueAt: rec.DueAt}, nil
}

func (p *ParleyReader) fail(err error) error {
	return &SourceError{Where: fmt.Sprintf("line %d", p.line), Err: err}
}

// nextLine returns the next line that is not blank, or io.EOF. The line
// is valid until the next call.
func (p *ParleyReader) nextLine() ([]byte, error) {
	for {
		p.line++
		var long []byte
		for {
			part, err := p.r.ReadSlice('\n')
			if err == bufio.ErrBufferFull {
				if long = append(long, part...); len(long) > maxLine {
					return nil, p.fail(fmt.Errorf("line longer than %d MB", maxLine>>20))
				}
				continue
			}
			line := part
			if long != nil {
				line = append(long, part...)
			}
			if err != nil && err != io.EOF {
				return nil, p.fail(err)
			}
			if len(bytes.TrimSpace(line)) > 0 {
				return line, nil // a last line without its newline is read like any other
			}
			if err == io.EOF {
				return nil, io.EOF
			}
			break
		}
	}
}
