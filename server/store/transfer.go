package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/transfer"
)

// InImport runs fn in one transaction: an import is all or nothing. On
// SQLite the transaction holds the write lock throughout, so the server's
// writes wait (up to the busy timeout) while an import runs.
func (s *Store) InImport(ctx context.Context, fn func(tx transfer.ImportTx) error) error {
	if s.engine == "sqlite" {
		// An import inserts into some indexes (import keys, emails) at
		// random places; with a 64 MB page cache instead of 2 MB a million
		// comments went in 20% faster. The store has one connection, so
		// the setting is put back on it afterwards.
		var was int64
		if err := s.sqlDB.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&was); err != nil {
			return fmt.Errorf("store: import: %w", err)
		}
		if _, err := s.sqlDB.ExecContext(ctx, "PRAGMA cache_size = -65536"); err != nil {
			return fmt.Errorf("store: import: %w", err)
		}
		defer s.sqlDB.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = "+strconv.FormatInt(was, 10))
	}
	return s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&importTx{db: tx, numbered: s.engine == "postgres"})
	})
}

// InSnapshot runs fn over one consistent, read-only view of the database.
// On SQLite it is a deferred transaction, begun by hand on the store's one
// connection (the DSN makes every other transaction take the write lock,
// which would stop a running server's writes for the whole export), so
// other calls on this Store wait until fn returns; on PostgreSQL it is a
// repeatable read transaction.
func (s *Store) InSnapshot(ctx context.Context, fn func(v transfer.View) error) error {
	if s.engine == "postgres" {
		return s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return fn(view{db: tx})
		}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	// Only reads happened: rolling back ends the snapshot.
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	db := s.txdb.WithContext(ctx).Session(&gorm.Session{NewDB: true})
	db.Statement.ConnPool = conn
	return fn(view{db: db})
}

// Instance returns the random ID of this database (made the first time it
// is asked for), which exports put in the keys of comments written here.
func (s *Store) Instance(ctx context.Context) (string, error) {
	b, err := s.Secret(ctx, "instance_id")
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:8]), nil
}

// Backup writes a consistent copy of a SQLite database to path (which
// must not exist) while the server runs, with VACUUM INTO: the copy is
// compact and needs no WAL file.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.engine != "sqlite" {
		return errors.New("store: backup: the database is PostgreSQL; back it up with pg_dump " +
			"(such as pg_dump --format=custom --file=parley.dump \"$PARLEY_DB\")")
	}
	if _, err := s.sqlDB.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	return nil
}

// importTx is one import's transaction.
type importTx struct {
	db       *gorm.DB
	numbered bool         // PostgreSQL: $1 placeholders and a sequence of IDs
	next     int64        // SQLite: the next free comment ID, once known
	full     [2]*sql.Stmt // the INSERTs of insertRows comments (all columns, some), once prepared
}

// MaxCommentID returns the largest comment ID, or 0.
func (t *importTx) MaxCommentID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := t.db.WithContext(ctx).Raw("SELECT MAX(id) FROM comments").Scan(&id).Error
	return id.Int64, translate(err, "comment max id")
}

// EnsureThreads finds or creates the threads of ts (one site's).
func (t *importTx) EnsureThreads(ctx context.Context, ts []comment.Thread) ([]int64, int, error) {
	db := t.db.WithContext(ctx)
	paths := make([]string, len(ts))
	for i, th := range ts {
		paths[i] = th.Path
	}
	byPath, err := t.findThreads(db, ts[0].SiteID, paths)
	if err != nil {
		return nil, 0, err
	}
	var missing []comment.Thread
	for _, th := range ts {
		row, ok := byPath[th.Path]
		switch {
		case !ok:
			missing = append(missing, th)
		case row.Title == "" && th.Title != "" || row.URL == "" && th.URL != "" || row.Author == "" && th.Author != "":
			row.Title, row.URL = firstNonEmpty(row.Title, th.Title), firstNonEmpty(row.URL, th.URL)
			row.Author = firstNonEmpty(row.Author, th.Author)
			if err := db.Model(&row).Select("title", "url", "author").Updates(&row).Error; err != nil {
				return nil, 0, translate(err, "thread update")
			}
		}
	}
	created, err := t.createThreads(db, missing)
	if err != nil {
		return nil, 0, err
	}
	if len(missing) > 0 {
		if byPath, err = t.findThreads(db, ts[0].SiteID, paths); err != nil {
			return nil, 0, err
		}
	}
	ids := make([]int64, len(ts))
	for i, th := range ts {
		ids[i] = byPath[th.Path].ID
	}
	return ids, created, nil
}

