package formats

import (
	"errors"
	"io"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/transfer"
)

// disqus reads a Disqus XML export: <category>, <thread> and <post>
// elements under <disqus>, threads first.
type disqus struct {
	stream
	src io.Reader
	x   *xmlScanner
}

// NewDisqus returns a reader of a Disqus XML export (plain or gzipped).
//
// Threads are keyed "disqus:thread:<dsq:id>" and posts "disqus:<dsq:id>".
// Bodies are HTML. A post's isDeleted makes it deleted and isSpam makes it
// spam; any other post is approved. Disqus does not say who is staff, so
// no comment is Official. A thread marked isDeleted is still emitted and
// its posts keep their own state: Thread has no state, and Disqus often
// marks a thread deleted when only its page moved. A post whose thread is
// not in the file is emitted all the same; the importer decides.
func NewDisqus(r io.Reader) transfer.Reader { return &disqus{src: r} }

// Next returns the next thread or post, or io.EOF after the last.
func (r *disqus) Next() (transfer.Item, error) { return r.next(r.step) }

// step reads the next child of <disqus>.
func (r *disqus) step() error {
	if r.x == nil {
		src, err := decompressed(r.src)
		if err != nil {
			return err
		}
		r.x = newXMLScanner(src)
		return r.x.root("disqus")
	}
	ok, err := r.x.child()
	switch {
	case err != nil:
		return r.x.fail(err, "")
	case !ok: // </disqus>
		return r.x.end()
	}
	switch string(r.x.local) {
	case "thread":
		th, err := r.thread()
		if err != nil {
			return err
		}
		r.push(th)
	case "post":
		c, err := r.post()
		if err != nil {
			return err
		}
		r.push(c)
	default: // <category>, and anything newer
		if err := r.x.skip(); err != nil {
			return r.x.fail(err, "")
		}
	}
	return nil
}

// thread reads a <thread> just started.
func (r *disqus) thread() (*transfer.Thread, error) {
	id := r.x.attr("id")
	record := "thread " + id
	if id == "" {
		return nil, r.x.fail(errors.New("<thread> has no dsq:id"), "")
	}
	th := &transfer.Thread{Key: "disqus:thread:" + id}
	err := r.x.children(func(local []byte) error {
		var err error
		switch string(local) {
		case "link":
			th.URL, err = r.x.text()
		case "title":
			th.Title, err = r.x.text()
		case "createdAt":
			var s string
			if s, err = r.x.text(); err == nil && s != "" {
				th.CreatedAt, err = rfc3339("createdAt", s)
			}
		default:
			err = r.x.skip()
		}
		return err
	})
	if err != nil {
		return nil, r.x.fail(err, record)
	}
	if th.URL == "" {
		return nil, r.x.fail(errors.New("thread has no <link>"), record)
	}
	return th, nil
}

// disqusPost is a <post> as read, before it becomes a Comment.
type disqusPost struct {
	c                    transfer.Comment
	dated, deleted, spam bool
	thread, message      string
}

// post reads a <post> just started.
func (r *disqus) post() (*transfer.Comment, error) {
	id := r.x.attr("id")
	record := "post " + id
	if id == "" {
		return nil, r.x.fail(errors.New("<post> has no dsq:id"), "")
	}
	var p disqusPost
	if err := r.x.children(func(local []byte) error { return r.postField(&p, local) }); err != nil {
		return nil, r.x.fail(err, record)
	}
	c := &p.c
	c.Key, c.Body, c.HTML = "disqus:"+id, p.message, true
	if p.thread == "" {
		return nil, r.x.fail(errors.New("post has no <thread dsq:id>"), record)
	}
	c.ThreadKey = "disqus:thread:" + p.thread
	if !p.dated {
		return nil, r.x.fail(errors.New("post has no <createdAt>"), record)
	}
	switch {
	case p.deleted:
		c.Status = comment.StatusDeleted
	case p.spam:
		c.Status = comment.StatusSpam
	default:
		c.Status = comment.StatusApproved
	}
	return c, nil
}

// postField reads one child of a <post>, skipping those not needed.
func (r *disqus) postField(p *disqusPost, local []byte) error {
	var err error
	switch string(local) {
	case "message":
		p.message, err = r.x.text()
	case "createdAt":
		var s string
		if s, err = r.x.text(); err == nil {
			p.dated = true
			p.c.CreatedAt, err = rfc3339("createdAt", s)
		}
	case "isDeleted":
		p.deleted, err = r.x.flag("isDeleted")
	case "isSpam":
		p.spam, err = r.x.flag("isSpam")
	case "thread":
		p.thread = r.x.attr("id")
		err = r.x.skip()
	case "parent":
		if parent := r.x.attr("id"); parent != "" {
			p.c.ParentKey = "disqus:" + parent
		}
		err = r.x.skip()
	case "author":
		err = r.x.children(func(local []byte) error {
			var err error
			switch string(local) {
			case "name":
				p.c.Author, err = r.x.text()
			case "email":
				p.c.Email, err = r.x.text()
			default: // username, isAnonymous, link
				err = r.x.skip()
			}
			return err
		})
	default: // id, ipAddress, isClosed and the like
		err = r.x.skip()
	}
	return err
}
