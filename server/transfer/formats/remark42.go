package formats

import (
	"errors"
	"fmt"
	"io"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/transfer"
)

// remark42 reads a Remark42 backup: a line of metadata, then one comment
// per line.
type remark42 struct {
	stream
	src  io.Reader
	js   *jsonStream
	seen map[string]bool // thread URLs emitted
}

// remarkComment is the part of a Remark42 comment the import uses.
type remarkComment struct {
	ID   string `json:"id"`
	PID  string `json:"pid"`
	Text string `json:"text"` // HTML, rendered by Remark42
	Orig string `json:"orig"` // the Markdown the commenter wrote
	User struct {
		Name  string `json:"name"`
		ID    string `json:"id"`
		Admin bool   `json:"admin"`
	} `json:"user"`
	Locator struct {
		URL string `json:"url"`
	} `json:"locator"`
	Time   string `json:"time"`
	Delete bool   `json:"delete"`
	Title  string `json:"title"`
}

// NewRemark42 returns a reader of a Remark42 backup file (plain, or
// gzipped as Remark42 writes it).
//
// Remark42 has no thread records: a thread keyed "remark42:url:<url>" is
// emitted before the first comment on each locator URL, titled from that
// comment's "title". Comments are keyed "remark42:<id>". The body is the
// Markdown source ("orig") when there is one, else the rendered HTML. An
// admin's comment is Official; a deleted one is deleted; all others are
// approved. Remark42 keeps no email addresses (a user ID such as
// "email_<hash>" is not one), so Email is empty. A user Remark42 has
// erased (ID "deleted") becomes anonymous.
//
// A backup cut off exactly at the end of a line cannot be told from a
// shorter backup; a line cut in the middle is a *transfer.SourceError.
func NewRemark42(r io.Reader) transfer.Reader {
	return &remark42{src: r, seen: make(map[string]bool)}
}

// Next returns the next thread or comment, or io.EOF after the last.
func (r *remark42) Next() (transfer.Item, error) { return r.next(r.step) }

// step reads the next line: the metadata first, then a comment.
func (r *remark42) step() error {
	if r.js == nil {
		js, err := newJSONStream(r.src)
		if err != nil {
			return err
		}
		r.js = js
		return r.meta()
	}
	line := r.js.line()
	var rc remarkComment
	if err := r.js.dec.Decode(&rc); errors.Is(err, io.EOF) {
		return io.EOF
	} else if err != nil {
		return atLine(line, "", err)
	}
	record := ""
	if rc.ID != "" {
		record = "comment " + rc.ID
	}
	c, err := rc.toComment()
	if err != nil {
		return atLine(line, record, err)
	}
	if url := rc.Locator.URL; !r.seen[url] {
		r.seen[url] = true
		r.push(&transfer.Thread{Key: c.ThreadKey, URL: url, Title: rc.Title})
	}
	r.push(c)
	return nil
}

// meta reads the first line, {"version":1,"users":[…],"posts":[…]}, token
// by token: its lists of users and posts grow with the site, and the
// import needs neither.
func (r *remark42) meta() error {
	line := r.js.line()
	if err := r.js.expect('{'); err != nil {
		return atLine(line, "", err)
	}
	version := -1
	for {
		key, ok, err := r.js.key()
		if err != nil {
			return atLine(line, "", err)
		}
		if !ok {
			break
		}
		if key == "version" {
			err = r.js.decode(&version)
		} else {
			err = r.js.skip()
		}
		if err != nil {
			return atLine(line, "", fmt.Errorf("%s: %w", key, err))
		}
	}
	switch version {
	case 0, 1: // 0 is what Remark42 itself still accepts
		return nil
	case -1:
		return atLine(line, "", errors.New(`no "version": not a Remark42 backup`))
	}
	return atLine(line, "", fmt.Errorf("version %d is not 1", version))
}

// toComment checks rc and makes a Comment of it.
func (rc *remarkComment) toComment() (*transfer.Comment, error) {
	if rc.ID == "" {
		return nil, errors.New(`comment has no "id"`)
	}
	if rc.Locator.URL == "" {
		return nil, errors.New(`comment has no "locator"."url"`)
	}
	c := &transfer.Comment{
		Key:       "remark42:" + rc.ID,
		ThreadKey: "remark42:url:" + rc.Locator.URL,
		Author:    rc.User.Name,
		Body:      rc.Orig,
		Official:  rc.User.Admin,
		Status:    comment.StatusApproved,
	}
	if c.Body == "" {
		c.Body, c.HTML = rc.Text, true
	}
	if rc.User.ID == "deleted" { // Remark42's stand-in for a user it has erased
		c.Author = ""
	}
	if rc.PID != "" {
		c.ParentKey = "remark42:" + rc.PID
	}
	if rc.Delete {
		c.Status = comment.StatusDeleted
	}
	var err error
	c.CreatedAt, err = rfc3339("time", rc.Time)
	return c, err
}
