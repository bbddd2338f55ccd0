package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/parleyhq/parley/server/transfer"
)

// columns is the column list of an INSERT of comments and how to give a
// row's values in its order.
type columns struct {
	names string
	count int
	args  func(args []any, r *transfer.Record) []any
}

// columnsFor returns every column of a comment an import may set or, when
// some, those an import from another system sets: the others keep their
// defaults, and binding fewer values saved a tenth of a large import's
// time.
func columnsFor(some bool) columns {
	if some {
		return columns{count: 16, args: shortArgs,
			names: "id, site_id, thread_id, parent_id, author, email, website, body, html, status, official, " +
				"created_at, reply_state, due_at, next_alert_at, import_key"}
	}
	return columns{count: 28, args: recordArgs,
		names: "id, site_id, thread_id, parent_id, author, email, website, body, html, status, official, " +
			"client_hash, edit_token_hash, created_at, edited_at, staff_id, reply_state, answered_at, state_reason, " +
			"moderation_reason, flag_reason, body_hash, assignee_id, due_at, alert_step, next_alert_at, reply_seconds, import_key"}
}

// insertRows is how many comments one INSERT writes: 500 rows of 28
// columns stay under both engines' limits on parameters.
const insertRows = 500

// CreateRecords inserts comments with their IDs and import keys, up to 500
// rows to a statement, straight through database/sql: gorm's reflection
// per field was most of an import's time. The statements of 500 rows are
// prepared once per import; a shorter one runs unprepared, since the
// transaction keeps every statement prepared on it (with its SQL) until it
// ends. Both engines check the foreign keys at the end of each statement.
func (t *importTx) CreateRecords(ctx context.Context, rs []transfer.Record) error {
	for start := 0; start < len(rs); start += insertRows {
		batch := rs[start:min(start+insertRows, len(rs))]
		some := !slices.ContainsFunc(batch, needsAllColumns)
		cols, short := columnsFor(some), 0
		if some {
			short = 1
		}
		args := make([]any, 0, len(batch)*cols.count)
		for i := range batch {
			args = cols.args(args, &batch[i])
		}
		var err error
		if len(batch) == insertRows {
			if t.full[short] == nil {
				t.full[short], err = t.db.Statement.ConnPool.PrepareContext(ctx, t.insertSQL(cols, insertRows))
				if err != nil {
					return translate(t.translateDriver(err), "comments import")
				}
			}
			_, err = t.full[short].ExecContext(ctx, args...)
		} else {
			_, err = t.db.Statement.ConnPool.ExecContext(ctx, t.insertSQL(cols, len(batch)), args...)
		}
		if err != nil {
			return translate(t.translateDriver(err), "comments import")
		}
	}
	return nil
}

// needsAllColumns reports whether a comment sets a column that
// columnsFor(true) leaves out.
func needsAllColumns(r transfer.Record) bool {
	c := &r.Comment
	return c.ClientHash != "" || c.EditTokenHash != "" || !c.EditedAt.IsZero() || c.StaffID != 0 ||
		!c.AnsweredAt.IsZero() || c.StateReason != "" || c.ModerationReason != "" || c.FlagReason != "" ||
		c.BodyHash != "" || c.AssigneeID != 0 || c.AlertStep != 0
}

// insertSQL is the INSERT of n comments. SQLite gets ? placeholders: with
// $N ones it prepares a statement of 14,000 parameters 100 times slower,
// looking each name up among the others.
func (t *importTx) insertSQL(cols columns, n int) string {
	var q strings.Builder
	q.Grow(len(cols.names) + 64 + n*cols.count*6)
	q.WriteString("INSERT INTO comments (" + cols.names + ") VALUES ")
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteByte('(')
		for c := range cols.count {
			if c > 0 {
				q.WriteString(", ")
			}
			if t.numbered {
				q.WriteByte('$')
				q.WriteString(strconv.Itoa(i*cols.count + c + 1))
			} else {
				q.WriteByte('?')
			}
		}
		q.WriteByte(')')
	}
	return q.String()
}

// translateDriver turns a driver's error into gorm's (a taken key into
// gorm.ErrDuplicatedKey), as gorm does for the queries it runs itself.
func (t *importTx) translateDriver(err error) error {
	if tr, ok := t.db.Dialector.(gorm.ErrorTranslator); ok {
		return tr.Translate(err)
	}
	return err
}

// recordArgs appends a comment's values in the order of columnsFor(false), as
// the driver takes them (nil for NULL), as commentRowOf makes them.
func recordArgs(args []any, r *transfer.Record) []any {
	c := &r.Comment
	var replySeconds any
	if !c.AnsweredAt.IsZero() {
		replySeconds = int64(c.ReplyTime / time.Second)
	}
	return append(args, r.ID, c.SiteID, c.ThreadID, idOrNull(c.ParentID), c.Author, c.Email, c.Website, c.Body,
		c.HTML, string(c.Status), c.Official, c.ClientHash, c.EditTokenHash, c.CreatedAt.UTC(), timeOrNull(c.EditedAt),
		idOrNull(c.StaffID), string(c.ReplyState), timeOrNull(c.AnsweredAt), c.StateReason, c.ModerationReason,
		c.FlagReason, c.BodyHash, idOrNull(c.AssigneeID), timeOrNull(c.DueAt), int64(c.AlertStep),
		timeOrNull(c.NextAlertAt), replySeconds, stringOrNull(r.Key))
}

// shortArgs appends a comment's values in the order of columnsFor(true).
func shortArgs(args []any, r *transfer.Record) []any {
	c := &r.Comment
	return append(args, r.ID, c.SiteID, c.ThreadID, idOrNull(c.ParentID), c.Author, c.Email, c.Website, c.Body,
		c.HTML, string(c.Status), c.Official, c.CreatedAt.UTC(), string(c.ReplyState), timeOrNull(c.DueAt),
		timeOrNull(c.NextAlertAt), stringOrNull(r.Key))
}

func idOrNull(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func timeOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func stringOrNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}
