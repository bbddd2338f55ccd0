package store

import (
	"cmp"
	"context"
	"database/sql"
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
			row.Title, row.URL = cmp.Or(row.Title, th.Title), cmp.Or(row.URL, th.URL)
			row.Author = cmp.Or(row.Author, th.Author)
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
