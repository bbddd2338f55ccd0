// Package transfer moves comments in and out of Parley: the records every
// import format is read into, the import itself (batched, idempotent, all
// or nothing), and Parley's own export format. The readers of other
// systems' exports live in transfer/formats.
//
// It imports comment and markup; the store satisfies its Store.
package transfer

import (
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// Thread is a page with comments, as a source knows it.
type Thread struct {
	Key       string // the source's ID of the thread, unique within the file
	URL       string // the page address (rewritten by -map-url)
	Title     string
	CreatedAt time.Time // zero if the source does not say
	Author    string    // the post's author, for routing; Parley's own format only
}

// Comment is one comment, as a source knows it.
type Comment struct {
	// Key is the import key: the source's ID prefixed with the format's
	// name ("disqus:123"), unique within the file and across systems. With
	// the site it makes imports idempotent.
	Key       string
	ThreadKey string
	ParentKey string // "" for a top-level comment
	Author    string // "" for anonymous
	Email     string // private, as in Parley
	Website   string
	// Body is the text; HTML says whether it is HTML (sanitised with the
	// policy of new comments) rather than Markdown.
	Body      string
	HTML      bool
	Status    comment.Status // approved, pending, spam, hidden or deleted ("" is approved)
	Official  bool           // written by the site's staff
	CreatedAt time.Time

	// The fields below restore what only Parley's own format carries;
	// other readers leave them zero and Import derives what it needs.

	// Rendered is Body as HTML (sanitised again on import); "" renders Body.
	Rendered string
	// ReplyState "" derives the state: staff for official comments,
	// answered for those with an official reply in the import, else open.
	ReplyState       comment.ReplyState
	AnsweredAt       time.Time
	ReplyTime        time.Duration
	StateReason      string
	ModerationReason string
	FlagReason       string
	EditedAt         time.Time
	DueAt            time.Time
}

// Item is one record of a source: a *Thread or a *Comment. A source yields
// each thread before the comments that name it, or names threads only by
// their Key and URL in the comment's ThreadKey (see Reader).
type Item interface{ isItem() }

func (*Thread) isItem()  {}
func (*Comment) isItem() {}

// Reader streams the records of a source file.
type Reader interface {
	// Next returns the next record, or io.EOF after the last. An error
	// for a malformed file is a *SourceError naming where.
	Next() (Item, error)
}

// SourceError is a malformed or truncated source: where (a line, a record
// number, a row ID) and what is wrong.
type SourceError struct {
	Where string // such as "line 1234" or "record 57" or "comment id 88"
	Err   error
}

func (e *SourceError) Error() string { return "transfer: " + e.Where + ": " + e.Err.Error() }

func (e *SourceError) Unwrap() error { return e.Err }
