package formats

import (
	"bufio"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/transfer"
)

// commento reads a Commento export: one JSON object holding "comments"
// and "commenters". Commento writes the commenters last, but a comment
// needs its commenter's name, so comments met before the commenters are
// spooled to a temporary file (one JSON line each) and replayed after.
type commento struct {
	stream
	src        io.Reader
	tempDir    string // for the spool; "" is os.TempDir
	js         *jsonStream
	state      commentoState
	commenters map[string]commentoCommenter // by commenterHex; nil until read
	n          int                          // comments read, to name them in errors
	seen       map[string]bool              // thread URLs emitted
	spool      *os.File
	spoolW     *bufio.Writer
	spoolDec   *json.Decoder
}

type commentoState int

const (
	commentoStart    commentoState = iota // before the opening brace
	commentoTop                           // between the top-level keys
	commentoComments                      // in "comments", commenters known: emitting
	commentoReplay                        // at the end, replaying the spool
)

// commentoComment is a comment as Commento exports it. Commento names the
// path "url"; "path" is accepted too.
type commentoComment struct {
	CommentHex   string `json:"commentHex"`
	Domain       string `json:"domain"`
	URL          string `json:"url"`
	Path         string `json:"path"`
	CommenterHex string `json:"commenterHex"`
	Markdown     string `json:"markdown"`
	HTML         string `json:"html"`
	ParentHex    string `json:"parentHex"`
	State        string `json:"state"`
	CreationDate string `json:"creationDate"`
	Deleted      bool   `json:"deleted"`
}

// commentoCommenter is the part of a commenter the import uses.
type commentoCommenter struct {
	CommenterHex string `json:"commenterHex"`
	Email        string `json:"email"`
	Name         string `json:"name"`
	Link         string `json:"link"`
	IsModerator  bool   `json:"isModerator"`
}

// NewCommento returns a reader of a Commento JSON export (plain, or
// gzipped as Commento hands it out).
//
// The reader is an io.Closer: Commento writes its commenters after its
// comments, and the reader then keeps the comments in a temporary file
// (in os.TempDir) until it has the commenters, removing it at the end.
// Call Close if you stop before io.EOF. Memory holds the commenters (a
// few fields each) and the set of thread URLs, never the comments.
//
// Threads, keyed "commento:url:<url>", are emitted before the first
// comment on each page; URL is "https://" + domain + path. Comments are
// keyed "commento:<commentHex>". The body is the Markdown when there is
// some, else the HTML. A moderator's comment is Official. "unapproved"
// and "flagged" are pending and a deleted comment is deleted. Anonymous
// comments, and those whose commenter is not in the file, have no author.
func NewCommento(r io.Reader) transfer.Reader { return newCommento(r, "") }

// newCommento is NewCommento with the spool in dir ("" is os.TempDir).
func newCommento(r io.Reader, dir string) *commento {
	return &commento{src: r, tempDir: dir, seen: make(map[string]bool)}
}

// Next returns the next thread or comment, or io.EOF after the last.
func (r *commento) Next() (transfer.Item, error) {
	item, err := r.next(r.step)
	if err != nil {
		r.removeSpool()
	}
	return item, err
}

// Close removes the temporary file, if there is one. It is safe to call
// more than once.
func (r *commento) Close() error { return r.removeSpool() }

// step reads on from wherever the document is.
func (r *commento) step() error {
	switch r.state {
	case commentoStart:
		js, err := newJSONStream(r.src)
		if err != nil {
			return err
		}
		r.js, r.state = js, commentoTop
		if err := js.expect('{'); err != nil {
			return atLine(js.line(), "", err)
		}
		return nil
	case commentoTop:
		return r.top()
	case commentoComments:
		if !r.js.dec.More() {
			return r.endComments()
		}
		line, cc, err := r.readComment()
		if err != nil {
			return err
		}
		return r.emit(line, r.n, cc)
	default: // commentoReplay
		return r.replay()
	}
}

// top reads the next top-level key and acts on it.
func (r *commento) top() error {
	line := r.js.line()
	key, ok, err := r.js.key()
	if err != nil {
		return atLine(line, "", err)
	}
	if !ok {
		return r.finish()
	}
	switch key {
	case "version":
		var v int
		if err := r.js.decode(&v); err != nil {
			return atLine(line, "", fmt.Errorf("version: %w", err))
		}
		if v != 1 {
			return atLine(line, "", fmt.Errorf("version %d is not 1", v))
		}
	case "commenters":
		return r.readCommenters()
	case "comments":
		if err := r.js.expect('['); err != nil {
			return atLine(line, "", fmt.Errorf("comments: %w", err))
		}
		if r.commenters != nil {
			r.state = commentoComments
			return nil
		}
		return r.spoolComments()
	default:
		if err := r.js.skip(); err != nil {
			return atLine(line, "", fmt.Errorf("%s: %w", key, err))
		}
	}
	return nil
}

