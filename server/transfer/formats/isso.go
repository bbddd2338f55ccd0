package formats

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/transfer"
)

// isso reads an Isso SQLite database: every thread, then every comment.
type isso struct {
	stream
	path     string
	db       *sql.DB
	rows     *sql.Rows
	comments bool  // the threads are done
	lastID   int64 // the last row read, for errors
}

// Isso's moderation modes.
const (
	issoAccepted = 1
	issoPending  = 2
	issoDeleted  = 4 // deleted, but kept because it has replies
)

// NewIsso opens an Isso database read-only and returns a reader of it.
// The reader is an io.Closer: call Close when done.
//
// A database that is not an Isso database, or is damaged or truncated
// (NewIsso runs SQLite's quick_check), is a *transfer.SourceError; a
// missing file is not. Threads are keyed "isso:thread:<id>" and comments
// "isso:<id>". Isso knows threads by their path, so Thread.URL is a path
// such as "/2017/05/hvar/": the importer makes it absolute. Bodies are
// Markdown. Modes 1, 2 and 4 are approved, pending and deleted. Isso's own
// UI nests replies one level deep, but the reader keeps whatever parent a
// row names. Isso has no notion of staff, so no comment is Official.
func NewIsso(path string) (transfer.Reader, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("formats: open isso database: %w", err)
	}
	// A file: URI, so that mode=ro applies; the path is escaped because
	// SQLite reads ? and # in it as the start of the query or fragment.
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("formats: open isso database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one query at a time: threads, then comments
	r := &isso{path: path, db: db}
	if err := r.check(); err != nil {
		_ = db.Close() // the check's error says more
		return nil, err
	}
	return r, nil
}

// check runs SQLite's quick_check, so that a truncated file fails here
// rather than halfway, and looks for Isso's two tables.
func (r *isso) check() error {
	var result string
	if err := r.db.QueryRow("PRAGMA quick_check(1)").Scan(&result); err != nil {
		return r.fail(r.path, fmt.Errorf("check database: %w", err))
	}
	if result != "ok" {
		return &transfer.SourceError{Where: r.path, Err: fmt.Errorf("damaged database: %s", result)}
	}
	var n int
	err := r.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('threads', 'comments')`).Scan(&n)
	if err != nil {
		return r.fail(r.path, fmt.Errorf("list tables: %w", err))
	}
	if n != 2 {
		return &transfer.SourceError{Where: r.path, Err: errors.New("not an Isso database: no threads and comments tables")}
	}
	return nil
}

// fail makes err a SourceError if SQLite says the file is damaged or not
// a database; any other error (I/O, a locked file) is returned wrapped.
func (r *isso) fail(where string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB) {
		return &transfer.SourceError{Where: where, Err: err}
	}
	return fmt.Errorf("formats: read isso database %s: %w", r.path, err)
}

// Next returns the next thread or comment, or io.EOF after the last.
func (r *isso) Next() (transfer.Item, error) { return r.next(r.step) }

// Close closes the database. It is safe to call more than once.
func (r *isso) Close() error {
	var err error
	if r.rows != nil {
		err = r.rows.Close()
		r.rows = nil
	}
	if r.db != nil {
		err = errors.Join(err, r.db.Close())
		r.db = nil
	}
	if err != nil {
		return fmt.Errorf("formats: close isso database: %w", err)
	}
	return nil
}

// step reads the next row: the threads, then the comments.
func (r *isso) step() error {
	if r.db == nil {
		return errors.New("formats: isso: Next after Close")
	}
	if r.rows == nil {
		q := `SELECT id, uri, title FROM threads ORDER BY id`
		if r.comments {
			q = `SELECT id, tid, parent, created, mode, text, author, email, website FROM comments ORDER BY id`
		}
		rows, err := r.db.Query(q)
		if err != nil {
			return r.fail(r.table(), err)
		}
		r.rows, r.lastID = rows, 0
	}
	if !r.rows.Next() {
		err := r.rows.Err()
		_ = r.rows.Close() // Err has the error that matters
		r.rows = nil
		if err != nil {
			return r.fail(r.after(), err)
		}
		if r.comments {
			return io.EOF
		}
		r.comments = true
		return nil
	}
	if r.comments {
		return r.comment()
	}
	return r.thread()
}

// thread emits the current row of threads.
func (r *isso) thread() error {
	var (
		id         int64
		uri, title sql.NullString
	)
	if err := r.rows.Scan(&id, &uri, &title); err != nil {
		return r.fail(r.after(), err)
	}
	r.lastID = id
	where := "thread id " + strconv.FormatInt(id, 10)
	if uri.String == "" {
		return &transfer.SourceError{Where: where, Err: errors.New("thread has no uri")}
	}
	r.push(&transfer.Thread{Key: "isso:thread:" + strconv.FormatInt(id, 10), URL: uri.String, Title: title.String})
	return nil
}

// comment emits the current row of comments.
func (r *isso) comment() error {
	var (
		id                           int64
		tid, parent, mode            sql.NullInt64
		created                      any // FLOAT, but SQLite will store anything
		text, author, email, website sql.NullString
	)
	if err := r.rows.Scan(&id, &tid, &parent, &created, &mode, &text, &author, &email, &website); err != nil {
		return r.fail(r.after(), err)
	}
	r.lastID = id
	where := "comment id " + strconv.FormatInt(id, 10)
	if !tid.Valid {
		return &transfer.SourceError{Where: where, Err: errors.New("comment has no thread")}
	}
	c := &transfer.Comment{
		Key:       "isso:" + strconv.FormatInt(id, 10),
		ThreadKey: "isso:thread:" + strconv.FormatInt(tid.Int64, 10),
		Author:    author.String,
		Email:     email.String,
		Website:   website.String,
		Body:      text.String,
	}
	if parent.Valid {
		c.ParentKey = "isso:" + strconv.FormatInt(parent.Int64, 10)
	}
	var err error
	if c.CreatedAt, err = unixSeconds(created); err != nil {
		return &transfer.SourceError{Where: where, Err: fmt.Errorf("created: %w", err)}
	}
	switch mode.Int64 {
	case issoAccepted:
		c.Status = comment.StatusApproved
	case issoPending:
		c.Status = comment.StatusPending
	case issoDeleted:
		c.Status = comment.StatusDeleted
	default:
		return &transfer.SourceError{Where: where, Err: fmt.Errorf("mode %v is not 1, 2 or 4", mode.Int64)}
	}
	r.push(c)
	return nil
}

// table names the table being read, for errors.
func (r *isso) table() string {
	if r.comments {
		return "comments table"
	}
	return "threads table"
}

// after names the row read last, for an error reading the next.
func (r *isso) after() string {
	if r.lastID == 0 {
		return r.table()
	}
	return fmt.Sprintf("%s, after id %d", r.table(), r.lastID)
}

// unixSeconds converts Isso's FLOAT of Unix seconds to UTC, to the
// microsecond: a float64 holds no more for today's dates.
func unixSeconds(v any) (time.Time, error) {
	var f float64
	switch v := v.(type) {
	case float64:
		f = v
	case int64:
		f = float64(v)
	case string:
		var err error
		if f, err = strconv.ParseFloat(v, 64); err != nil {
			return time.Time{}, fmt.Errorf("%q is not a number", v)
		}
	case []byte:
		return unixSeconds(string(v))
	default:
		return time.Time{}, fmt.Errorf("%v is not a number", v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f <= 0 {
		return time.Time{}, fmt.Errorf("%v is not a time", f)
	}
	return time.UnixMicro(int64(math.Round(f * 1e6))).UTC(), nil
}