func (t *importTx) findThreads(db *gorm.DB, siteID int64, paths []string) (map[string]threadRow, error) {
	var rows []threadRow
	if err := db.Where("site_id = ? AND path IN ?", siteID, paths).Find(&rows).Error; err != nil {
		return nil, translate(err, "threads find")
	}
	out := make(map[string]threadRow, len(rows))
	for _, r := range rows {
		out[r.Path] = r
	}
	return out, nil
}

// createThreads inserts threads, leaving out any another writer created
// meanwhile (PostgreSQL), and counts those it created.
func (t *importTx) createThreads(db *gorm.DB, ts []comment.Thread) (int, error) {
	created := 0
	for len(ts) > 0 {
		n := min(len(ts), 500)
		var q strings.Builder
		q.WriteString("INSERT INTO threads (site_id, path, url, title, author, created_at) VALUES ")
		args := make([]any, 0, 6*n)
		now := db.NowFunc()
		for i, th := range ts[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?)")
			at := th.CreatedAt
			if at.IsZero() {
				at = now
			}
			args = append(args, th.SiteID, th.Path, th.URL, th.Title, th.Author, at.UTC())
		}
		q.WriteString(" ON CONFLICT (site_id, path) DO NOTHING")
		res := db.Exec(q.String(), args...)
		if res.Error != nil {
			return 0, translate(res.Error, "threads create")
		}
		created += int(res.RowsAffected)
		ts = ts[n:]
	}
	return created, nil
}

// FindKeys returns the IDs of the site's comments with the import keys.
func (t *importTx) FindKeys(ctx context.Context, siteID int64, keys []string) (map[string]int64, error) {
	out := make(map[string]int64)
	for len(keys) > 0 {
		n := min(len(keys), 1000)
		var rows []struct {
			ID        int64
			ImportKey string
		}
		err := t.db.WithContext(ctx).Model(&commentRow{}).Select("id, import_key").
			Where("site_id = ? AND import_key IN ?", siteID, keys[:n]).Scan(&rows).Error
		if err != nil {
			return nil, translate(err, "comment keys find")
		}
		for _, r := range rows {
			out[r.ImportKey] = r.ID
		}
		keys = keys[n:]
	}
	return out, nil
}

// FindIDs reports which of ids are comments of the site.
func (t *importTx) FindIDs(ctx context.Context, siteID int64, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool)
	for len(ids) > 0 {
		n := min(len(ids), 1000)
		var found []int64
		err := t.db.WithContext(ctx).Model(&commentRow{}).Where("site_id = ? AND id IN ?", siteID, ids[:n]).
			Pluck("id", &found).Error
		if err != nil {
			return nil, translate(err, "comment ids find")
		}
		for _, id := range found {
			out[id] = true
		}
		ids = ids[n:]
	}
	return out, nil
}

// ReserveIDs returns n new comment IDs. On SQLite they follow the largest
// ID: the import holds the write lock, so no one else takes them. On
// PostgreSQL they come from the sequence, which other writers share.
func (t *importTx) ReserveIDs(ctx context.Context, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if t.numbered {
		err := t.db.WithContext(ctx).Raw("SELECT nextval(pg_get_serial_sequence('comments', 'id')) FROM generate_series(1, ?)", n).
			Scan(&ids).Error
		if err != nil {
			return nil, translate(err, "comment ids")
		}
		slices.Sort(ids) // in the order given, parents get the smaller IDs
		return ids, nil
	}
	if t.next == 0 {
		max, err := t.MaxCommentID(ctx)
		if err != nil {
			return nil, err
		}
		t.next = max + 1
	}
	for range n {
		ids = append(ids, t.next)
		t.next++
	}
	return ids, nil
}

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