// readCommenters reads "commenters" into the map.
func (r *commento) readCommenters() error {
	line := r.js.line()
	if err := r.js.expect('['); err != nil {
		return atLine(line, "", fmt.Errorf("commenters: %w", err))
	}
	if r.commenters == nil {
		r.commenters = make(map[string]commentoCommenter)
	}
	for i := 1; r.js.dec.More(); i++ {
		line = r.js.line()
		var c commentoCommenter
		if err := r.js.decode(&c); err != nil {
			return atLine(line, fmt.Sprintf("commenter %d", i), err)
		}
		// Commento writes a commenter once per comment; keep one.
		r.commenters[c.CommenterHex] = c
	}
	if err := r.js.expect(']'); err != nil {
		return atLine(r.js.line(), "", fmt.Errorf("commenters: %w", err))
	}
	return nil
}

// readComment decodes the next element of "comments", checking it.
func (r *commento) readComment() (int, commentoComment, error) {
	line := r.js.line()
	r.n++
	var cc commentoComment
	if err := r.js.decode(&cc); err != nil {
		return line, cc, atLine(line, fmt.Sprintf("comment %d", r.n), err)
	}
	if _, _, err := r.convert(line, r.n, cc); err != nil {
		return line, cc, err
	}
	return line, cc, nil
}

// endComments reads the end of "comments".
func (r *commento) endComments() error {
	if err := r.js.expect(']'); err != nil {
		return atLine(r.js.line(), "", fmt.Errorf("comments: %w", err))
	}
	r.state = commentoTop
	return nil
}

// emit queues a comment, and its thread if it is the page's first.
func (r *commento) emit(line, n int, cc commentoComment) error {
	th, c, err := r.convert(line, n, cc)
	if err != nil {
		return err
	}
	if !r.seen[th.URL] {
		r.seen[th.URL] = true
		r.push(th)
	}
	r.push(c)
	return nil
}

// convert makes records of cc, with its author if the commenters are
// known; an error names the comment and its line.
func (r *commento) convert(line, n int, cc commentoComment) (*transfer.Thread, *transfer.Comment, error) {
	th, c, err := cc.records()
	if err != nil {
		return nil, nil, atLine(line, fmt.Sprintf("comment %d, commentHex %s", n, cc.CommentHex), err)
	}
	if who, ok := r.commenters[cc.CommenterHex]; ok && cc.CommenterHex != "anonymous" {
		c.Author, c.Email, c.Official = who.Name, who.Email, who.IsModerator
		if who.Link != "undefined" { // Commento's placeholder for no link
			c.Website = who.Link
		}
	}
	return th, c, nil
}

// records makes the comment's thread and the comment, without its author.
func (cc *commentoComment) records() (*transfer.Thread, *transfer.Comment, error) {
	if cc.CommentHex == "" {
		return nil, nil, errors.New(`comment has no "commentHex"`)
	}
	if cc.Domain == "" {
		return nil, nil, errors.New(`comment has no "domain"`)
	}
	path := cmp.Or(cc.URL, cc.Path)
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	th := &transfer.Thread{URL: "https://" + cc.Domain + path}
	th.Key = "commento:url:" + th.URL
	c := &transfer.Comment{Key: "commento:" + cc.CommentHex, ThreadKey: th.Key, Body: cc.Markdown}
	if c.Body == "" {
		c.Body, c.HTML = cc.HTML, true
	}
	if cc.ParentHex != "" && cc.ParentHex != "root" {
		c.ParentKey = "commento:" + cc.ParentHex
	}
	var err error
	if c.CreatedAt, err = rfc3339("creationDate", cc.CreationDate); err != nil {
		return nil, nil, err
	}
	switch {
	case cc.Deleted:
		c.Status = comment.StatusDeleted
	case cc.State == "approved" || cc.State == "":
		c.Status = comment.StatusApproved
	case cc.State == "unapproved" || cc.State == "flagged":
		c.Status = comment.StatusPending
	default:
		return nil, nil, fmt.Errorf("state %q is not approved, unapproved or flagged", cc.State)
	}
	return th, c, nil
}