// SetParents sets each comment's parent (none for ParentID 0).
func (t *importTx) SetParents(ctx context.Context, links []transfer.Link) error {
	db := t.db.WithContext(ctx)
	for _, l := range links {
		err := db.Model(&commentRow{}).Where("id = ?", l.ID).Update("parent_id", nullID(l.ParentID)).Error
		if err != nil {
			return translate(err, "comment parent")
		}
	}
	return nil
}

// FindCycles returns those of ids whose chain of parents comes back to
// them. UNION (not UNION ALL) makes the walk end on a cycle elsewhere up
// the chain too.
func (t *importTx) FindCycles(ctx context.Context, ids []int64) ([]int64, error) {
	var out []int64
	for len(ids) > 0 {
		n := min(len(ids), 1000)
		var found []int64
		err := t.db.WithContext(ctx).Raw(`WITH RECURSIVE up(start, id) AS (
				SELECT id, parent_id FROM comments WHERE id IN ? AND parent_id IS NOT NULL
				UNION
				SELECT up.start, c.parent_id FROM up JOIN comments c ON c.id = up.id WHERE c.parent_id IS NOT NULL)
			SELECT DISTINCT start FROM up WHERE id = start`, ids[:n]).Scan(&found).Error
		if err != nil {
			return nil, translate(err, "comment cycles")
		}
		out = append(out, found...)
		ids = ids[n:]
	}
	return out, nil
}

// FindComments returns the comments with the IDs.
func (t *importTx) FindComments(ctx context.Context, ids []int64) ([]comment.Comment, error) {
	var rows []commentRow
	if err := t.db.WithContext(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err, "comments find")
	}
	out := make([]comment.Comment, len(rows))
	for i, r := range rows {
		out[i] = r.comment()
	}
	return out, nil
}

// MarkAnswered stores the comments' reply state, answer time and reply
// time, and ends their alerts.
func (t *importTx) MarkAnswered(ctx context.Context, cs []comment.Comment) error {
	db := t.db.WithContext(ctx)
	for _, c := range cs {
		err := db.Model(&commentRow{}).Where("id = ?", c.ID).Updates(map[string]any{
			"reply_state": string(c.ReplyState), "answered_at": nullTime(c.AnsweredAt), "state_reason": "",
			"reply_seconds": int64(c.ReplyTime / time.Second), "next_alert_at": sql.NullTime{},
		}).Error
		if err != nil {
			return translate(err, "comment answered")
		}
	}
	return nil
}

// view reads a site's data for an export.
type view struct {
	db *gorm.DB
}

// ThreadsAfter returns a page of the site's threads, by ID.
func (v view) ThreadsAfter(ctx context.Context, siteID, after int64, limit int) ([]comment.Thread, error) {
	var rows []threadRow
	err := v.db.WithContext(ctx).Where("site_id = ? AND id > ?", siteID, after).Order("id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err, "threads export")
	}
	out := make([]comment.Thread, len(rows))
	for i, r := range rows {
		out[i] = r.thread()
	}
	return out, nil
}

// RecordsAfter returns a page of the site's comments, by ID, with their
// own and their parent's import keys.
func (v view) RecordsAfter(ctx context.Context, siteID, after int64, limit int) ([]transfer.Record, error) {
	// A named, tagged field: gorm does not fill an embedded struct of an
	// unexported type.
	var rows []struct {
		Row       commentRow `gorm:"embedded"`
		ImportKey sql.NullString
		ParentKey sql.NullString
	}
	err := v.db.WithContext(ctx).Table("comments AS c").Select("c.*, p.import_key AS parent_key").
		Joins("LEFT JOIN comments p ON p.id = c.parent_id").
		Where("c.site_id = ? AND c.id > ?", siteID, after).Order("c.id").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "comments export")
	}
	out := make([]transfer.Record, len(rows))
	for i, r := range rows {
		out[i] = transfer.Record{Comment: r.Row.comment(), Key: r.ImportKey.String, ParentKey: r.ParentKey.String}
	}
	return out, nil
}
